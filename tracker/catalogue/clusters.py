"""What the map shows for one box at one zoom: clusters where points are dense, points elsewhere.

The browser asks for the box it shows and its zoom; PostGIS groups the
matching points of the box on a fixed grid of about ``CELL_PIXELS`` screen
pixels (snapped to the globe, so panning never reshuffles clusters) and
answers with a count and mean position per cell. A cell holding one point,
or a box holding at most ``POINT_LIMIT`` points, is sent as the point itself
with its popup's properties. An answer is therefore bounded by the number of
cells on a screen, never by the size of the dataset.

Up to ``PRECOUNTED_MAX_ZOOM`` the counts come from ``tracker_map_cell``, a grid
counted ahead per zoom and per value of the map's cheap filters and kept
current by triggers (migration ``0009_map_cells``): grouping a million
points per request took seconds. There a lone point shows as a cluster of
one until the reader zooms past that level or the box holds few points.
Other filters (agency, search, dates) and closer zooms group the live rows,
which are then few enough.

Grid clusters in GeoJSON were chosen over vector tiles (``ST_AsMVT``): Leaflet
draws them with no extra plugin (the maintained vector-tile plugins for
Leaflet are either unmaintained or built for other tile formats), the answer
keeps the site's GeoJSON properties and popups, filters stay ordinary query
parameters, and a test can add the counts up.
"""

import json
import math

from django.contrib.gis.geos import Polygon
from django.db import connection

from ..sql.geojson import feature_collection

CELL_PIXELS = 64
PRECOUNTED_MAX_ZOOM = 14  # keep equal to ZOOMS in migration 0009_map_cells
TILE_PIXELS = 256
MIN_ZOOM, MAX_ZOOM = 0, 20
POINT_LIMIT = 300
# At the maps' deepest zoom a cluster could not be opened by zooming in: there the box (a
# few hundred metres) is sent as points up to this many, which the browser lists or spreads.
DEEPEST_ZOOM = 18
DEEPEST_POINT_LIMIT = 2000
MAX_CELLS = 6000  # a box wider than about four screens at its zoom is refused


class BoxTooLarge(ValueError):
    """The box covers too many grid cells for its zoom."""


def cell_degrees(zoom):
    """The grid's cell size in degrees at ``zoom`` (Web Mercator tiles of 256 pixels)."""
    return CELL_PIXELS * 360.0 / (TILE_PIXELS * 2**zoom)


def check_box(bbox, zoom):
    """Refuse a box that would need more than ``MAX_CELLS`` cells at ``zoom``."""
    min_lon, min_lat, max_lon, max_lat = bbox
    cell = cell_degrees(zoom)
    cells = math.ceil((max_lon - min_lon) / cell) * math.ceil((max_lat - min_lat) / cell)
    if cells > MAX_CELLS:
        raise BoxTooLarge(f"the box spans {cells} cells at zoom {zoom}; at most {MAX_CELLS}")


def _cells(queryset, cell):
    """(count, mean lon, mean lat, an id) per grid cell of the located rows of ``queryset``."""
    inner, params = queryset.order_by().values("id", "location").query.sql_with_params()
    sql = (
        "SELECT count(*), avg(ST_X(location)), avg(ST_Y(location)), min(id) "
        f"FROM ({inner}) AS t "
        "GROUP BY floor(ST_X(location) / %s), floor(ST_Y(location) / %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, cell, cell))
        return cursor.fetchall()


def _precounted_cells(layer, filters, *, bbox, zoom):
    """(count, mean lon, mean lat, None) per cell touching ``bbox``, from ``tracker_map_cell``.

    ``filters`` maps its dimension columns (``PRECOUNTED_COLUMNS``) to the one
    value asked for.
    """
    cell = cell_degrees(zoom)
    min_lon, min_lat, max_lon, max_lat = bbox
    where = ["layer = %s", "zoom = %s", "cx BETWEEN %s AND %s", "cy BETWEEN %s AND %s"]
    params = [
        layer,
        zoom,
        math.floor(min_lon / cell),
        math.floor(max_lon / cell),
        math.floor(min_lat / cell),
        math.floor(max_lat / cell),
    ]
    for column in sorted(filters):
        if column not in PRECOUNTED_COLUMNS:
            raise ValueError(f"tracker_map_cell has no column {column}")
        where.append(f"{column} = %s")
        params.append(filters[column])
    sql = (
        "SELECT sum(n), sum(sx) / sum(n), sum(sy) / sum(n), NULL FROM tracker_map_cell "
        f"WHERE {' AND '.join(where)} GROUP BY cx, cy HAVING sum(n) > 0"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


PRECOUNTED_COLUMNS = ("state_id", "technology", "status", "purpose_class", "year")


def map_layer(queryset, properties, *, bbox, zoom, precounted=None):
    """The FeatureCollection for ``bbox`` (minlon, minlat, maxlon, maxlat) at ``zoom``.

    Cluster features carry ``{"cluster": true, "count": n}``; point features
    carry ``properties``. ``total`` is the number of matching points in the box.
    ``precounted`` is ``(layer, {column: value})`` when ``queryset`` is the
    published rows narrowed only by those columns, so the grid may answer.
    """
    check_box(bbox, zoom)
    box = Polygon.from_bbox(bbox)
    box.srid = 4326
    in_box = queryset.filter(location__intersects=box)
    if precounted is not None and zoom <= PRECOUNTED_MAX_ZOOM:
        cells = _precounted_cells(*precounted, bbox=bbox, zoom=zoom)
    else:
        cells = _cells(in_box, cell_degrees(zoom))
    total = sum(row[0] for row in cells)
    if total <= (DEEPEST_POINT_LIMIT if zoom >= DEEPEST_ZOOM else POINT_LIMIT):
        clusters, single_ids = [], None
    elif cells and cells[0][3] is None:  # precounted: no ids, every cell is a cluster
        clusters, single_ids = cells, []
    else:
        clusters = [row for row in cells if row[0] > 1]
        single_ids = [row[3] for row in cells if row[0] == 1]
    points_source = in_box if single_ids is None else queryset.filter(pk__in=single_ids)
    points = []
    if single_ids is None or single_ids:
        points = json.loads(feature_collection(points_source.order_by("id"), properties))[
            "features"
        ]
    if single_ids is None:
        total = len(points)  # exact: grid cells at the box's edge reach past it
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
            "properties": {"cluster": True, "count": count},
        }
        for count, lon, lat, _ in clusters
    ]
    return {
        "type": "FeatureCollection",
        "zoom": zoom,
        "total": total,
        "clustered": bool(clusters),
        "features": features + points,
    }
