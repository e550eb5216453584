"""A list page's rows written by PostgreSQL, from the serializer's own declaration.

Serializing a page of 50 deployments field by field in Python costs tens of
milliseconds, which a one-off query (most of a researcher's) pays in full. So a
list page's ``results`` are written by PostgreSQL in one query, as the JSON text
the renderer would write (compact, keys in the serializer's order): each
serializer is compiled, field by field, into a concatenation of its keys and
values' JSON text over the viewset's own queryset, its nested summaries into the
same joins. Each ``many=True`` field of the page's rows, and a deployment's claim
levels (``models.evidence``), is read for the whole page in one grouped pass
(``PageSet``) joined to the rows: an ordered ``string_agg`` over the very queryset
the selector prefetches (its filters, such as "published only", and its order); a
set that queryset prefetches in turn, such as a citation's evidence, is a subquery
per item. The text is never parsed: ``renderers.PageJSONRenderer`` sets it into
the page it writes. Datetimes are written in the reader's time zone as DRF's
``isoformat`` writes them (``ISO_DATETIME``); a datetime field with another
format, and geometries other than points (as WKB; GEOS writes them), come back
raw, marked, and are written by the serializer's own field, so their text is
exactly its text. PostgreSQL escapes strings as Python's JSON encoder does
(``\u2028`` is escaped by the renderer for both); points are written with
Python's float text (``80.0``, not ``80``). ``tests/api/test_serializer_output.py``
compares the bytes with REST framework's own writing.

A serializer with a field this cannot express (a method field, a decimal) is
not compiled: its pages are serialized as before.
"""

import json
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from django.contrib.gis.db.models.functions import AsWKB
from django.contrib.gis.geos import GEOSGeometry
from django.contrib.postgres.aggregates.mixins import OrderableAggMixin
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models
from django.db.models import Case, F, Func, OuterRef, Q, Subquery, TextField, Value, When
from django.db.models.aggregates import Aggregate
from django.utils import timezone
from psycopg import ClientCursor
from rest_framework import fields as drf
from rest_framework import relations, serializers
from rest_framework.settings import api_settings

from tracker.catalogue.visibility import public_q
from tracker.models import Claim, Deployment, VerificationLevel
from tracker.models.evidence import every_claim_level

from .renderers import RawJSON, json_value_writer
from .serializers import ClaimLevelsField, GeoJSONGeometryField, PublishedOnly

TEXT = TextField()
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Written by PostgreSQL as they are: to_json turns text, whole numbers and booleans
# (and NULL) into what these serializer fields write for such columns. None stands for
# an annotation of the queryset (a count).
PLAIN = {
    drf.CharField: (models.CharField, models.TextField),
    drf.ChoiceField: (models.CharField,),
    drf.IntegerField: (models.IntegerField, models.BigIntegerField, models.AutoField, type(None)),
    drf.BooleanField: (models.BooleanField,),
}
# A whole float keeps its ".0", as Python writes it (json.loads reads "80" as an int).
FLOAT = (
    "CASE WHEN {v} = trunc({v}) AND abs({v}) < 1e15 "
    "THEN (trunc({v})::bigint::text || '.0')::json ELSE to_json({v}) END"
)


class Uncompilable(Exception):
    """The serializer has a field PostgreSQL cannot write as the serializer would."""


class TextArray(OrderableAggMixin, Aggregate):
    """The JSON text of an array of JSON texts, in the order given."""

    function = "string_agg"
    template = "'[' || %(function)s(%(expressions)s, ',' %(order_by)s) || ']'"
    output_field = TEXT


@dataclass(frozen=True)
class Finish:
    """A value PostgreSQL hands back raw, for the serializer's ``field`` to write. In the
    page's text it stands as ``MARK<index>:<raw>MARK``: MARK is a control character,
    which PostgreSQL's JSON text never holds raw (it escapes every one of them)."""

    field: drf.Field
    kind: str  # "datetime" (microseconds since 1970) or "geometry" (WKB as hex)

    def writer(self):
        """A function writing one raw value as the field would; for ISO 8601 datetimes
        the field's own steps (to the current time zone, ``isoformat``, ``Z`` for UTC)
        with the time zone looked up once per page rather than once per value."""
        field = self.field
        if self.kind == "geometry":
            return lambda raw: field.to_representation(GEOSGeometry(memoryview(bytes.fromhex(raw))))
        output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
        zone = getattr(field, "timezone", None) or field.default_timezone()
        if output_format is None or output_format.lower() != drf.ISO_8601 or zone is None:
            return lambda raw: field.to_representation(EPOCH + timedelta(microseconds=int(raw)))

        def iso(raw):
            text = (EPOCH + timedelta(microseconds=int(raw))).astimezone(zone).isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text

        return iso


MARK = "\x01"


def _finished(expression, field, kind, finishes):
    """``expression`` (text, or NULL) handed back raw for ``field`` to write: null stays
    null."""
    finishes.append(Finish(field, kind))
    marked = Func(
        Value(f"{MARK}{len(finishes) - 1}:"),
        expression,
        Value(MARK),
        template="(%(expressions)s)",
        arg_joiner=" || ",
        output_field=TEXT,
    )
    return Func(marked, Value("null"), function="COALESCE", output_field=TEXT)


def _json_text(expression):
    """The JSON text of a column or value: null for NULL."""
    return Func(
        Func(expression, function="to_json", output_field=TEXT),
        template="COALESCE(%(expressions)s::text, 'null')",
        output_field=TEXT,
    )


def _bare_text(expression):
    """The JSON text of a value whose text needs no quoting or escaping (a whole number,
    a boolean): its text as PostgreSQL writes it, which is also what ``json.dumps`` writes,
    null for NULL. Cheaper than ``to_json``, which looks its argument's type up on every
    call, a few thousand times a page."""
    return Func(expression, template="COALESCE((%(expressions)s)::text, 'null')", output_field=TEXT)


# Columns written by their bare text (``_bare_text``).
BARE = (models.IntegerField, models.BigIntegerField, models.AutoField, models.BooleanField)


# A datetime as DRF writes it in ISO 8601: ``isoformat`` in the reader's time zone,
# microseconds only when there are some, "Z" for UTC. The page's parameters: $2 the zone's
# name; within the range of instants $3 the zone keeps one offset ($4, written $5 with the
# closing quote), so a datetime there is shifted by it, and any other converted in full.
ISO_DATETIME = (
    "CASE WHEN {v} IS NULL THEN 'null' "
    "WHEN {v} <@ $3 THEN '\"' || to_char(({v} AT TIME ZONE 'UTC') + $4, {day}) || {us} || $5 "
    "ELSE '\"' || to_char({v} AT TIME ZONE $2, {day}) || {us} || "
    "CASE WHEN {o} = 0 THEN 'Z' ELSE CASE WHEN {o} < 0 THEN '-' ELSE '+' END || "
    "to_char(make_interval(secs => abs({o})), 'HH24:MI') || "
    "CASE WHEN mod(abs({o}), 60) = 0 THEN '' "
    "ELSE to_char(make_interval(secs => abs({o})), ':SS') END END || '\"' END"
).format(
    v="%(expressions)s",
    day="'YYYY-MM-DD\"T\"HH24:MI:SS'",
    us="CASE WHEN mod(date_part('microseconds', %(expressions)s)::bigint, 1000000) = 0 "
    "THEN '' ELSE to_char(%(expressions)s, '.US') END",
    o="extract(epoch FROM (%(expressions)s AT TIME ZONE $2) - "
    "(%(expressions)s AT TIME ZONE 'UTC'))::integer",
)


def _datetime(path, field, finishes):
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    in_reader_zone = not hasattr(field, "timezone")
    if in_reader_zone and output_format is not None and output_format.lower() == drf.ISO_8601:
        return Func(F(path), template=ISO_DATETIME, output_field=TEXT)
    micros = Func(
        F(path),
        template="((extract(epoch FROM %(expressions)s) * 1000000)::bigint)::text",
        output_field=TEXT,
    )
    return _finished(micros, field, "datetime", finishes)


def _date(path):
    """A date as ``isoformat`` writes it, quoted (its text has nothing to escape)."""
    return Func(
        F(path),
        template="COALESCE('\"' || to_char(%(expressions)s, 'YYYY-MM-DD') || '\"', 'null')",
        output_field=TEXT,
    )


def _point(path):
    """``{"type":"Point","coordinates":[x,y]}``, as the serializer writes a point."""
    x, y = "ST_X(%(expressions)s)", "ST_Y(%(expressions)s)"
    template = (
        "CASE WHEN %(expressions)s IS NULL THEN 'null' ELSE "
        '\'{"type":"Point","coordinates":[\' || '
        f"({FLOAT.format(v=x)})::text || ',' || ({FLOAT.format(v=y)})::text || ']}}' END"
    )
    return Func(F(path), template=template, output_field=TEXT)


def _model_field(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # an annotation of the queryset
        return None


def _field(field, model, prefix, prefetches, finishes):
    """The JSON text of one serializer field over rows of ``model`` whose columns are
    reached through ``prefix``."""
    if isinstance(field, serializers.ListSerializer):
        return _many(field, model, prefix, prefetches, finishes)
    if isinstance(field, ClaimLevelsField):  # a page's own rows only (_top_field)
        raise Uncompilable(field.field_name)
    if isinstance(field, serializers.SerializerMethodField) or len(field.source_attrs) != 1:
        raise Uncompilable(field.field_name)
    name = field.source_attrs[0]
    path = prefix + name
    model_field = _model_field(model, name)
    if isinstance(field, serializers.BaseSerializer):
        return _one(field, model_field, path, finishes)
    if isinstance(field, GeoJSONGeometryField):
        if getattr(model_field, "geom_type", None) == "POINT":
            return _point(path)
        raw = Func(AsWKB(path), Value("hex"), function="encode", output_field=TEXT)
        return _finished(raw, field, "geometry", finishes)
    if isinstance(field, drf.DateTimeField):
        return _datetime(path, field, finishes)
    if isinstance(field, drf.DateField):
        return _date(path)
    if isinstance(field, drf.ListField) and isinstance(field.child, drf.CharField):
        return _json_text(F(path))
    if isinstance(field, relations.RelatedField | drf.ListField | drf.DictField):
        raise Uncompilable(field.field_name)
    columns = next((kinds for kind, kinds in PLAIN.items() if isinstance(field, kind)), ())
    if isinstance(model_field, columns):
        return _bare_text(F(path)) if isinstance(model_field, BARE) else _json_text(F(path))
    raise Uncompilable(f"{field.field_name}: {type(field).__name__}")


def _text_parts(pairs):
    """The parts of the JSON text of an object of (name, value) pairs, in their order,
    written compactly as the JSON renderer writes (no spaces): key texts and values."""
    parts = []
    for index, (name, value) in enumerate(pairs):
        key = json.dumps(name, ensure_ascii=False)
        parts += [Value(("{" if index == 0 else ",") + key + ":"), value]
    parts.append(Value("}" if pairs else "{}"))
    return parts


def _concatenated(parts):
    return Func(*parts, template="(%(expressions)s)", arg_joiner=" || ", output_field=TEXT)


def _text_object(pairs):
    """The JSON text of an object of (name, JSON text expression) pairs."""
    return _concatenated(_text_parts(pairs))


def _object(serializer, model, prefix, prefetches, finishes):
    """The JSON text of every readable field, in the serializer's order."""
    pairs = [
        (name, _field(field, model, prefix, prefetches, finishes))
        for name, field in serializer.fields.items()
        if not field.write_only
    ]
    return _text_object(pairs)


def _one(serializer, model_field, path, finishes):
    """A summary through a foreign key: null when there is none or (PublishedOnly) when
    the related entry is not public."""
    if model_field is None or not model_field.many_to_one:
        raise Uncompilable(path)
    built = _object(serializer, model_field.related_model, f"{path}__", {}, finishes)
    shown = Q(**{f"{path}__isnull": False})
    if isinstance(serializer, PublishedOnly):
        shown &= public_q(path)
    return Case(When(shown, then=built), default=Value("null"), output_field=TEXT)


UNVERIFIED_CLAIMS = json.dumps(
    dict.fromkeys(Claim.values, VerificationLevel.UNVERIFIED), separators=(",", ":")
)


def _claim_levels(model):
    """Each claim's level, in the field's order, "unverified" where no source is cited:
    one grouped pass over the page's evidence (``every_claim_level``), by deployment."""
    if model is not Deployment:
        raise Uncompilable("claims")
    built = _text_object([(code, _json_text(F(f"level_{code}"))) for code in Claim.values])
    levels = every_claim_level().values("deployment", _json=built)
    return PageSet(levels, owner="deployment", empty=UNVERIFIED_CLAIMS)


def _related_rows(serializer, model, prefix, prefetches, finishes):
    """A ``many=True`` field's rows: the prefetch's own queryset (its filters, such as
    "published only"), with the lookup from them to the owning row, and the JSON text
    of each, in its order (ties broken by id)."""
    prefetch = prefetches.get(serializer.source)
    if prefix or prefetch is None:
        raise Uncompilable(serializer.source)
    relation = model._meta.get_field(prefetch.prefetch_through)
    related = relation.related_model
    if relation.auto_created and not relation.concrete:  # a reverse foreign key or M2M
        owner = relation.field.name
    else:
        owner = relation.related_query_name()
    rows = prefetch.queryset if prefetch.queryset is not None else related._default_manager.all()
    ordering = [*(rows.query.order_by or related._meta.ordering or ()), "pk"]
    built = _object(serializer.child, related, "", _prefetches(rows), finishes)
    return rows.order_by(), owner, TextArray(built, order_by=ordering)


def _many(serializer, model, prefix, prefetches, finishes):
    """A ``many=True`` field read from ``prefetched_<name>``, aggregated per row: inside
    another set (a citation's evidence), a subquery per row."""
    rows, owner, aggregate = _related_rows(serializer, model, prefix, prefetches, finishes)
    texts = (
        rows.filter(**{owner: OuterRef("pk")})
        .annotate(_group=Value(1))
        .values("_group")
        .annotate(_json=aggregate)
        .values("_json")
    )
    return Func(
        Subquery(texts, output_field=TEXT), Value("[]"), function="COALESCE", output_field=TEXT
    )


@dataclass(frozen=True)
class PageSet:
    """A related set of a page's rows, written for the whole page in one grouped pass:
    ``rows`` has one row per owner (its id in ``owner``) with the set's JSON text in
    ``_json``; ``empty`` stands for an owner without a row."""

    rows: models.QuerySet
    owner: str
    empty: str


def _page_set(serializer, model, prefetches, finishes):
    rows, owner, aggregate = _related_rows(serializer, model, "", prefetches, finishes)
    texts = rows.values(_owner=F(owner)).annotate(_json=aggregate).values("_owner", "_json")
    return PageSet(texts, owner="_owner", empty="[]")


def _top_field(field, model, prefetches, finishes):
    """A field of the page's own rows: its related sets are grouped (``PageSet``)."""
    if isinstance(field, serializers.ListSerializer):
        return _page_set(field, model, prefetches, finishes)
    if isinstance(field, ClaimLevelsField):
        return _claim_levels(model)
    return _field(field, model, "", prefetches, finishes)


@dataclass(frozen=True)
class PageQuery:
    """A compiled page: its SQL, which takes the page's ids as its one parameter, and the
    values the serializer's own fields finish."""

    name: str
    sql: str
    finishes: list


_compiled = {}
_prepared = weakref.WeakKeyDictionary()  # database connection -> names prepared on it


def _prefetches(queryset):
    """{attribute: Prefetch} of the sets ``queryset`` prefetches into attributes."""
    return {
        lookup.to_attr: lookup
        for lookup in queryset._prefetch_related_lookups
        if getattr(lookup, "to_attr", None)
    }


def page_query(serializer_class, queryset):
    """The compiled query writing rows by id, or None if the serializer is not compilable.
    Made once per serializer and model: the SQL depends on nothing else (a page only
    supplies its ids and the reader's time zone, as parameters)."""
    key = (serializer_class, queryset.model)
    if key not in _compiled:
        try:
            _compiled[key] = _compile(serializer_class, queryset)
        except Uncompilable:
            _compiled[key] = None
    return _compiled[key]


def _compile(serializer_class, queryset):
    """The page's SQL: each row's text in pieces around its related sets (the columns
    ``_t0``, ``_t1``...), each set grouped for the page's ids and joined to its rows."""
    if _reads_the_clock(queryset):
        raise Uncompilable("its rows depend on the time they are read")
    finishes = []
    model = queryset.model
    prefetches = _prefetches(queryset)
    pairs = [
        (name, _top_field(field, model, prefetches, finishes))
        for name, field in serializer_class().fields.items()
        if not field.write_only
    ]
    pieces, sets = [[]], []
    for part in _text_parts(pairs):
        if isinstance(part, PageSet):
            sets.append(part)
            pieces.append([])
        else:
            pieces[-1].append(part)
    columns = {f"_t{n}": _concatenated(piece) for n, piece in enumerate(pieces)}
    connection.ensure_connection()
    mogrify = ClientCursor(connection.connection).mogrify

    def sql(rows):
        return mogrify(*rows.query.sql_with_params())

    row = ["t._t0"]
    joins = []
    for n, page_set in enumerate(sets):
        empty = mogrify("%s", [page_set.empty])
        row += [f"COALESCE(s{n}._json, {empty})", f"t._t{n + 1}"]
        joins.append(
            f" LEFT JOIN (SELECT * FROM ({sql(page_set.rows)}) AS g"
            f" WHERE g.{page_set.owner} = ANY($1)) AS s{n} ON s{n}.{page_set.owner} = t._pk"
        )
    inner = sql(queryset.order_by().values(_pk=F("pk"), **columns))
    text = (
        f"SELECT '[' || COALESCE(string_agg({' || '.join(row)}, ',' "
        "ORDER BY array_position($1, t._pk)), '') || ']'"
        f" FROM ({inner}) AS t{''.join(joins)} WHERE t._pk = ANY($1)"
    )
    name = f"api_rows_{model._meta.model_name}_{serializer_class.__name__.lower()}"
    return PageQuery(name, text, finishes)


def _reads_the_clock(queryset) -> bool:
    """A queryset judged against the time it runs (the RTI clock's parameters): its SQL,
    compiled once, would keep the moment it was compiled at."""
    return any(
        getattr(part, "reads_the_clock", False)
        for annotation in queryset.query.annotations.values()
        for part in annotation.flatten()
    )


def _execute(cursor, query, ids, zone):
    """Run the page's query as a statement prepared once per database connection, so it
    is planned once rather than on every page."""
    raw = cursor.connection.connection
    prepared = _prepared.setdefault(raw, set())
    if query.name not in prepared:
        sql = query.sql.replace("%", "%%")
        types = "bigint[], text, tstzrange, interval, text"
        cursor.execute(f"PREPARE {query.name}({types}) AS {sql}")
        prepared.add(query.name)
    # The ids (integers read from the database) as one array literal: adapting a list
    # value by value cost more than the query's own parameters.
    ids_text = "{" + ",".join(str(int(pk)) for pk in ids) + "}"
    cursor.execute(
        f"EXECUTE {query.name}(%s::bigint[], %s, %s::tstzrange, %s::interval, %s)",
        [ids_text, *zone],
    )


class Zone(NamedTuple):
    """The reader's time zone as the page's query takes it: its name, the instants in
    which it keeps today's offset (from its last change to three years ahead; empty if it
    changes sooner, with summer time), that offset in seconds and as ``isoformat`` writes
    it."""

    name: str
    fixed: str
    offset: str
    offset_text: str


def _zone(zone):
    """The current time zone for the page's query, or None (a zone without a name, or one
    PostgreSQL lacks): its pages are then written by the serializer."""
    name = "UTC" if zone is UTC else getattr(zone, "key", None)
    if name not in _known_zones:
        _known_zones[name] = _zone_for_query(name, zone)
    return _known_zones[name]


def _zone_for_query(name, zone):
    if name is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_timezone_names WHERE name = %s", [name])
        if cursor.fetchone()[0] != 1:
            return None
    since = fixed_offset_since(zone)
    now = datetime.now(UTC).replace(microsecond=0).astimezone(zone)
    offset = int(now.utcoffset().total_seconds())
    text = now.isoformat()[19:]
    text = "Z" if text == "+00:00" else text
    until = now + timedelta(days=3 * 365)
    fixed = "empty" if since is None else f"[{since.isoformat()},{until.isoformat()})"
    return Zone(name, fixed, f"{offset} seconds", text + '"')


_known_zones = {}


def fixed_offset_since(zone, *, earliest=datetime(1800, 1, 1, tzinfo=UTC)):
    """The first instant (whole seconds, UTC) from which ``zone`` has kept today's offset,
    or None if it changes in the next three years (summer time). Found a day at a time
    backwards, then to the second: no zone has kept an offset for less than a day."""

    def offset(moment):
        return moment.astimezone(zone).utcoffset()

    now = datetime.now(UTC).replace(microsecond=0)
    current = offset(now)
    if any(offset(now + timedelta(days=days)) != current for days in range(1, 3 * 366, 7)):
        return None
    day = now
    while day > earliest:
        before = day - timedelta(days=1)
        if offset(before) != current:
            low, high = int(before.timestamp()), int(day.timestamp())  # changed in (low, high]
            while high - low > 1:
                middle = (low + high) // 2
                if offset(datetime.fromtimestamp(middle, UTC)) == current:
                    high = middle
                else:
                    low = middle
            return datetime.fromtimestamp(high, UTC)
        day = before
    return earliest


def page_rows(serializer_class, queryset, ids):
    """The rows ``ids`` (in that order) as ``serializer_class`` writes them, read through
    ``queryset`` (the viewset's own, with the selector's prefetches), as JSON text
    (``RawJSON``); None when the serializer cannot be compiled."""
    query = page_query(serializer_class, queryset)
    if query is None:
        return None
    zone = _zone(timezone.get_current_timezone())
    if zone is None:
        return None
    if not ids:
        return RawJSON("[]")
    with connection.cursor() as cursor:
        _execute(cursor, query, list(ids), zone)
        text = cursor.fetchone()[0]
    return RawJSON(_finish(text, query.finishes) if MARK in text else text)


def _finish(text, finishes):
    """``text`` with every raw value (``Finish``) written by its field."""
    parts = text.split(MARK)
    writers = [finish.writer() for finish in finishes]
    dumps = json_value_writer()
    for place in range(1, len(parts), 2):
        index, raw = parts[place].split(":", 1)
        parts[place] = dumps(writers[int(index)](raw))
    return "".join(parts)
