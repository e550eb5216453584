"""The live ``near`` and ``in_bbox`` filters at their edges: just inside is in, just outside is out.

Points are placed on PostGIS's sphere (ST_DistanceSphere, mean Earth radius)
at 0.1 % inside and outside the radius: due north, due east, and at the
circle's widest longitude, where a box that is too narrow would lose them.
"""

import math

import pytest
from django.contrib.gis.geos import Point

from tests.factories import AgencyFactory, DeploymentFactory, HotspotFactory
from tests.support.pages import ids
from tracker.catalogue.filters import EARTH_RADIUS_KM

LUCKNOW = (80.95, 26.85)


def north(lon, lat, km):
    return lon, lat + math.degrees(km / EARTH_RADIUS_KM)


def east(lon, lat, km):
    """Same latitude, ``km`` away along the great circle."""
    half = math.sin(km / (2 * EARTH_RADIUS_KM)) / math.cos(math.radians(lat))
    return lon + math.degrees(2 * math.asin(half)), lat


def widest(lon, lat, km):
    """The point ``km`` away with the largest longitude (where a meridian touches the circle)."""
    angle, phi = km / EARTH_RADIUS_KM, math.radians(lat)
    return (
        lon + math.degrees(math.asin(math.sin(angle) / math.cos(phi))),
        math.degrees(math.asin(math.sin(phi) / math.cos(angle))),
    )


@pytest.mark.parametrize("radius_km", [1, 50, 2000])
@pytest.mark.parametrize("place", [north, east, widest])
def test_near_keeps_a_point_just_inside_and_drops_one_just_outside(client, db, place, radius_km):
    inside = DeploymentFactory(location=Point(*place(*LUCKNOW, radius_km * 0.999), srid=4326))
    outside = DeploymentFactory(location=Point(*place(*LUCKNOW, radius_km * 1.001), srid=4326))
    query = {"near": "{},{}".format(*LUCKNOW), "radius_km": radius_km, "limit": 500}
    found = ids(client.get("/api/v1/deployments/", query))
    assert inside.pk in found
    assert outside.pk not in found
    export = b"".join(client.get("/api/v1/export/deployments.csv", query).streaming_content)
    assert f"\n{inside.pk},".encode() in export and f"\n{outside.pk},".encode() not in export


def test_near_default_radius_is_ten_km(client, db):
    inside = HotspotFactory(location=Point(*north(*LUCKNOW, 9.99), srid=4326))
    outside = HotspotFactory(location=Point(*north(*LUCKNOW, 10.01), srid=4326))
    found = ids(client.get("/api/v1/hotspots/", {"near": "{},{}".format(*LUCKNOW)}))
    assert inside.pk in found and outside.pk not in found


BOX = (79.0, 25.0, 82.0, 28.0)
EPSILON = 1e-6  # degrees, about 10 cm


@pytest.mark.parametrize(
    ("lon", "lat", "expected"),
    [
        (79.0, 26.0, True),  # on the west edge
        (82.0, 26.0, True),  # on the east edge
        (80.0, 25.0, True),  # on the south edge
        (80.0, 28.0, True),  # on the north edge
        (82.0, 28.0, True),  # a corner
        (79.0 + EPSILON, 26.0, True),
        (79.0 - EPSILON, 26.0, False),
        (82.0 + EPSILON, 26.0, False),
        (80.0, 25.0 - EPSILON, False),
        (80.0, 28.0 + EPSILON, False),
    ],
)
def test_in_bbox_includes_its_edges_and_nothing_beyond(client, db, lon, lat, expected):
    agency = AgencyFactory(location=Point(lon, lat, srid=4326))
    deployment = DeploymentFactory(lead_agency=agency, location=Point(lon, lat, srid=4326))
    box = ",".join(str(v) for v in BOX)
    assert (deployment.pk in ids(client.get("/api/v1/deployments/", {"in_bbox": box}))) is expected
    assert (agency.pk in ids(client.get("/api/v1/agencies/", {"in_bbox": box}))) is expected
