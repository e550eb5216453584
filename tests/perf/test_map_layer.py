"""The map's data: clusters that add up, points when zoomed in, filters, ETags, gzip."""

import gzip
import json
import random

import pytest
from django.contrib.gis.geos import Point

from tests.factories import AgencyFactory
from tracker.catalogue.clusters import POINT_LIMIT
from tracker.models import Deployment, Publication

pytestmark = pytest.mark.django_db

CITIES = {"IN-UP": (80.95, 26.85), "IN-MH": (72.88, 19.08), "IN-KA": (77.59, 12.97)}


@pytest.fixture
def many_deployments():
    """700 published deployments around three cities, plus drafts that must never count."""
    rng = random.Random(5)
    agency = AgencyFactory(name="Map Police")
    rows = []
    for n in range(760):
        state = list(CITIES)[n % 3]
        lon, lat = CITIES[state]
        rows.append(
            Deployment(
                title=f"Map system {n}",
                slug=f"map-system-{n}",
                lead_agency=agency,
                technology="facial_recognition" if n % 2 else "video_analytics",
                purpose_class="surveillance",
                status="in_use",
                state_id=state,
                location=Point(lon + rng.gauss(0, 0.05), lat + rng.gauss(0, 0.05), srid=4326),
                publication=Publication.DRAFT if n >= 700 else Publication.PUBLISHED,
            )
        )
    Deployment.objects.bulk_create(rows)


def layer(client, **params):
    response = client.get("/map/deployments.geojson", params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    return response.json()


def counted(collection):
    return sum(
        f["properties"]["count"] if f["properties"].get("cluster") else 1
        for f in collection["features"]
    )


def test_clusters_add_up_to_the_filtered_total(client, many_deployments):
    everything = layer(client, bbox="60,0,100,40", zoom=4)
    assert everything["clustered"] is True
    assert everything["total"] == 700 == counted(everything)
    assert len(everything["features"]) < 20  # a few clusters, not 700 points

    filtered = layer(client, bbox="60,0,100,40", zoom=4, technology="facial_recognition")
    assert filtered["total"] == counted(filtered) == 350

    one_state = layer(
        client, bbox="60,0,100,40", zoom=6, state="IN-MH", technology="video_analytics"
    )
    expected = Deployment.objects.published().filter(state_id="IN-MH", technology="video_analytics")
    assert one_state["total"] == counted(one_state) == expected.count()


def test_points_appear_at_high_zoom(client, many_deployments):
    lon, lat = CITIES["IN-UP"]
    box = f"{lon - 0.02},{lat - 0.02},{lon + 0.02},{lat + 0.02}"
    close = layer(client, bbox=box, zoom=16)
    assert close["clustered"] is False
    assert 0 < close["total"] <= POINT_LIMIT
    titles = [f["properties"]["title"] for f in close["features"]]
    assert len(titles) == close["total"]
    assert all(t.startswith("Map system ") for t in titles)
    assert all(f["properties"]["url"].startswith("/deployments/") for f in close["features"])


def test_no_answer_is_the_whole_dataset(client, many_deployments):
    default = layer(client)  # no box: India at zoom 4
    assert default["total"] == 700
    assert len(default["features"]) < 700


def test_bad_view_or_filter_is_a_400_naming_the_parameter(client, many_deployments):
    for params, field in [
        ({"state": "uttar pradesh"}, "state"),
        ({"zoom": "99"}, "zoom"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "-180,-85,180,85", "zoom": "15"}, "bbox"),
    ]:
        response = client.get("/map/deployments.geojson", params)
        assert response.status_code == 400, params
        assert field in response.json(), response.json()


def test_answers_are_compressed_and_revalidated_by_etag(client, many_deployments):
    view = {"bbox": "80.5,26.5,81.5,27.5", "zoom": 12}
    response = client.get("/map/deployments.geojson", view, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert json.loads(gzip.decompress(response.content))["total"] > 100
    etag = response["ETag"]
    again = client.get("/map/deployments.geojson", view, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert not response.cookies
    # A change to the data changes the answer's ETag.
    Deployment.objects.filter(title="Map system 3").get().save()
    changed = client.get("/map/deployments.geojson", view, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_hotspot_layer_clusters_too(client):
    from tests.factories import HotspotFactory

    for n in range(3):
        HotspotFactory(name=f"Junction {n}", location=Point(80.9 + n * 0.001, 26.8, srid=4326))
    answer = client.get("/map/hotspots.geojson", {"bbox": "80,26,82,28", "zoom": 8}).json()
    assert answer["total"] == 3
    assert {f["properties"]["name"] for f in answer["features"]} == {
        "Junction 0",
        "Junction 1",
        "Junction 2",
    }


def test_the_deepest_zoom_sends_points_never_a_cluster_that_cannot_open(client):
    """A cluster opens by zooming in; at the maps' deepest zoom it could not, so there the
    box's entries come as points (the browser lists those at the same spot)."""
    agency = AgencyFactory(name="Dense Police")
    Deployment.objects.bulk_create(
        Deployment(
            title=f"Dense system {n}",
            slug=f"dense-system-{n}",
            lead_agency=agency,
            technology="facial_recognition",
            purpose_class="surveillance",
            status="in_use",
            state_id="IN-UP",
            location=Point(80.95 + (n % 20) * 1e-5, 26.85 + (n // 20) * 1e-5, srid=4326),
            publication=Publication.PUBLISHED,
        )
        for n in range(POINT_LIMIT + 100)
    )
    box = "80.9490,26.8490,80.9520,26.8520"
    above = layer(client, bbox=box, zoom=17)
    assert above["clustered"]
    deepest = layer(client, bbox=box, zoom=18)
    assert not deepest["clustered"] and deepest["total"] == POINT_LIMIT + 100
    assert not any(f["properties"].get("cluster") for f in deepest["features"])
