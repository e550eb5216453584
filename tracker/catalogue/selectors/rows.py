"""The site's list rows: published entries with what a list row shows, in a constant
number of queries, and the counts of a list's facets in one query."""

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from ...models import Agency, Deployment, Hotspot, RTIRequest, State, Vendor
from ..geography import state_name
from ..search import matches_read_by_search_index

# A list row never shows a shape; turning hundreds of them into GEOS objects cost a
# state page a third of its time.
SHAPES = ("location", "area")


def without_shapes(queryset, *related):
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
    return without_shapes(qs, "lead_agency", "state").prefetch_related(
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
    return without_shapes(qs, "state").annotate(deployment_count=led_deployment_count())


def hotspot_rows(queryset=None):
    qs = Hotspot.objects.published() if queryset is None else queryset
    return without_shapes(qs, "state", "agency")


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
    with matches_read_by_search_index(queryset), connection.cursor() as cursor:
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
