"""Spatial queries against the real PostGIS."""

import pytest
from django.contrib.gis.geos import Point

from tests.factories import DeploymentFactory
from tracker.catalogue.geography import in_bbox, near
from tracker.models import Deployment

pytestmark = pytest.mark.django_db

LUCKNOW = (80.95, 26.85)


@pytest.fixture
def places():
    return {
        "lucknow": DeploymentFactory(title="Lucknow", location=Point(*LUCKNOW, srid=4326)),
        # About 72 km west of Lucknow.
        "kanpur": DeploymentFactory(title="Kanpur", location=Point(80.33, 26.45, srid=4326)),
        "delhi": DeploymentFactory(title="Delhi", location=Point(77.21, 28.61, srid=4326)),
        "nowhere": DeploymentFactory(title="No location", location=None),
    }


def test_deployments_within_a_distance_of_a_point(places):
    lon, lat = LUCKNOW
    within_50 = near(Deployment.objects.all(), longitude=lon, latitude=lat, radius_km=50)
    assert [d.title for d in within_50] == ["Lucknow"]
    within_100 = near(Deployment.objects.all(), longitude=lon, latitude=lat, radius_km=100)
    assert [d.title for d in within_100] == ["Lucknow", "Kanpur"]
    kanpur = within_100[1]
    assert 60 < kanpur.distance.km < 85
    within_500 = near(Deployment.objects.all(), longitude=lon, latitude=lat, radius_km=500)
    assert [d.title for d in within_500] == ["Lucknow", "Kanpur", "Delhi"]


def test_deployments_in_a_bounding_box(places):
    uttar_pradesh_ish = in_bbox(
        Deployment.objects.all(), min_lon=79, min_lat=25, max_lon=82, max_lat=28
    )
    assert sorted(d.title for d in uttar_pradesh_ish) == ["Kanpur", "Lucknow"]


def test_every_state_has_a_boundary_and_cities_fall_inside_their_own():
    from tracker.catalogue.geography import point_plausibly_in_state
    from tracker.models import State

    assert State.objects.filter(boundary__isnull=True).count() == 0  # every one has a shape
    up, goa = State.objects.get(code="IN-UP"), State.objects.get(code="IN-GA")
    lucknow = Point(*LUCKNOW, srid=4326)
    assert point_plausibly_in_state(lucknow, up) is True
    assert point_plausibly_in_state(lucknow, goa) is False
    hyderabad = Point(78.47, 17.39, srid=4326)
    assert point_plausibly_in_state(hyderabad, State.objects.get(code="IN-TS")) is True
    assert point_plausibly_in_state(None, up) is None
