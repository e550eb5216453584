"""Counts over published data, shared by the site's headline figures, /stats/ and the API.

Each breakdown returns plain lists and dicts (code, label, count) from one
aggregate (GROUP BY) query; ``headline_counts`` runs one per total and
breakdown. Templates, charts and JSON therefore show the same numbers, and
a related entity that is not published is neither named nor counted.
``published_figures()`` is what the home page, /stats/ and the API read: all
of them, computed once per change of the data (``datacache``).
"""

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear

from ..models import (
    Agency,
    Deployment,
    DeploymentStatus,
    Hotspot,
    PurposeClass,
    RTIOutcome,
    RTIRequest,
    State,
    Technology,
)
from .datacache import cached
from .visibility import public_q


def _labelled(rows, key, choices):
    """Rows of {key, count} as [{code, label, count}] in vocabulary order, zeros dropped."""
    counts = {row[key]: row["count"] for row in rows}
    return [
        {"code": code, "label": label, "count": counts[code]}
        for code, label in choices
        if counts.get(code)
    ]


def deployments_by(field, *, queryset=None):
    """Published deployments counted by a vocabulary field (technology, status, purpose_class)."""
    choices = {
        "technology": Technology.choices,
        "status": DeploymentStatus.choices,
        "purpose_class": PurposeClass.choices,
    }[field]
    qs = Deployment.objects.published() if queryset is None else queryset
    rows = qs.order_by().values(field).annotate(count=Count("id"))
    return _labelled(rows, field, choices)


def deployments_by_state(*, queryset=None):
    """Published deployments per state or union territory, most first; national scope last."""
    qs = Deployment.objects.published() if queryset is None else queryset
    rows = (
        qs.order_by()
        .values("state_id", "state__name", "state__name_hi")
        .annotate(count=Count("id"))
        .order_by("-count", "state__name")
    )
    return [
        {
            "code": row["state_id"] or "",
            "label": row["state__name"] or "",
            "label_hi": row["state__name_hi"] or "",
            "count": row["count"],
        }
        for row in rows
    ]


def deployments_by_year(*, queryset=None):
    """Published deployments by the year they were announced (undated ones left out)."""
    qs = Deployment.objects.published() if queryset is None else queryset
    rows = (
        qs.filter(announced_on__isnull=False)
        .order_by()
        .annotate(year=ExtractYear("announced_on"))
        .values("year")
        .annotate(count=Count("id"))
        .order_by("year")
    )
    return [{"code": row["year"], "label": str(row["year"]), "count": row["count"]} for row in rows]


def rti_outcomes():
    """Published RTI requests by outcome; requests still waiting count as "pending"."""
    rows = RTIRequest.objects.published().order_by().values("outcome").annotate(count=Count("id"))
    counts = {row["outcome"]: row["count"] for row in rows}
    result = _labelled(
        [{"outcome": k, "count": v} for k, v in counts.items()], "outcome", RTIOutcome.choices
    )
    if counts.get(""):
        from django.utils.translation import gettext_lazy as _

        result.append({"code": "", "label": _("No outcome yet"), "count": counts[""]})
    return result


def headline_counts(*, queryset=None):
    """The figures on the home page and /api/v1/stats/: totals and breakdowns."""
    deployments = Deployment.objects.published() if queryset is None else queryset
    totals = deployments.order_by().aggregate(
        deployments=Count("id"),
        states=Count("state", distinct=True),
        agencies=Count("lead_agency", distinct=True, filter=public_q("lead_agency")),
        in_use=Count("id", filter=Q(status=DeploymentStatus.IN_USE)),
        facial_recognition=Count("id", filter=Q(technology=Technology.FACIAL_RECOGNITION)),
    )
    return {
        "totals": {
            **totals,
            "all_agencies": Agency.objects.published().count(),
            "hotspots": Hotspot.objects.published().count(),
            "rti_requests": RTIRequest.objects.published().count(),
            "states_and_uts": State.objects.count(),
        },
        "by_state": deployments_by_state(queryset=deployments),
        "by_technology": deployments_by("technology", queryset=deployments),
        "by_status": deployments_by("status", queryset=deployments),
    }


def published_figures():
    """Headline counts and every /stats/ breakdown, cached until the data changes."""

    def compute():
        return {
            "headline": headline_counts(),
            "by_year": deployments_by_year(),
            "rti_outcomes": rti_outcomes(),
        }

    return cached("published-figures", compute)
