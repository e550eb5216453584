"""The home map asks for what it shows: zooming in turns clusters into markers, panning
brings other markers, and every answer is for a box, never the whole dataset."""

import random
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.gis.geos import Point

from tests.factories import AgencyFactory
from tests.support.browser import drag_map, settled, zoom_in_until_markers
from tracker.models import Deployment, Publication

pytestmark = pytest.mark.browser

CITIES = [(80.95, 26.85, "IN-UP"), (72.88, 19.08, "IN-MH"), (77.59, 12.97, "IN-KA")]


@pytest.fixture
def crowded_site(transactional_db, live_server):
    rng = random.Random(11)
    agency = AgencyFactory(name="Crowd Police")
    Deployment.objects.bulk_create(
        Deployment(
            title=f"Crowded system {n}",
            slug=f"crowded-system-{n}",
            lead_agency=agency,
            technology="facial_recognition",
            purpose_class="surveillance",
            status="in_use",
            state_id=CITIES[n % 3][2],
            location=Point(
                CITIES[n % 3][0] + rng.gauss(0, 0.02), CITIES[n % 3][1] + rng.gauss(0, 0.02)
            ),
            publication=Publication.PUBLISHED,
        )
        for n in range(900)
    )
    return live_server.url


def test_zoom_and_pan_change_the_markers(page, crowded_site):
    boxes = []
    page.on(
        "request",
        lambda r: (
            boxes.append(parse_qs(urlsplit(r.url).query))
            if "/map/deployments.geojson" in r.url
            else None
        ),
    )
    page.goto(crowded_site + "/")
    first = settled(page)
    assert sum(first["clusters"]) == 900 and first["markers"] == []
    assert all("bbox" in q and "zoom" in q for q in boxes)

    # Clicking a cluster zooms in on it until its deployments show as markers.
    state = zoom_in_until_markers(page)
    assert state["zoom"] > first["zoom"]
    assert all(title.startswith("Crowded system") for title in state["markers"])

    # Dragging the map to another place asks again, and other markers show.
    requests_before = len(boxes)
    moved = drag_map(page)
    assert len(boxes) > requests_before
    assert boxes[-1]["bbox"] != boxes[requests_before - 1]["bbox"]
    assert (moved["markers"], moved["clusters"]) != (state["markers"], state["clusters"])
