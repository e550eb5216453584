"""A state page carries its own map's configuration: the map endpoints, the state filter fixed
and the state's box as the first view. The map's data is the browser's to fetch, never the
page's to compute, and the configuration asks for that state's deployments only."""

import json

import lxml.html
import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import DeploymentFactory, HotspotFactory
from tracker.catalogue.geography import state_extents


def state_page(client, path="/states/in-up/"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode()), [q["sql"] for q in queries]


@pytest.fixture
def two_states(db):
    for n in range(3):
        DeploymentFactory(title=f"Lucknow system {n}", state_id="IN-UP", city="Lucknow")
    for n in range(2):  # Delhi lies inside Uttar Pradesh's box
        DeploymentFactory(
            title=f"Delhi system {n}", state_id="IN-DL", location=Point(77.21, 28.61, srid=4326)
        )
    HotspotFactory(name="Hazratganj market", state_id="IN-UP")
    HotspotFactory(name="Connaught Place", state_id="IN-DL", location=Point(77.22, 28.63))


def test_state_page_has_the_map_container_with_its_configuration(client, two_states):
    page, _ = state_page(client)
    (container,) = page.xpath("//*[@id='map']")
    assert container.get("data-geojson-url") == reverse("tracker:map-deployments")
    assert container.get("data-hotspots-url") == reverse("tracker:map-hotspots")
    assert container.get("data-query") == "state=IN-UP"
    extent = [float(v) for v in container.get("data-extent").split(",")]
    assert extent == state_extents()["IN-UP"]
    assert container.get("role") == "region"
    assert "Uttar Pradesh" in container.get("aria-label")
    # Its outline is drawn over the background, and the map's words come with the page.
    assert container.get("data-state-outline") == "IN-UP"
    (strings,) = page.xpath("//script[@id='map-strings']")
    assert json.loads(strings.text_content())["hotspots"] == "Hotspots"
    assert page.xpath("//div[contains(@class, 'place-search')][@data-map='map']")
    # Without JavaScript a note says so, and the figures and lists are there.
    (note,) = page.xpath("//*[contains(@class, 'no-js-note')]")
    assert "needs JavaScript" in note.text_content()
    assert page.xpath("//*[@id='state-figures']")
    # The shared live map and the state page's module load as files: no inline script
    # (JSON data blocks are not scripts: the browser never runs them).
    scripts = page.xpath("//script[not(@type='application/json')]")
    assert all(script.get("src") and not script.text_content().strip() for script in scripts)
    sources = " ".join(script.get("src") for script in scripts)
    assert "js/live_map.js" in sources and "js/state_map.js" in sources


def test_state_page_in_hindi_labels_its_map_in_hindi(client, two_states):
    page, _ = state_page(client, "/hi/states/in-up/")
    (container,) = page.xpath("//*[@id='map']")
    assert "मानचित्र" in container.get("aria-label")
    (strings,) = page.xpath("//script[@id='map-strings']")
    assert json.loads(strings.text_content())["hotspots"] == "हॉटस्पॉट"
    assert container.get("data-query") == "state=IN-UP"


def test_the_page_does_not_compute_the_map(client, two_states):
    _, queries = state_page(client)
    signs = ("tracker_map_cell", "ST_X(", "ST_AsGeoJSON")  # clusters.py and the GeoJSON layer
    assert not [sql for sql in queries if any(sign in sql for sign in signs)]


def test_the_configuration_asks_for_that_states_points_only(client, two_states):
    page, _ = state_page(client)
    (container,) = page.xpath("//*[@id='map']")
    view = f"bbox={container.get('data-extent')}&zoom=6"
    query = container.get("data-query")
    deployments = client.get(f"{container.get('data-geojson-url')}?{query}&{view}")
    assert deployments.status_code == 200
    assert json.loads(deployments.content)["total"] == 3
    hotspots = client.get(f"{container.get('data-hotspots-url')}?{query}&{view}")
    assert json.loads(hotspots.content)["total"] == 1
    # The same box without the state holds Delhi's too: the filter, not the box, keeps them out.
    everything = client.get(f"{container.get('data-geojson-url')}?{view}")
    assert json.loads(everything.content)["total"] == 5


def test_a_state_without_a_boundary_opens_on_the_default_view(client, two_states):
    from tracker.models import StateBoundary

    StateBoundary.objects.filter(state_id="IN-UP").delete()
    page, _ = state_page(client)
    (container,) = page.xpath("//*[@id='map']")
    assert container.get("data-extent") is None
    assert container.get("data-query") == "state=IN-UP"
