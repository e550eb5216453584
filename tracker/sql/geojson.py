"""GeoJSON FeatureCollections assembled by PostGIS in one query.

A serializer looping in Python takes seconds for tens of thousands of
points; ``json_agg`` over ``ST_AsGeoJSON`` takes milliseconds. The map
layer, the API's ``?format=geojson`` and the bulk exports all use this.
"""

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.core.exceptions import EmptyResultSet
from django.db import connection

from .columns import quote, select_sql

GEOMETRY_COLUMN = "geometry_geojson"


def feature_rows_sql(queryset, properties, *, geometry="location", precision=6):
    """SQL for the rows of properties plus the geometry as GeoJSON text.

    ``properties`` maps output names to field paths or expressions, as for
    ``QuerySet.values()``; it must include ``id``. Rows without geometry are
    left out (RFC 7946 allows null geometry, but many GIS readers choke on it).
    """
    columns = {**properties, GEOMETRY_COLUMN: AsGeoJSON(geometry, precision=precision)}
    if not queryset.query.is_sliced:  # a page (API) was already cut from rows with geometry
        queryset = queryset.filter(**{f"{geometry}__isnull": False})
    return select_sql(queryset, columns)


def feature_sql(names, alias="t"):
    """SQL for one Feature object built from a row of ``feature_rows_sql``.

    The properties ``names`` are built with json_build_object (faster than
    jsonb, and in the order given); PostgreSQL takes at most 100 arguments per
    call, so longer lists are built in pieces and merged.
    """
    pieces = [
        "json_build_object("
        + ", ".join(f"'{name}', {alias}.{quote(name)}" for name in names[i : i + 50])
        + ")"
        for i in range(0, len(names), 50)
    ]
    if len(pieces) == 1:
        properties = pieces[0]
    else:
        properties = " || ".join(f"{piece}::jsonb" for piece in pieces)
    return (
        f"json_build_object('type', 'Feature', 'id', {alias}.id, "
        f"'geometry', {alias}.{GEOMETRY_COLUMN}::json, "
        f"'properties', {properties})"
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


FEATURES_PER_FETCH = 2000


def feature_collection_chunks(queryset, properties, **kwargs):
    """The same FeatureCollection, streamed: PostGIS builds each Feature, a
    server-side cursor hands them over in batches, so memory stays flat however
    many rows there are (bulk exports)."""
    inner_sql, params = feature_rows_sql(queryset, properties, **kwargs)
    sql = f"SELECT {feature_sql(list(properties))}::text FROM ({inner_sql}) AS t"
    yield b'{"type": "FeatureCollection", "features": ['
    first = True
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FEATURES_PER_FETCH):
            text = ",".join(row[0] for row in rows)
            yield (text if first else "," + text).encode()
            first = False
    yield b"]}"
