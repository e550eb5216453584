"""The maps from the keyboard and for screen readers, in a real Chromium: clusters, hotspots,
popups, entries at the same spot, the order of the filters, the live region, and contrast.
Each test presses keys as a keyboard user does (Tab, Enter, Space, Esc)."""

import random
import re

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command

from tests.factories import AgencyFactory
from tests.support.browser import axe_violations
from tracker.models import Deployment, Hotspot, Publication

pytestmark = pytest.mark.browser

ACTIVE_IN_MAP = "() => !!document.activeElement.closest('#map')"


@pytest.fixture
def crowded(transactional_db, live_server):
    """Enough deployments around Lucknow and hotspots around Delhi that India shows clusters."""
    rng = random.Random(3)
    agency = AgencyFactory(name="Crowd Police")
    Deployment.objects.bulk_create(
        Deployment(
            title=f"Lucknow system {n}",
            slug=f"lucknow-system-{n}",
            lead_agency=agency,
            technology="facial_recognition",
            purpose_class="surveillance",
            status="in_use",
            state_id="IN-UP",
            city="Lucknow",
            location=Point(80.95 + rng.gauss(0, 0.05), 26.85 + rng.gauss(0, 0.05)),
            publication=Publication.PUBLISHED,
        )
        for n in range(320)
    )
    Hotspot.objects.bulk_create(
        Hotspot(
            name=f"Delhi junction {n}",
            slug=f"delhi-junction-{n}",
            kind="road_junction",
            state_id="IN-DL",
            location=Point(77.21 + rng.gauss(0, 0.05), 28.61 + rng.gauss(0, 0.05)),
            publication=Publication.PUBLISHED,
        )
        for n in range(320)
    )
    return live_server.url


def tab_until(page, predicate, presses=120, shift=False):
    """Press Tab (or Shift+Tab) until ``predicate`` (JS, on document.activeElement) holds."""
    for _ in range(presses):
        page.keyboard.press("Shift+Tab" if shift else "Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return {predicate}; }}"):
            return
    pytest.fail(f"Tab never reached an element where {predicate}")


def ready(page):
    page.wait_for_selector("#map[data-state='ready']")
    page.wait_for_function("() => document.querySelectorAll('#map .leaflet-marker-icon').length")


def zoom(page):
    return page.evaluate("() => PanopticMap.map('map').getZoom()")


def test_a_cluster_says_what_it_holds_and_opens_on_enter_and_space(page, crowded):
    page.goto(crowded + "/")
    ready(page)
    cluster = page.locator("#map .marker-cluster").first
    assert re.fullmatch(r"\d+ deployments, zoom in", cluster.get_attribute("aria-label"))
    assert cluster.get_attribute("role") == "button"
    hotspots = page.locator("#map .hotspot-cluster").first
    assert re.fullmatch(r"\d+ hotspots, zoom in", hotspots.get_attribute("aria-label"))
    for key in ("Enter", " "):
        before = zoom(page)
        page.locator(".skip-map").focus()
        tab_until(page, "el.classList.contains('marker-cluster')")
        with page.expect_response(lambda r: "/map/deployments.geojson" in r.url):
            page.keyboard.press(key)
        page.wait_for_selector("#map[data-state='ready']")
        assert zoom(page) == before + 2
        # The layer was drawn anew; the focus stayed on the map, not on the page's body.
        assert page.evaluate(ACTIVE_IN_MAP)
        assert page.evaluate("document.activeElement !== document.body")


def test_hotspots_are_named_focusable_markers_and_in_the_list(page, demo_data_site):
    page.goto(demo_data_site + "/?state=IN-UP")
    ready(page)
    page.wait_for_selector("#map .hotspot-marker")
    page.locator(".skip-map").focus()
    tab_until(page, "el.classList.contains('hotspot-marker')")
    name = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert name.startswith("Hotspot: ")
    page.keyboard.press("Enter")
    link = page.locator(".leaflet-popup-content a")
    assert link.inner_text() == name.removeprefix("Hotspot: ")
    # The list beside the map names the same hotspots, with links.
    listed = page.locator("#map-panel table", has_text="Hotspots on the map")
    assert listed.get_by_role("link", name=name.removeprefix("Hotspot: ")).is_visible()


def test_a_popup_takes_the_focus_closes_on_esc_and_gives_it_back(page, demo_data_site):
    page.goto(demo_data_site + "/?state=IN-DL")
    ready(page)
    page.locator(".skip-map").focus()
    tab_until(page, "el.classList.contains('deployment-marker')")
    marker = page.evaluate("document.activeElement.getAttribute('aria-label')")
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup")
    assert page.evaluate("document.activeElement.closest('.leaflet-popup') !== null")
    assert page.evaluate("document.activeElement.tagName") == "A"
    page.keyboard.press("Escape")
    page.wait_for_selector(".leaflet-popup", state="detached")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == marker


def test_entries_at_the_same_spot_are_all_reachable_by_mouse_and_keyboard(page, demo_data_site):
    both = {"AI cameras for women in distress (Mission Shakti)", "Trinetra criminal face search"}
    page.goto(demo_data_site + "/?state=IN-UP")
    ready(page)
    with page.expect_response(lambda r: "/map/deployments.geojson" in r.url and "zoom=18" in r.url):
        page.evaluate("PanopticMap.map('map').setView([26.85, 80.95], 18)")
    page.wait_for_selector("#map[data-state='ready']")
    stack = page.locator("#map .deployment-marker.stack-marker")
    stack.wait_for()
    assert stack.get_attribute("aria-label") == "2 deployments at this spot"
    # By mouse: one click lists both, each with its link.
    stack.click()
    links = page.locator(".leaflet-popup-content a")
    assert set(links.all_inner_texts()) == both
    page.keyboard.press("Escape")
    page.wait_for_selector(".leaflet-popup", state="detached")
    # By keyboard: Tab to the marker, Enter, then Tab through both entries.
    page.locator(".skip-map").focus()
    tab_until(page, "el.classList.contains('stack-marker')")
    page.keyboard.press("Enter")
    first = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Tab")
    second = page.evaluate("document.activeElement.textContent")
    assert {first, second} == both
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/deployments/\d+-"))
    assert page.locator("h1").inner_text() == second


def test_the_filters_come_before_the_map_and_its_markers(page, demo_data_site):
    page.goto(demo_data_site + "/")
    ready(page)
    order = []
    for _ in range(80):
        page.keyboard.press("Tab")
        where = page.evaluate(
            """() => { const el = document.activeElement;
                 if (el.id === 'id_state') return 'filters';
                 if (el.classList.contains('skip-map')) return 'skip';
                 if (el.closest('#map')) return 'map';
                 return null; }"""
        )
        if where and where not in order:
            order.append(where)
        if where == "map":
            break
    assert order == ["filters", "skip", "map"]


def test_the_live_region_says_only_the_counts_once_the_filters_settle(page, demo_data_site):
    page.goto(demo_data_site + "/")
    ready(page)
    assert page.locator("#map-panel[aria-live]").count() == 0
    page.evaluate(
        """() => { window.announcements = [];
             new MutationObserver(() => announcements.push(
               document.getElementById('map-status').textContent))
             .observe(document.getElementById('map-status'),
                      {childList: true, characterData: true, subtree: true}); }"""
    )
    select = page.get_by_label("State or union territory")
    for state in ("IN-DL", "IN-MH", "IN-UP"):
        select.select_option(state)
    page.wait_for_function("() => window.announcements.length > 0")
    page.wait_for_function(
        "() => document.querySelector('#map-panel-content').dataset.matchingCount === '2'"
    )
    page.wait_for_function("() => document.getElementById('map-status').textContent.includes('2 ')")
    said = page.locator("#map-status").inner_text()
    assert re.fullmatch(r"2 deployments match the filters; \d+ hotspots? on the map", said)
    # One announcement for three quick changes: debounced, not one per answer.
    assert page.evaluate("window.announcements.length") == 1
    assert page.locator("#map-status").get_attribute("role") == "status"


CONTRAST = """([fore, back]) => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => { const v = rgb(c).map(x => { x /= 255;
      return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const [a, b] = [lum(fore), lum(back)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


def hex_rgb(colour):
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def style(page, selector, prop):
    return page.evaluate(
        "([s, p]) => getComputedStyle(document.querySelector(s))[p]", [selector, prop]
    )


def test_contrast_of_counts_and_marks(page, crowded, transactional_db):
    call_command("load_demo_data", stdout=open("/dev/null", "w"))
    page.goto(crowded + "/")
    ready(page)
    page.wait_for_selector("#map .hotspot-cluster")
    page.wait_for_selector("#map path.state-shape")
    shape = "document.querySelector('#map path.state-shape')"
    land = hex_rgb(page.evaluate(f"{shape}.getAttribute('fill')"))
    sea = style(page, "#map", "backgroundColor")
    for cluster in ("#map .marker-cluster div", "#map .hotspot-cluster div"):
        text, back = style(page, cluster, "color"), style(page, cluster, "backgroundColor")
        assert page.evaluate(CONTRAST, [text, back]) >= 4.5, cluster
        for ground in (land, sea):
            assert page.evaluate(CONTRAST, [back, ground]) >= 3, cluster
    page.evaluate("PanopticMap.map('map').setView([26.85, 80.95], 16)")
    page.wait_for_selector("#map .deployment-marker span")
    back = style(page, "#map .deployment-marker span", "backgroundColor")
    for ground in (land, sea):
        assert page.evaluate(CONTRAST, [back, ground]) >= 3
    outline = hex_rgb(page.evaluate(f"{shape}.getAttribute('stroke')"))
    assert page.evaluate(CONTRAST, [outline, land]) >= 3


def test_hotspot_marks_contrast(page, demo_data_site):
    page.goto(demo_data_site + "/?state=IN-UP")
    ready(page)
    page.wait_for_selector("#map .hotspot-marker span")
    back = style(page, "#map .hotspot-marker span", "backgroundColor")
    for ground in ("rgb(243, 244, 246)", style(page, "#map", "backgroundColor")):
        assert page.evaluate(CONTRAST, [back, ground]) >= 3


def test_axe_finds_nothing_on_the_new_controls(page, demo_data_site):
    """The place search with its list open, a popup with the focus in it, the results page.
    (axe looks at each control: an open list or popup covers markers, as it should.)"""
    page.goto(demo_data_site + "/")
    ready(page)
    page.get_by_role("combobox", name="Find a place").fill("luck")
    page.locator("div.place-search [role=option]").first.wait_for()
    found = axe_violations(page, ".place-search")
    assert found == [], [v["nodes"] for v in found]
    page.keyboard.press("Escape")
    page.goto(demo_data_site + "/?state=IN-UP")
    ready(page)
    page.locator(".skip-map").focus()
    tab_until(page, "el.classList.contains('deployment-marker')")
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup")
    # (once it has faded in: half-faded text has half its contrast)
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"
    )
    found = axe_violations(page, ".leaflet-popup")
    assert found == [], [v["nodes"] for v in found]
    page.goto(demo_data_site + "/hi/search/?q=लखनऊ")
    found = axe_violations(page)
    assert found == [], [v["nodes"] for v in found]
