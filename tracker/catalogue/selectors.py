"""Reads for the public pages and the API: published rows with what they show, in few queries.

Everything here returns only published entities; a related entity that is not
published (a draft partner agency, a withdrawn hotspot) is left out, by the
rule of ``visibility``, so no page, feed or API response built on these
selectors can show it.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.urls import reverse

from ..models import (
    Agency,
    Citation,
    Deployment,
    DeploymentStatus,
    Hotspot,
    HotspotKind,
    Publication,
    RTIDocument,
    RTIEvent,
    RTIRequest,
    Source,
    State,
    Technology,
    Vendor,
)
from .geography import state_name, state_name_sql
from .visibility import public_rows, public_value

# Fields never shown as "what changed": bookkeeping, not facts.
HISTORY_EXCLUDED_FIELDS = {"updated_at", "created_at", "slug", "is_demo"}


# ---------------------------------------------------------------- URLs


def detail_url(obj):
    """The public page of a deployment, agency, hotspot or RTI request."""
    name = {
        Deployment: "tracker:deployment-detail",
        Agency: "tracker:agency-detail",
        Hotspot: "tracker:hotspot-detail",
        RTIRequest: "tracker:rti-detail",
    }[type(obj)]
    return reverse(name, kwargs={"pk": obj.pk, "slug": obj.slug or "entry"})


# ---------------------------------------------------------------- lists


# A list row never shows a shape; turning hundreds of them into GEOS objects cost a
# state page a third of its time.
SHAPES = ("location", "area")


def _without_shapes(queryset, *related):
    """``queryset`` reading no shape, of its rows nor of the ``related`` rows joined in."""
    deferred = []
    for path in ("", *related):
        model = queryset.model
        for step in filter(None, path.split("__")):
            model = model._meta.get_field(step).related_model
        fields = {field.name for field in model._meta.get_fields()}
        deferred += [f"{path}__{name}" if path else name for name in SHAPES if name in fields]
    return queryset.select_related(*related).defer(*deferred)


def deployment_rows(queryset=None):
    """Published deployments with what a list row shows, in a constant number of queries."""
    qs = Deployment.objects.published() if queryset is None else queryset
    return _without_shapes(qs, "lead_agency", "state").prefetch_related(
        Prefetch("vendors", queryset=Vendor.objects.order_by("name"))
    )


def led_deployment_count():
    """Per agency, its published deployments as lead: a count per row through the
    partial index on published deployments' lead agency, never a scan of them all."""
    led = (
        Deployment.objects.published()
        .filter(lead_agency=OuterRef("pk"))
        .order_by()
        .values("lead_agency")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(led, output_field=IntegerField()), 0)


def agency_rows(queryset=None):
    qs = Agency.objects.published() if queryset is None else queryset
    return _without_shapes(qs, "state").annotate(deployment_count=led_deployment_count())


def hotspot_rows(queryset=None):
    qs = Hotspot.objects.published() if queryset is None else queryset
    return _without_shapes(qs, "state", "agency")


def rti_request_rows(queryset=None):
    qs = RTIRequest.objects.published() if queryset is None else queryset
    return qs.select_related("authority")


def _related_labels(model, label_field, values):
    """{value: label} for the related rows ``values`` point to (``state_id`` -> state names)."""
    path = label_field.split("__")
    relation, attribute = path[:-1], path[-1]
    related = model
    for step in relation:
        related = related._meta.get_field(step).related_model
    if related is State and attribute == "name":  # in the reader's language
        rows = State.objects.filter(pk__in=values).values_list("pk", "name", "name_hi")
        return {str(pk): state_name(name, name_hi) for pk, name, name_hi in rows}
    rows = related._base_manager.filter(pk__in=values).values_list("pk", attribute)
    return {str(pk): label for pk, label in rows}


def counted_facets(queryset, facets):
    """(number of rows of ``queryset``, and for each facet how many rows have each value,
    most first).

    ``facets`` are (field expression, choices, label_field, limit) tuples. One
    query with GROUPING SETS scans the matching rows once for the total and every
    facet, so a searched list pays for its search once; labels come from the
    vocabulary or the related table (``label_field`` such as ``state__name``).
    """
    if not facets:
        return queryset.count(), []
    columns = {f"_facet{i}": expression for i, (expression, *_) in enumerate(facets)}
    try:
        inner, params = queryset.order_by().values(**columns).query.sql_with_params()
    except EmptyResultSet:  # .none(): an invalid filter matches nothing
        return 0, [[] for _ in facets]
    names = list(columns)
    sql = (
        f"SELECT {', '.join(f'GROUPING({n})' for n in names)}, {', '.join(names)}, count(*) "
        f"FROM ({inner}) AS matching "
        f"GROUP BY GROUPING SETS ({', '.join(f'({n})' for n in names)}, ())"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    total = 0
    found = [[] for _ in facets]
    width = len(names)
    for row in rows:
        grouping, values, count = row[:width], row[width : 2 * width], row[-1]
        if 0 not in grouping:  # the grand total: every column rolled up
            total = count
            continue
        index = grouping.index(0)
        value = values[index]
        if value not in ("", None):
            found[index].append((str(value), count))
    results = []
    for (_expression, choices, label_field, limit), counts in zip(facets, found, strict=True):
        counts.sort(key=lambda pair: (-pair[1], pair[0]))
        if limit:
            counts = counts[:limit]
        labels = {str(code): label for code, label in (choices or [])}
        if label_field:
            labels.update(_related_labels(queryset.model, label_field, [v for v, _ in counts]))
        results.append([{"value": v, "label": labels.get(v, v), "count": n} for v, n in counts])
    return total, results


# ---------------------------------------------------------------- details


def deployment_detail(*, pk):
    """A published deployment with everything its page shows (raises DoesNotExist)."""
    return (
        Deployment.objects.published()
        .select_related("lead_agency", "state")
        .prefetch_related(
            Prefetch("partner_agencies", queryset=Agency.objects.published()),
            Prefetch("vendors", queryset=Vendor.objects.order_by("name")),
            "linked_databases",
            Prefetch("citations", queryset=Citation.objects.select_related("source")),
            Prefetch("hotspots", queryset=Hotspot.objects.published()),
            Prefetch("rti_requests", queryset=RTIRequest.objects.published()),
        )
        .get(pk=pk)
    )


# An agency may lead thousands of deployments and watch tens of thousands of camera
# points: its page lists the first of each and links to the full, filtered list.
RELATED_ROWS = 100


def agency_detail(*, pk):
    def first(queryset):
        return queryset[:RELATED_ROWS]

    recent = _without_shapes(Deployment.objects.published(), "state").order_by("-updated_at", "id")
    return (
        Agency.objects.published()
        .select_related("state", "parent")
        .prefetch_related(
            Prefetch("led_deployments", first(recent), to_attr="first_led_deployments"),
            Prefetch("partner_deployments", first(recent), to_attr="first_partner_deployments"),
            Prefetch(
                "children",
                first(_without_shapes(Agency.objects.published())),
                to_attr="first_children",
            ),
            Prefetch(
                "hotspots",
                first(_without_shapes(Hotspot.objects.published()).order_by("name", "id")),
                to_attr="first_hotspots",
            ),
            Prefetch(
                "rti_requests", first(RTIRequest.objects.published()), to_attr="first_rti_requests"
            ),
            Prefetch("citations", queryset=Citation.objects.select_related("source")),
        )
        .get(pk=pk)
    )


def hotspot_detail(*, pk):
    return (
        Hotspot.objects.published()
        .select_related("state", "agency")
        .prefetch_related(
            Prefetch(
                "deployments", queryset=Deployment.objects.published().select_related("state")
            ),
            Prefetch("citations", queryset=Citation.objects.select_related("source")),
        )
        .get(pk=pk)
    )


def rti_request_detail(*, pk):
    return (
        RTIRequest.objects.published()
        .select_related("authority")
        .prefetch_related(
            Prefetch("events", queryset=RTIEvent.objects.order_by("date", "id")),
            Prefetch("documents", queryset=RTIDocument.objects.filter(published_at__isnull=False)),
            Prefetch("deployments", queryset=Deployment.objects.published()),
            Prefetch("agencies", queryset=Agency.objects.published()),
            Prefetch("citations", queryset=Citation.objects.select_related("source")),
        )
        .get(pk=pk)
    )


# ---------------------------------------------------------------- full records (the API)
#
# Every field of an entity and its related sets, for answers that show them all.
# Related sets go into ``prefetched_<name>`` attributes (Prefetch with ``to_attr``:
# much cheaper per row than a related manager), and related rows load only the
# columns of their summary, so a page of 50 stays fast even when related rows are
# wide (state boundaries, long descriptions).

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
            _into("documents", RTIDocument.objects.filter(published_at__isnull=False)),
            _into("deployments", _summaries(Deployment)),
            _into("agencies", _summaries(Agency)),
            _citations(),
        )
    )


def source_records(queryset=None):
    """Sources the public sees (cited by a published entry); they have no related sets."""
    return public_rows(Source) if queryset is None else queryset


# ---------------------------------------------------------------- history


@dataclass
class HistoryEntry:
    """One public change: when, what kind, which fields, why."""

    date: datetime
    kind: str  # "created", "published", "changed"
    fields: list = field(default_factory=list)
    reason: str = ""
    entity: object = None
    entity_label: str = ""
    url: str = ""
    made_by: str = ""  # the public display name of who saved it (an approving moderator)
    proposed_by: str = ""  # ... and of the volunteer who proposed it, if any


def _public_name(user):
    """A user's public display name (``first_name``); never the e-mail or username."""
    return (user.first_name or "").strip() if user is not None else ""


# History records with the users a change log names, in the same query.
HISTORY_USERS = ("history_user", "history_contributor")


def _changed_fields(new, old, model):
    delta = new.diff_against(old, excluded_fields=HISTORY_EXCLUDED_FIELDS)
    return [str(model._meta.get_field(change.field).verbose_name) for change in delta.changes]


def _entries_from_records(records, model):
    """Turn one object's history records (oldest first) into its public change entries.

    Only states in which the entry was published are public: edits made while
    it was a draft, and anything after it was withdrawn, stay private.
    """
    entries, previous = [], None
    for record in records:
        if record.publication == Publication.PUBLISHED:
            if previous is None:
                entries.append(HistoryEntry(record.history_date, "created"))
            elif previous.publication != Publication.PUBLISHED:
                entries.append(HistoryEntry(record.history_date, "published"))
            else:
                changed = _changed_fields(record, previous, model)
                if changed:
                    entries.append(HistoryEntry(record.history_date, "changed", changed))
            if entries and entries[-1].date == record.history_date:
                entries[-1].reason = record.history_change_reason or ""
                entries[-1].made_by = _public_name(record.history_user)
                entries[-1].proposed_by = _public_name(record.history_contributor)
        previous = record
    return entries


def history_entries(obj, *, limit=50):
    """The public change history of one entity, newest first (one query)."""
    records = list(
        obj.history.select_related(*HISTORY_USERS).order_by("history_date", "history_id")
    )
    entries = _entries_from_records(records, type(obj))
    return list(reversed(entries))[:limit]


CHANGE_LOG_MODELS = (Deployment, Agency, Hotspot, RTIRequest)


def recent_changes(*, limit=50, models=CHANGE_LOG_MODELS):
    """Recent public changes to entities that are published now, newest first.

    Two queries per kind of entity: the latest records, then the full
    history of just those entities so each change can name its fields.
    """
    entries = []
    for model in models:
        published_ids = model.objects.published().values("pk")
        recent_ids = list(
            model.history.filter(id__in=published_ids, publication=Publication.PUBLISHED)
            .order_by("-history_date")
            .values_list("id", flat=True)[: limit * 2]
        )
        if not recent_ids:
            continue
        current = {obj.pk: obj for obj in model.objects.filter(pk__in=set(recent_ids))}
        records = (
            model.history.filter(id__in=set(recent_ids))
            .select_related(*HISTORY_USERS)
            .order_by("id", "history_date", "history_id")
        )
        by_id = {}
        for record in records:
            by_id.setdefault(record.id, []).append(record)
        for pk, obj_records in by_id.items():
            obj = current[pk]
            for entry in _entries_from_records(obj_records, model):
                entry.entity = obj
                entry.entity_label = str(model._meta.verbose_name)
                entry.url = detail_url(obj)
                entries.append(entry)
    entries.sort(key=lambda e: e.date, reverse=True)
    return entries[:limit]


# ---------------------------------------------------------------- map layers


def _label(field, choices):
    """SQL turning a vocabulary code into its label in the current language."""
    return Case(
        *[When(**{field: code}, then=Value(str(label))) for code, label in choices],
        default=F(field),
        output_field=CharField(),
    )


def _detail_url(list_url_name):
    """SQL for the detail page URL (``<list>/<id>-<slug>/``) in the current language."""
    return Concat(
        Value(reverse(list_url_name)),
        Cast("id", CharField()),
        Value("-"),
        "slug",
        Value("/"),
        output_field=CharField(),
    )


def deployment_map_properties():
    """Properties of each deployment on the map, for ``exports.geojson.feature_collection``.

    Labels and URLs are in the current language; the API can reuse these.
    """
    return {
        "id": "id",
        "title": "title",
        "url": _detail_url("tracker:deployment-list"),
        "status": "status",
        "status_label": _label("status", DeploymentStatus.choices),
        "technology": "technology",
        "technology_label": _label("technology", Technology.choices),
        "agency": public_value("lead_agency", "name", default="", output_field=CharField()),
        "state": state_name_sql("state"),
        "city": "city",
    }


def hotspot_map_properties():
    return {
        "id": "id",
        "name": "name",
        "url": _detail_url("tracker:hotspot-list"),
        "kind_label": _label("kind", HotspotKind.choices),
        "city": "city",
        "camera_count": "camera_count",
    }
