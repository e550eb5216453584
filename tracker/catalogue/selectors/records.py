"""The API's full records: every field of an entity and its related sets.

Related sets go into ``prefetched_<name>`` attributes (Prefetch with ``to_attr``:
much cheaper per row than a related manager), and related rows load only the
columns of their summary, so a page of 50 stays fast even when related rows are
wide (state boundaries, long descriptions).
"""

from django.db.models import Prefetch

from ...models import (
    Agency,
    Citation,
    Deployment,
    Hotspot,
    RTIDocument,
    RTIEvent,
    RTIRequest,
    Source,
    State,
    Vendor,
)
from ..visibility import public_rows
from .rows import led_deployment_count

SUMMARY_FIELDS = {
    Agency: ("id", "slug", "name", "publication"),
    Deployment: ("id", "slug", "title", "publication"),
    State: ("code", "name"),
}
CITED_SOURCE_FIELDS = (
    "id",
    "url",
    "title",
    "publisher",
    "health",
    "last_checked_at",
    "http_status",
)


def _into(name, queryset=None):
    """Prefetch a related set into ``prefetched_<name>``."""
    return Prefetch(name, queryset=queryset, to_attr=f"prefetched_{name}")


def _summaries(model):
    """Published rows of ``model`` with just the columns of their summary."""
    return public_rows(model).only(*SUMMARY_FIELDS[model])


def _summary_only(relation, model):
    """``defer()`` arguments leaving only the summary columns of a select_related row."""
    keep = SUMMARY_FIELDS[model]
    return [
        f"{relation}__{field.name}"
        for field in model._meta.concrete_fields
        if field.name not in keep and not field.primary_key
    ]


def _citations():
    cited = Citation.objects.select_related("source")
    columns = ("claim", "quote", *Citation.TARGETS)
    return _into("citations", cited.only(*columns, *(f"source__{f}" for f in CITED_SOURCE_FIELDS)))


def deployment_records(queryset=None):
    qs = public_rows(Deployment) if queryset is None else queryset
    return (
        qs.select_related("lead_agency", "state")
        .defer(*_summary_only("lead_agency", Agency), *_summary_only("state", State))
        .prefetch_related(
            _into("partner_agencies", _summaries(Agency)),
            _into("vendors", Vendor.objects.order_by("name")),
            _into("linked_databases"),
            _citations(),
        )
    )


def agency_records(queryset=None):
    qs = public_rows(Agency) if queryset is None else queryset
    return (
        qs.select_related("state", "parent")
        .annotate(deployment_count=led_deployment_count())
        .defer(*_summary_only("parent", Agency), *_summary_only("state", State))
        .prefetch_related(_citations())
    )


def hotspot_records(queryset=None):
    qs = public_rows(Hotspot) if queryset is None else queryset
    return (
        qs.select_related("state", "agency")
        .defer(*_summary_only("agency", Agency), *_summary_only("state", State))
        .prefetch_related(_into("deployments", _summaries(Deployment)), _citations())
    )


def rti_request_records(queryset=None):
    qs = public_rows(RTIRequest) if queryset is None else queryset
    return (
        qs.select_related("authority")
        .defer(*_summary_only("authority", Agency))
        .prefetch_related(
            _into("events", RTIEvent.objects.order_by("date", "id")),
            _into(
                "documents",
                RTIDocument.objects.filter(published_at__isnull=False).select_related("event"),
            ),
            _into("deployments", _summaries(Deployment)),
            _into("agencies", _summaries(Agency)),
            _citations(),
        )
    )


def source_records(queryset=None):
    """Sources the public sees (cited by a published entry); they have no related sets."""
    return public_rows(Source) if queryset is None else queryset
