"""A state page's own map asks for what it shows, with the state fixed: it opens on the
state's box, shows that state's deployments and hotspots only (not a neighbour's inside the
same box), and zooming or panning brings other markers."""

import random
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.gis.geos import Point

from tests.factories import AgencyFactory, HotspotFactory
from tests.support.browser import (
    DEPLOYMENTS_LAYER,
    drag_map,
    settled,
    tab_to_skip_map_link,
    zoom_in_until_markers,
)
from tracker.catalogue.geography import state_extents
from tracker.models import Deployment, Publication

pytestmark = pytest.mark.browser

# Lucknow and Varanasi are in Uttar Pradesh; Delhi lies inside Uttar Pradesh's box.
PLACES = [
    ("Lucknow", "IN-UP", 80.95, 26.85),
    ("Varanasi", "IN-UP", 82.99, 25.32),
    ("Delhi", "IN-DL", 77.21, 28.61),
]
PER_PLACE = 300


@pytest.fixture
def state_site(transactional_db, live_server):
    rng = random.Random(7)
    agency = AgencyFactory(name="State Police")
    Deployment.objects.bulk_create(
        Deployment(
            title=f"{city} system {n}",
            slug=f"{city.lower()}-system-{n}",
            lead_agency=agency,
            technology="facial_recognition",
            purpose_class="surveillance",
            status="in_use",
            state_id=state,
            city=city,
            location=Point(lon + rng.gauss(0, 0.02), lat + rng.gauss(0, 0.02)),
            publication=Publication.PUBLISHED,
        )
        for city, state, lon, lat in PLACES
        for n in range(PER_PLACE)
    )
    HotspotFactory(name="Hazratganj market", state_id="IN-UP", location=Point(80.94, 26.85))
    HotspotFactory(name="Connaught Place", state_id="IN-DL", location=Point(77.22, 28.63))
    return live_server.url


def test_state_map_shows_that_state_and_follows_pan_and_zoom(page, state_site):
    asked = []
    page.on(
        "request",
        lambda r: (
            asked.append(parse_qs(urlsplit(r.url).query)) if DEPLOYMENTS_LAYER in r.url else None
        ),
    )
    page.goto(state_site + "/states/in-up/")
    first = settled(page)

    # It opens on Uttar Pradesh, closer than the home map's India, and shows its 600
    # deployments only, though Delhi's 300 lie inside the same box.
    west, south, east, north = (float(v) for v in asked[0]["bbox"][0].split(","))
    up_west, up_south, up_east, up_north = state_extents()["IN-UP"]
    assert west <= up_west and south <= up_south and east >= up_east and north >= up_north
    assert west <= 77.21 <= east and south <= 28.61 <= north
    assert first["zoom"] > 4
    assert [q["zoom"] for q in asked] == [[str(first["zoom"])]]  # no India view asked first
    assert sum(first["clusters"]) == 2 * PER_PLACE and first["markers"] == []
    assert page.locator("#map").get_attribute("data-marker-count") == str(2 * PER_PLACE)
    page.wait_for_selector("#map[data-hotspot-count='1']")
    assert page.locator("#map .hotspot-marker").count() == 1

    # Zooming in on a cluster turns it into markers, all of them in Uttar Pradesh.
    zoomed = zoom_in_until_markers(page)
    assert zoomed["zoom"] > first["zoom"]
    assert zoomed["markers"]
    assert all(t.startswith(("Lucknow", "Varanasi")) for t in zoomed["markers"])

    # Dragging asks for the new box, and the markers change.
    before = len(asked)
    moved = drag_map(page)
    assert len(asked) > before and asked[-1]["bbox"] != asked[before - 1]["bbox"]
    assert (moved["markers"], moved["clusters"]) != (zoomed["markers"], zoomed["clusters"])
    # Every request carried the box, the zoom and the state, never more nor less.
    assert all(q["state"] == ["IN-UP"] and "bbox" in q and "zoom" in q for q in asked)
    assert not any(t.startswith("Delhi") for t in moved["markers"])


def test_state_page_without_javascript_keeps_its_figures_and_lists(browser, state_site):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.goto(state_site + "/states/in-up/")
    assert page.locator("#map").is_hidden()
    assert page.get_by_text("The map needs JavaScript").is_visible()
    assert page.get_by_role("heading", name="By technology").is_visible()
    assert page.get_by_role("link", name="Hazratganj market").is_visible()
    context.close()


def test_keyboard_users_skip_the_state_map_to_its_figures(page, state_site):
    page.goto(state_site + "/states/in-up/")
    settled(page)
    tab_to_skip_map_link(page)
    assert page.locator(".skip-map").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "state-figures"
    page.keyboard.press("Tab")  # the next stop is after the map, not one of its markers
    assert page.evaluate("document.activeElement.closest('#map') === null")
