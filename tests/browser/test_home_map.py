"""The home map in a real Chromium: markers, filters, popups, privacy, Hindi, keyboard use."""

import re
from urllib.parse import urlsplit

import pytest

from tests.support.browser import COUNT_ON_MAP, SCREENSHOTS
from tests.support.data import DEMO_DEPLOYMENTS

pytestmark = pytest.mark.browser


def wait_for_map(page):
    page.wait_for_selector("#map[data-state='ready']")
    # markercluster adds markers in chunks and animates; wait until what is drawn settles.
    expected = "parseInt(document.getElementById('map').dataset.markerCount, 10)"
    page.wait_for_function(f"() => ({COUNT_ON_MAP})() === {expected}")


def list_count(page):
    return int(page.locator("#map-panel-content").get_attribute("data-matching-count"))


def test_home_map_shows_every_published_deployment(page, demo_site):
    page.goto(demo_site["url"] + "/")
    wait_for_map(page)
    assert page.evaluate(COUNT_ON_MAP) == len(DEMO_DEPLOYMENTS)
    assert list_count(page) == len(DEMO_DEPLOYMENTS)
    assert "Unpublished draft system" not in page.content()
    # The hotspot layer is separate and can be switched off.
    page.wait_for_selector("#map[data-hotspot-count='1']")
    assert page.locator("#map .leaflet-marker-icon.hotspot-marker").count() == 1
    page.get_by_label("Hotspots", exact=True).uncheck()
    assert page.locator("#map .leaflet-marker-icon.hotspot-marker").count() == 0
    # The background is the vendored India outline, not a tile server.
    page.wait_for_selector("#map .leaflet-overlay-pane path")
    assert page.locator("#map .leaflet-tile").count() == 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.get_by_label("Hotspots", exact=True).check()
    page.screenshot(path=str(SCREENSHOTS / "home.png"), full_page=True)


def test_state_filter_updates_map_list_and_url(page, demo_site):
    page.goto(demo_site["url"] + "/")
    wait_for_map(page)
    page.get_by_label("State or union territory").select_option("IN-DL")
    page.wait_for_function(
        "() => document.querySelector('#map-panel-content').dataset.matchingCount === '1'"
    )
    wait_for_map(page)
    assert page.evaluate(COUNT_ON_MAP) == 1
    assert "state=IN-DL" in page.url
    page.wait_for_selector("#map[data-hotspot-count='0']")  # the Lucknow hotspot is filtered out
    rows = page.locator("#map-panel tbody th")
    assert rows.count() == 1 and rows.first.inner_text() == "Delhi Police FRS"
    # The URL can be shared: opening it shows the same filtered view.
    shared = page.url
    page.goto(shared)
    wait_for_map(page)
    assert page.evaluate(COUNT_ON_MAP) == 1
    assert page.get_by_label("State or union territory").input_value() == "IN-DL"


def test_marker_popup_links_to_the_detail_page(page, demo_site):
    page.goto(demo_site["url"] + "/?state=IN-KA")
    wait_for_map(page)
    page.locator("#map .deployment-marker").first.click()
    link = page.locator(".leaflet-popup-content a")
    assert link.inner_text() == "Bengaluru Safe City"
    link.click()
    page.wait_for_url(re.compile(r"/deployments/\d+-bengaluru-safe-city/$"))
    assert page.locator("h1").inner_text() == "Bengaluru Safe City"


def test_pages_make_no_request_to_another_host(page, demo_site):
    site_host = urlsplit(demo_site["url"]).netloc
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto(demo_site["url"] + "/")
    wait_for_map(page)
    page.wait_for_selector("#map[data-hotspot-count='1']")
    page.wait_for_load_state("networkidle")
    page.goto(demo_site["url"] + "/stats/")
    page.locator("a", has_text="Bengaluru Safe City").count()
    page.goto(demo_site["url"] + "/deployments/?state=IN-UP")
    page.get_by_role("link", name="Lucknow Safe City face recognition").click()
    page.wait_for_selector(".mini-map[data-ready='true']")
    page.wait_for_load_state("networkidle")
    assert hosts == {site_host}


def test_anonymous_pages_set_no_cookie(page, demo_site):
    for path in ["/", "/deployments/", "/stats/", "/hi/", "/changes/", "/states/in-up/"]:
        page.goto(demo_site["url"] + path)
    page.wait_for_load_state("networkidle")
    assert page.context.cookies() == []


def test_hindi_interface_renders(page, demo_site):
    page.goto(demo_site["url"] + "/")
    page.get_by_role("link", name="हिन्दी").click()
    page.wait_for_url(demo_site["url"] + "/hi/")
    assert page.locator("html").get_attribute("lang") == "hi"
    nav = page.get_by_role("navigation", name="मुख्य")
    assert nav.get_by_role("link", name="मानचित्र").is_visible()
    assert page.get_by_label("राज्य या केंद्र शासित प्रदेश").is_visible()
    wait_for_map(page)
    assert page.evaluate(COUNT_ON_MAP) == len(DEMO_DEPLOYMENTS)


def test_keyboard_only_use_can_apply_a_filter(page, demo_site):
    page.goto(demo_site["url"] + "/")
    wait_for_map(page)
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_technology":
            break
    else:
        pytest.fail("the technology filter cannot be reached with the Tab key")
    # The focused control is visibly outlined.
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    page.keyboard.type("Drone")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Apply filters":
            break
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('#map-panel-content').dataset.matchingCount === '1'"
    )
    assert "technology=drone_surveillance" in page.url
    wait_for_map(page)
    assert page.evaluate(COUNT_ON_MAP) == 1
