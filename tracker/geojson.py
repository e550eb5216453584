"""GeoJSON FeatureCollections assembled by PostGIS in one query.

A serializer looping in Python takes seconds for tens of thousands of
points; ``json_agg`` over ``ST_AsGeoJSON`` takes milliseconds. The map
layer, the API's ``?format=geojson`` and the bulk exports all use this.
"""

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.db import connection
from django.db.models import F

GEOMETRY_COLUMN = "geometry_geojson"


def select_sql(queryset, columns):
    """SQL and parameters selecting ``columns`` (output name -> field path or
    expression), in that order and under exactly those names, from ``queryset``.

    Names may equal model fields (``lead_agency_id``, ``state``): expressions are
    computed under internal aliases and renamed in an outer SELECT.
    """
    fields, exprs, outer = [], {}, []
    for name, path in columns.items():
        if path == name:
            fields.append(name)
            outer.append(f"t.{quote(name)}")
        else:
            alias = f"_col_{len(exprs)}"
            exprs[alias] = F(path) if isinstance(path, str) else path
            outer.append(f"t.{quote(alias)} AS {quote(name)}")
    inner, params = queryset.values(*fields, **exprs).query.sql_with_params()
    return f"SELECT {', '.join(outer)} FROM ({inner}) AS t", params


def quote(name):
    return connection.ops.quote_name(name)


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


def feature_sql(alias="t"):
    """SQL for one Feature object built from a row of ``feature_rows_sql``."""
    return (
        f"json_build_object('type', 'Feature', 'id', {alias}.id, "
        f"'geometry', {alias}.{GEOMETRY_COLUMN}::json, "
        f"'properties', to_jsonb({alias}) - '{GEOMETRY_COLUMN}')"
    )


def feature_collection_query(queryset, properties, **kwargs):
    """SQL and parameters returning one text value: the whole FeatureCollection."""
    inner_sql, params = feature_rows_sql(queryset, properties, **kwargs)
    sql = (
        "SELECT json_build_object('type', 'FeatureCollection', 'features', "
        f"COALESCE(json_agg({feature_sql()}), '[]'::json))::text "
        f"FROM ({inner_sql}) AS t"
    )
    return sql, params


def feature_collection(queryset, properties, **kwargs):
    """The FeatureCollection as a JSON string, built by PostgreSQL in one query."""
    sql, params = feature_collection_query(queryset, properties, **kwargs)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


FEATURES_PER_FETCH = 2000


def feature_collection_chunks(queryset, properties, **kwargs):
    """The same FeatureCollection, streamed: PostGIS builds each Feature, a
    server-side cursor hands them over in batches, so memory stays flat however
    many rows there are (bulk exports)."""
    inner_sql, params = feature_rows_sql(queryset, properties, **kwargs)
    sql = f"SELECT {feature_sql()}::text FROM ({inner_sql}) AS t"
    yield b'{"type": "FeatureCollection", "features": ['
    first = True
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FEATURES_PER_FETCH):
            text = ",".join(row[0] for row in rows)
            yield (text if first else "," + text).encode()
            first = False
    yield b"]}"
