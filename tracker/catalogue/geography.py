"""Geography helpers shared by the site, the API and moderation."""

import math

from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point, Polygon
from django.contrib.gis.measure import D

EARTH_KM_PER_DEGREE = 111.32


def near(queryset, *, longitude, latitude, radius_km, field="location"):
    """Rows within ``radius_km`` of a point, nearest first, with ``distance`` annotated.

    A bounding box (which the spatial index can use) narrows the rows before
    the exact great-circle distance is computed.
    """
    point = Point(longitude, latitude, srid=4326)
    lat_deg = radius_km / EARTH_KM_PER_DEGREE
    cos_lat = max(math.cos(math.radians(latitude)), 0.01)
    lon_deg = min(radius_km / (EARTH_KM_PER_DEGREE * cos_lat), 180)
    box = Polygon.from_bbox(
        (
            max(longitude - lon_deg, -180),
            max(latitude - lat_deg, -90),
            min(longitude + lon_deg, 180),
            min(latitude + lat_deg, 90),
        )
    )
    box.srid = 4326
    return (
        queryset.filter(**{f"{field}__bboverlaps": box})
        .filter(**{f"{field}__distance_lte": (point, D(km=radius_km))})
        .annotate(distance=Distance(field, point))
        .order_by("distance", "id")
    )


def in_bbox(queryset, *, min_lon, min_lat, max_lon, max_lat, field="location"):
    """Rows whose point lies in the box (edges included)."""
    box = Polygon.from_bbox((min_lon, min_lat, max_lon, max_lat))
    box.srid = 4326
    return queryset.filter(**{f"{field}__intersects": box})


def point_plausibly_in_state(point, state):
    """Whether a point lies inside (or within ~25 km of) the state's boundary.

    A warning for moderators, never a hard block: coordinates are often city
    centres, and boundaries are simplified. Unknown when no boundary is stored.
    """
    from ..models import StateBoundary

    if point is None or state is None:
        return None
    boundary = StateBoundary.objects.filter(state=state).first()
    if boundary is None:
        return None
    return boundary.shape.distance(point) <= 25 / EARTH_KM_PER_DEGREE
