"""A list page's rows written by PostgreSQL, from the serializer's own declaration.

Serializing a page of 50 deployments field by field in Python costs tens of
milliseconds, which a one-off query (most of a researcher's) pays in full. So a
list page's ``results`` are built by PostgreSQL in one query: each serializer
is compiled, field by field and in its order, into ``json_build_object`` over
the viewset's own queryset, its nested summaries into the same joins, and each
``many=True`` field into an ordered ``json_agg`` over the very queryset the
selector prefetches (its filters, such as "published only", and its order).
Python then parses the page once and the JSON renderer writes it, so the bytes
are those the serializer would write (``tests/api/test_serializer_output.py``
compares the two): datetimes in the current time zone as ISO 8601, dates, whole
floats with their ".0", points as GeoJSON; areas (rare) are handed back as
WKB and written by GEOS as the serializer writes them.

A serializer with a field this cannot express (a method field, a decimal) is
not compiled: its pages are serialized as before.
"""

import json

from django.contrib.gis.db.models.functions import AsWKB
from django.contrib.gis.geos import GEOSGeometry
from django.contrib.postgres.aggregates.mixins import OrderableAggMixin
from django.db import connection
from django.db.models import (
    Case,
    F,
    Func,
    JSONField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models import fields as model_fields
from django.db.models.aggregates import Aggregate
from django.db.models.expressions import RawSQL
from django.utils import timezone
from rest_framework import fields as drf
from rest_framework import relations, serializers

from tracker.catalogue.visibility import public_q

from .serializers import GeoJSONGeometryField, PublishedOnly

JSON = JSONField()
NULL_JSON = RawSQL("NULL::json", (), output_field=JSON)
WKB_KEY = "__wkb__"  # an area handed back for GEOS to write


class Uncompilable(Exception):
    """The serializer has a field PostgreSQL cannot write as the serializer would."""


class JSONObject(Func):
    """json_build_object: keys in the order given (jsonb would sort them)."""

    function = "json_build_object"
    output_field = JSON


class JSONAgg(OrderableAggMixin, Aggregate):
    function = "json_agg"
    template = "%(function)s(%(expressions)s %(order_by)s)"
    output_field = JSON


def _to_json(expression):
    return Func(expression, function="to_json", output_field=JSON)


def _datetime(path):
    """DRF's DateTimeField: ISO 8601 in the current time zone, microseconds when not 0,
    ``Z`` for UTC."""
    zone = timezone.get_current_timezone_name()
    column = "%(expressions)s"
    local = f"({column} AT TIME ZONE '{zone}')"
    offset = f"extract(epoch FROM {local} - ({column} AT TIME ZONE 'UTC'))::int"
    template = (
        f"CASE WHEN {column} IS NULL THEN NULL ELSE to_json("
        f"to_char({local}, 'YYYY-MM-DD\"T\"HH24:MI:SS')"
        f" || CASE WHEN to_char({column}, 'US') = '000000' THEN '' "
        f"ELSE '.' || to_char({column}, 'US') END"
        f" || CASE WHEN {offset} = 0 THEN 'Z' ELSE "
        f"(CASE WHEN {offset} < 0 THEN '-' ELSE '+' END)"
        f" || lpad((abs({offset}) / 3600)::text, 2, '0') || ':'"
        f" || lpad((mod(abs({offset}), 3600) / 60)::text, 2, '0') END) END"
    )
    if "'" in zone:
        raise Uncompilable(zone)
    return Func(F(path), template=template, output_field=JSON)


def _date(path):
    return Func(
        F(path),
        template="to_json(to_char(%(expressions)s, 'YYYY-MM-DD'))",
        output_field=JSON,
    )


FLOAT_JSON = (
    "CASE WHEN {v} = trunc({v}) AND abs({v}) < 1e15 "
    "THEN (trunc({v})::bigint::text || '.0')::json ELSE to_json({v}) END"
)


def _point(path):
    """``{"type": "Point", "coordinates": [x, y]}`` with Python's float text (80.0, not 80)."""
    x, y = "ST_X(%(expressions)s)", "ST_Y(%(expressions)s)"
    template = (
        "CASE WHEN %(expressions)s IS NULL THEN NULL ELSE json_build_object('type', 'Point', "
        f"'coordinates', json_build_array({FLOAT_JSON.format(v=x)}, {FLOAT_JSON.format(v=y)}))"
        " END"
    )
    return Func(F(path), template=template, output_field=JSON)


def _geometry(path):
    """Any other geometry: its WKB, for GEOS to write as the serializer does."""
    return Case(
        When(**{f"{path}__isnull": True}, then=NULL_JSON),
        default=JSONObject(Value(WKB_KEY), Func(AsWKB(path), Value("hex"), function="encode")),
        output_field=JSON,
    )


SCALARS = (
    drf.CharField,
    drf.IntegerField,
    drf.BooleanField,
    drf.ChoiceField,
    drf.ReadOnlyField,
    drf.UUIDField,
)


def _model_field(model, name):
    try:
        return model._meta.get_field(name)
    except Exception:  # an annotation, not a field
        return None


def _field_expression(field, model, prefix, prefetches):
    """The JSON expression of one serializer field over rows of ``model`` (its columns
    reached through ``prefix``)."""
    if isinstance(field, serializers.SerializerMethodField | drf.HiddenField):
        raise Uncompilable(field.field_name)
    attrs = field.source_attrs
    if isinstance(field, serializers.ListSerializer):
        return _many(field, model, prefix, prefetches)
    if len(attrs) != 1:
        raise Uncompilable(field.source)
    name = attrs[0]
    path = prefix + name
    model_field = _model_field(model, name)
    if isinstance(field, serializers.BaseSerializer):
        return _one(field, model_field, path)
    if isinstance(field, GeoJSONGeometryField):
        if model_field is not None and model_field.geom_type == "POINT":
            return _point(path)
        return _geometry(path)
    if isinstance(field, drf.DateTimeField):
        return _datetime(path)
    if isinstance(field, drf.DateField):
        return _date(path)
    if isinstance(field, drf.ListField) and isinstance(field.child, drf.CharField):
        return _to_json(F(path))
    if isinstance(field, drf.FloatField | drf.DecimalField | drf.DurationField):
        raise Uncompilable(field.field_name)
    if isinstance(field, drf.ListField | drf.DictField | drf.JSONField | relations.RelatedField):
        raise Uncompilable(field.field_name)
    if isinstance(field, SCALARS) or type(field) is drf.Field:
        if isinstance(model_field, model_fields.DateTimeField | model_fields.DateField):
            raise Uncompilable(field.field_name)  # declared as text, written by Python
        return _to_json(F(path))
    raise Uncompilable(f"{field.field_name}: {type(field).__name__}")


def _object(serializer, model, prefix, prefetches=None):
    pairs = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        pairs += [Value(name), _field_expression(field, model, prefix, prefetches or {})]
    if len(pairs) > 100:  # json_build_object takes at most 100 arguments
        raise Uncompilable(f"{type(serializer).__name__} has over 50 fields")
    return JSONObject(*pairs)


def _one(serializer, model_field, path):
    """A nested summary through a foreign key: null when there is none, or (for
    PublishedOnly) when the related entry is not public."""
    if model_field is None or not model_field.is_relation or model_field.many_to_many:
        raise Uncompilable(path)
    related = model_field.related_model
    built = _object(serializer, related, f"{path}__")
    shown = Q(**{f"{path}__isnull": False})
    if isinstance(serializer, PublishedOnly):
        shown &= public_q(path)
    return Case(When(shown, then=built), default=NULL_JSON, output_field=JSON)


def _many(serializer, model, prefix, prefetches):
    """A ``many=True`` field read from ``prefetched_<name>``: the prefetch's own queryset,
    narrowed to the row, aggregated in its order."""
    if prefix:
        raise Uncompilable("a related set inside a related object")
    prefetch = prefetches.get(serializer.source)
    if prefetch is None:
        raise Uncompilable(serializer.source)
    relation = model._meta.get_field(prefetch.prefetch_through)
    related = relation.related_model
    if relation.auto_created and not relation.concrete:  # a reverse foreign key or M2M
        owner = relation.field.name
    else:
        owner = relation.related_query_name()
    rows = prefetch.queryset if prefetch.queryset is not None else related._default_manager.all()
    ordering = list(rows.query.order_by or related._meta.ordering or []) + ["pk"]
    child = serializer.child
    aggregate = (
        rows.filter(**{owner: OuterRef("pk")})
        .order_by()
        .annotate(_group=Value(1))
        .values("_group")
        .annotate(_json=JSONAgg(_object(child, related, ""), order_by=ordering))
        .values("_json")
    )
    return Func(
        Subquery(aggregate, output_field=JSON),
        RawSQL("'[]'::json", (), output_field=JSON),
        function="COALESCE",
        output_field=JSON,
    )


_compiled = {}


def _page_sql(serializer_class, queryset):
    """(SQL, parameters) writing the rows whose ids are given, or None if not compilable.
    Built once per serializer, model and time zone (a list page only supplies ids)."""
    key = (serializer_class, queryset.model, timezone.get_current_timezone_name())
    if key not in _compiled:
        prefetches = {
            lookup.to_attr: lookup
            for lookup in queryset._prefetch_related_lookups
            if getattr(lookup, "to_attr", None)
        }
        try:
            row = _object(serializer_class(), queryset.model, "", prefetches)
        except Uncompilable:
            _compiled[key] = None
        else:
            inner, params = (
                queryset.order_by().values(_pk=F("pk"), _row=row).query.sql_with_params()
            )
            sql = (
                "SELECT COALESCE(json_agg(t._row ORDER BY array_position(%s::bigint[], t._pk)),"
                f" '[]')::text FROM ({inner}) AS t WHERE t._pk = ANY(%s::bigint[])"
            )
            _compiled[key] = (sql, params)
    return _compiled[key]


def page_rows(serializer_class, queryset, ids):
    """The rows ``ids`` (in that order) as ``serializer_class`` writes them, read through
    ``queryset`` (the viewset's own, with the selector's prefetches); None when the
    serializer cannot be compiled."""
    compiled = _page_sql(serializer_class, queryset)
    if compiled is None:
        return None
    if not ids:
        return []
    sql, params = compiled
    ids = list(ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, [ids, *params, ids])
        rows = json.loads(cursor.fetchone()[0])
    for row in rows:
        for name, value in row.items():
            if isinstance(value, dict) and WKB_KEY in value:
                row[name] = json.loads(GEOSGeometry(memoryview(bytes.fromhex(value[WKB_KEY]))).json)
    return rows
