"""How a public authority answers RTI requests, from requests whose deadline has passed.

A request counts once the PIO's time is over (a pending one says nothing yet),
judged by the database at read time like every other page: answered in time,
answered late, or deemed refused (no reply recorded). A request withdrawn or
closed before any reply is not counted. Only published requests to a published
authority are counted; callers never get figures keyed by an unpublished
authority.
"""

import re
from collections import Counter
from datetime import date
from statistics import median

from django.db.models import Case, Q, Value, When

from ..models import Publication, RTIOutcome, RTIRequest
from ..models.rti import ClockNow

SECTION = re.compile(r"\d+[A-Za-z]?(?:\s*\(\s*[0-9A-Za-z]+\s*\))*")
REFUSING = {RTIOutcome.REFUSED, RTIOutcome.PARTIALLY_GRANTED}
ROW_FIELDS = (
    "authority_id",
    "received_on",
    "filed_on",
    "decision_due_on",
    "replied_on",
    "outcome",
    "exemption_sections",
    "time_over",
)
# The PIO's time is over: a reply can be judged in time or late, or the request deemed refused.
TIME_OVER = Q(deemed_refused_from__lte=ClockNow())


def exemption_sections(text: str) -> list[str]:
    """``"s. 8(1)(g), 8 (1)(j)"`` → ``["8(1)(g)", "8(1)(j)"]``: one spelling per section."""
    found = (re.sub(r"\s+", "", match).lower() for match in SECTION.findall(text or ""))
    return list(dict.fromkeys(found))


def rti_authority_figures(rows, *, today: date) -> dict:
    """The figures over ``rows`` (dicts with ROW_FIELDS) whose PIO's time is over."""
    due = [r for r in rows if r["time_over"]]
    replied = [r for r in due if r["replied_on"] is not None]
    days = [
        (r["replied_on"] - (r["received_on"] or r["filed_on"])).days
        for r in replied
        if r["received_on"] or r["filed_on"]
    ]
    sections = Counter(
        section
        for r in due
        if r["outcome"] in REFUSING
        for section in exemption_sections(r["exemption_sections"])
    )
    return {
        "as_of": today.isoformat(),
        "requests_due": len(due),
        "answered_in_time": sum(r["replied_on"] <= r["decision_due_on"] for r in replied),
        "answered_late": sum(r["replied_on"] > r["decision_due_on"] for r in replied),
        "deemed_refused": len(due) - len(replied),
        "median_days_to_reply": median(days) if days else None,
        "refusals_by_section": [
            {"section": section, "count": count}
            for section, count in sorted(sections.items(), key=lambda item: (-item[1], item[0]))
        ],
    }


def _counted(queryset):
    return (
        queryset.filter(
            TIME_OVER,
            publication=Publication.PUBLISHED,
            authority__publication=Publication.PUBLISHED,
        )
        .exclude(replied_on__isnull=True, closed_on__isnull=False)
        .annotate(time_over=Case(When(TIME_OVER, then=Value(True)), default=Value(False)))
        .order_by()
        .values(*ROW_FIELDS)
    )


def rti_authority_statistics(*, agency, today: date) -> dict | None:
    """One published authority's figures (one query); None if it is not published."""
    if agency.publication != Publication.PUBLISHED:
        return None
    rows = _counted(RTIRequest.objects.filter(authority=agency))
    return rti_authority_figures(list(rows), today=today)


def rti_statistics_by_authority(*, today: date, limit: int = 20) -> list[dict]:
    """Every published authority with a request past its deadline, most requests first
    (one query): ``{"agency_id", "name", "slug", **figures}``."""
    rows = _counted(RTIRequest.objects.all()).values(
        *ROW_FIELDS, "authority__name", "authority__slug"
    )
    by_authority = {}
    for row in rows:
        by_authority.setdefault(row["authority_id"], []).append(row)
    result = [
        {
            "agency_id": agency_id,
            "name": group[0]["authority__name"],
            "slug": group[0]["authority__slug"],
            **rti_authority_figures(group, today=today),
        }
        for agency_id, group in by_authority.items()
    ]
    result.sort(key=lambda r: (-r["requests_due"], r["name"]))
    return result[:limit]
