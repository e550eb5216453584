"""The home map asks for what it shows: zooming in turns clusters into markers, panning
brings other markers, and every answer is for a box, never the whole dataset."""

import random
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.gis.geos import Point

from tests.factories import AgencyFactory
from tracker.models import Deployment, Publication

pytestmark = pytest.mark.browser

CITIES = [(80.95, 26.85, "IN-UP"), (72.88, 19.08, "IN-MH"), (77.59, 12.97, "IN-KA")]

# What is drawn inside the map's frame (markers just outside it are drawn too).
ON_MAP = """() => {
  const frame = document.getElementById('map').getBoundingClientRect();
  const inside = (el) => {
    const r = el.getBoundingClientRect();
    return r.right > frame.left && r.left < frame.right
      && r.bottom > frame.top && r.top < frame.bottom;
  };
  const clusters = [...document.querySelectorAll('#map .marker-cluster span')]
    .map(span => parseInt(span.dataset.count, 10));
  const markers = [...document.querySelectorAll('#map .leaflet-marker-icon.deployment-marker')]
    .filter(inside).map(m => m.getAttribute('title')).sort();
  return {clusters, markers, zoom: parseInt(document.getElementById('map').dataset.zoom, 10)};
}"""


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


def settled(page, zoom=None):
    page.wait_for_selector("#map[data-state='ready']")
    if zoom is not None:
        page.wait_for_function(f"() => document.getElementById('map').dataset.zoom === '{zoom}'")
    page.wait_for_timeout(300)  # Leaflet draws the new markers after the answer arrives
    return page.evaluate(ON_MAP)


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
    for _ in range(8):
        state = page.evaluate(ON_MAP)
        if state["markers"]:
            break
        with page.expect_response(lambda r: "/map/deployments.geojson" in r.url):
            page.locator("#map .marker-cluster").first.click()
        state = settled(page, zoom=state["zoom"] + 2)
    else:
        pytest.fail("zooming in never showed individual markers")
    assert state["zoom"] > first["zoom"]
    assert all(title.startswith("Crowded system") for title in state["markers"])

    # Dragging the map to another place asks again, and other markers show.
    box = page.locator("#map").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    requests_before = len(boxes)
    with page.expect_response(lambda r: "/map/deployments.geojson" in r.url):
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + box["width"] * 0.45, y + box["height"] * 0.45, steps=8)
        page.mouse.up()
    moved = settled(page)
    assert len(boxes) > requests_before
    assert boxes[-1]["bbox"] != boxes[requests_before - 1]["bbox"]
    assert (moved["markers"], moved["clusters"]) != (state["markers"], state["clusters"])
