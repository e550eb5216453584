"""GeoJSON FeatureCollections assembled by PostGIS in one query.

A serializer looping in Python takes seconds for tens of thousands of
points; ``json_agg`` over ``ST_AsGeoJSON`` takes milliseconds. The map
layer, the API's ``?format=geojson`` and the bulk exports all use this.
"""

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.core.exceptions import EmptyResultSet
from django.db import connection

from .columns import copy_out, quote, select_sql

GEOMETRY_COLUMN = "geometry_geojson"


def feature_rows_sql(queryset, properties, *, geometry="location", precision=6, projection=None):
    """SQL for the rows of properties plus the geometry as GeoJSON text.

    ``properties`` maps output names to field paths or expressions, as for
    ``QuerySet.values()``; it must include ``id``. Rows without geometry are
    left out (RFC 7946 allows null geometry, but many GIS readers choke on it).
    """
    columns = {**properties, GEOMETRY_COLUMN: AsGeoJSON(geometry, precision=precision)}
    if not queryset.query.is_sliced:  # a page (API) was already cut from rows with geometry
        queryset = queryset.filter(**{f"{geometry}__isnull": False})
    return select_sql(queryset, columns, projection=projection)


def _properties_sql(names, alias):
    """The properties ``names`` of a row, built with json_build_object (faster than jsonb,
    and in the order given); PostgreSQL takes at most 100 arguments per call, so longer
    lists are built in pieces and merged."""
    pieces = [
        "json_build_object("
        + ", ".join(f"'{name}', {alias}.{quote(name)}" for name in names[i : i + 50])
        + ")"
        for i in range(0, len(names), 50)
    ]
    if len(pieces) == 1:
        return pieces[0]
    return " || ".join(f"{piece}::jsonb" for piece in pieces)


def feature_sql(names, alias="t"):
    """SQL for one Feature object built from a row of ``feature_rows_sql``."""
    return (
        f"json_build_object('type', 'Feature', 'id', {alias}.id, "
        f"'geometry', {alias}.{GEOMETRY_COLUMN}::json, "
        f"'properties', {_properties_sql(names, alias)})"
    )


def feature_collection_query(queryset, properties, **kwargs):
    """SQL and parameters returning one text value: the whole FeatureCollection."""
    inner_sql, params = feature_rows_sql(queryset, properties, **kwargs)
    sql = (
        "SELECT json_build_object('type', 'FeatureCollection', 'features', "
        f"COALESCE(json_agg({feature_sql(list(properties))}), '[]'::json))::text "
        f"FROM ({inner_sql}) AS t"
    )
    return sql, params


def feature_collection(queryset, properties, **kwargs):
    """The FeatureCollection as a JSON string, built by PostgreSQL in one query."""
    try:
        sql, params = feature_collection_query(queryset, properties, **kwargs)
    except EmptyResultSet:  # a page past the end: no query can have rows
        return '{"type" : "FeatureCollection", "features" : []}'
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def feature_text_sql(names, alias="t"):
    """SQL for one Feature as text, the geometry spliced in as PostGIS wrote it (parsing
    it into json again, as ``feature_sql`` must for ``json_agg``, cost a tenth of an
    export)."""
    return (
        f"""'{{"type": "Feature", "id": ' || {alias}.id || ', "geometry": ' || """
        f"""{alias}.{GEOMETRY_COLUMN} || ', "properties": ' || """
        f"({_properties_sql(names, alias)})::text || '}}'"
    )


# Every Feature is one line of COPY's CSV output: with these separators it is written as
# it is, since json never holds a raw control character (they are escaped as \u001f...).
FEATURES_AS_LINES = "FORMAT csv, DELIMITER E'\\x1f', QUOTE E'\\x1e', ENCODING 'UTF8'"


def feature_collection_chunks(queryset, properties, **kwargs):
    """The same FeatureCollection, streamed: PostGIS writes each Feature and COPY hands
    them over as they are made, in blocks, so memory stays flat however many rows there
    are (bulk exports) and nothing is held back on the server."""
    names = list(properties)
    sql, params = feature_rows_sql(
        queryset, properties, projection=lambda alias: feature_text_sql(names, alias), **kwargs
    )
    yield b'{"type": "FeatureCollection", "features": ['
    pending = b""
    for block in copy_out(sql, params, options=FEATURES_AS_LINES):
        # One Feature per line: each line break becomes the comma after it; the last
        # comma waits until it is known not to be the end.
        text = pending + block.replace(b"\n", b",")
        pending = text[-1:]
        yield text[:-1]
    yield b"]}"
