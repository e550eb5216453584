"""The maps' background in a real Chromium: the site's own place names and state outlines
(with no request leaving the site), the operator's PMTiles archive drawn from range requests,
a raster tile server, the detail pages' context, and place search on every map."""

from urllib.parse import urlsplit

import pytest
from django.test import Client

from accounts.roles import Role
from tests.support.people import person
from tests.support.pmtiles_archive import write_archive

pytestmark = pytest.mark.browser

LUCKNOW = (26.8467, 80.9462)


def hosts_of(page):
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    return hosts


def show(page, lat, lon, zoom, map_id="map"):
    """Move the map as a reader would end up, and wait for that view's place names."""
    with page.expect_response(lambda r: "/map/places.json" in r.url and f"zoom={zoom}" in r.url):
        page.evaluate(f"PanopticMap.map('{map_id}').setView([{lat}, {lon}], {zoom})")
    page.wait_for_function(f"() => document.getElementById('{map_id}').dataset.labels > 0")


def wait_for_label(page, name, map_id="map"):
    page.wait_for_function(
        "([id, name]) => [...document.querySelectorAll('#' + id + ' .place-label span')]"
        ".some(s => s.textContent === name)",
        arg=[map_id, name],
    )


def visible_labels(page, map_id="map"):
    return page.evaluate(
        f"""() => {{
          const frame = document.getElementById('{map_id}').getBoundingClientRect();
          return [...document.querySelectorAll('#{map_id} .place-label, #{map_id} .state-label')]
            .filter(l => l.style.visibility !== 'hidden')
            .map(l => l.firstChild)
            .filter(s => {{ const r = s.getBoundingClientRect();
              return r.left >= frame.left && r.right <= frame.right
                && r.top >= frame.top && r.bottom <= frame.bottom; }})
            .map(s => ({{text: s.textContent, lang: s.getAttribute('lang')}}));
        }}"""
    )


@pytest.mark.parametrize(
    "prefix, name, state", [("", "Lucknow", "Uttar Pradesh"), ("/hi", "लखनऊ", "उत्तर प्रदेश")]
)
def test_lucknow_is_named_at_city_zoom_with_no_request_leaving_the_site(
    page, demo_data_site, prefix, name, state
):
    hosts = hosts_of(page)
    page.goto(demo_data_site + prefix + "/")
    page.wait_for_selector("#map[data-state='ready'][data-labels-state='ready']")
    # At country zoom the states are named, and the largest cities.
    page.wait_for_selector("#map .state-label span")
    kinds = page.evaluate(
        "() => [...document.querySelectorAll('#map .map-label')]"
        ".filter(l => l.style.visibility !== 'hidden')"
        ".map(l => l.classList.contains('state-label'))"
    )
    assert kinds.count(True) >= 3 and kinds.count(False) >= 3  # states, and the largest cities
    show(page, *LUCKNOW, 12)
    labels = visible_labels(page)
    assert name in [label["text"] for label in labels]
    # The state's own label is far off screen: the map names the state it shows.
    assert page.locator("#map .map-context").inner_text().lower() == state.lower()
    # The outline of the states is the background; no tile is ever asked for.
    assert page.locator("#map path.state-shape").count() >= 36
    assert page.locator("#map .leaflet-tile").count() == 0
    (credit,) = page.locator("#map .leaflet-control-attribution a").all()
    assert credit.get_attribute("href") == prefix + "/about/#map-data"
    assert "GeoNames (CC BY 4.0)" in credit.inner_text()
    page.wait_for_load_state("networkidle")
    assert hosts == {urlsplit(demo_data_site).netloc}


def test_the_mini_map_shows_the_state_and_the_places_around(page, demo_data_site):
    hosts = hosts_of(page)
    page.goto(demo_data_site + "/deployments/?q=trinetra")
    page.get_by_role("link", name="Trinetra criminal face search").first.click()
    page.wait_for_selector(".mini-map[data-ready='true'][data-outlined='IN-UP']")
    page.wait_for_function("() => document.querySelector('.mini-map').dataset.labels > 0")
    assert page.locator(".mini-map path.state-outline").count() == 1
    names = page.evaluate(
        "() => [...document.querySelectorAll('.mini-map .place-label span')]"
        ".map(s => s.textContent)"
    )
    assert "Lucknow" in names
    page.wait_for_load_state("networkidle")
    assert hosts == {urlsplit(demo_data_site).netloc}


def test_the_pmtiles_archive_is_served_in_ranges_and_drawn(
    page, demo_data_site, settings, tmp_path
):
    settings.MAP_PMTILES = str(write_archive(tmp_path / "india.pmtiles"))
    answers = []
    page.on(
        "response",
        lambda r: (
            "/map/basemap.pmtiles" in r.url
            and answers.append(
                (r.status, r.request.headers.get("range"), r.headers.get("content-range"))
            )
        ),
    )
    hosts = hosts_of(page)
    page.goto(demo_data_site + "/")
    page.wait_for_selector("#map[data-background='pmtiles']")
    # protomaps-leaflet draws each tile on a canvas: the archive's land and water colours.
    page.wait_for_function(
        """() => [...document.querySelectorAll('#map canvas')].some(c => {
             if (!c.width) return false;
             const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
             const colours = new Set();
             for (let i = 0; i < d.length; i += 4 * 97) {
               colours.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]);
             }
             return colours.size >= 2;
           })"""
    )
    assert answers and all(status == 206 for status, _, _ in answers)
    assert all(asked and answered.startswith("bytes ") for _, asked, answered in answers)
    # The site's own gazetteer labels give way to the archive's; place search stays.
    assert page.locator("#map .place-label").count() == 0
    assert page.locator("div.place-search[data-map='map']").is_visible()
    page.wait_for_load_state("networkidle")
    assert hosts == {urlsplit(demo_data_site).netloc}


def test_a_raster_tile_server_still_works(page, demo_data_site, settings):
    # A stand-in tile server on the site itself (the CSP allows only the site for images
    # unless the operator names a tile host, which the middleware reads at start-up).
    settings.MAP_TILES_URL = demo_data_site + "/static/leaflet/images/layers.png?z={z}&x={x}&y={y}"
    settings.MAP_TILES_ATTRIBUTION = "Test tiles"
    tiles = []
    page.on("request", lambda r: "layers.png?z=" in r.url and tiles.append(r.url))
    page.goto(demo_data_site + "/")
    page.wait_for_selector("#map[data-background='tiles']")
    page.wait_for_selector("#map img.leaflet-tile-loaded")
    assert tiles and all("z=4" in url for url in tiles)
    assert page.get_by_text("Test tiles").is_visible()
    assert page.locator("#map .place-label").count() == 0


def test_place_search_moves_the_home_map_from_the_keyboard(page, demo_data_site):
    page.goto(demo_data_site + "/")
    page.wait_for_selector("#map[data-state='ready']")
    box = page.get_by_role("combobox", name="Find a place")
    box.focus()
    page.keyboard.type("luck")
    option = page.locator("div.place-search [role=option]").first
    option.wait_for()
    assert option.inner_text().startswith("Lucknow")
    assert box.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('div.place-search').dataset.shown")
    view = page.evaluate(
        "() => { const m = PanopticMap.map('map'); const c = m.getCenter();"
        " return [c.lat, c.lng, m.getZoom()]; }"
    )
    assert abs(view[0] - 26.84) < 0.05 and abs(view[1] - 80.92) < 0.05 and view[2] >= 11
    assert page.get_by_role("status").filter(has_text="The map shows Lucknow").count() == 1
    wait_for_label(page, "Lucknow")
    assert "Lucknow" in [label["text"] for label in visible_labels(page)]
    # Esc closes the list, then clears the box.
    page.keyboard.type(" x")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    assert box.input_value() == ""


def test_place_search_in_hindi_on_a_state_page(page, demo_data_site):
    page.goto(demo_data_site + "/hi/states/in-up/")
    page.wait_for_selector("#map[data-state='ready']")
    page.get_by_role("combobox").fill("लख")
    with page.expect_response(lambda r: "/map/places.json" in r.url and "zoom=11" in r.url):
        page.locator("div.place-search [role=option]", has_text="लखनऊ").first.click()
    wait_for_label(page, "लखनऊ")
    assert "लखनऊ" in [label["text"] for label in visible_labels(page)]


def test_a_volunteer_finds_their_town_on_the_point_picker(page, demo_data_site, live_server):
    volunteer = person("ravi", "Ravi K", Role.VOLUNTEER)
    client = Client()
    client.force_login(volunteer, backend="django.contrib.auth.backends.ModelBackend")
    host = urlsplit(demo_data_site).hostname
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "domain": host,
                "path": "/",
            }
        ]
    )
    hosts = hosts_of(page)
    page.goto(demo_data_site + "/submit/deployment/")
    page.wait_for_selector(".point-picker[data-ready='true']")
    page.get_by_role("combobox", name="Find a place").fill("lucknow")
    with page.expect_response(lambda r: "/map/places.json" in r.url and "zoom=11" in r.url):
        page.keyboard.press("Enter")
    wait_for_label(page, "Lucknow", "point-picker")
    assert page.url.endswith("/submit/deployment/")  # Enter showed the place, sent nothing
    assert "Lucknow" in [label["text"] for label in visible_labels(page, "point-picker")]
    # The town found, the volunteer clicks their spot: the fields take it.
    page.locator("#point-picker").scroll_into_view_if_needed()
    picker = page.locator("#point-picker").bounding_box()
    page.mouse.click(picker["x"] + picker["width"] / 2, picker["y"] + picker["height"] / 2)
    lat, lon = float(page.input_value("#id_latitude")), float(page.input_value("#id_longitude"))
    assert abs(lat - 26.84) < 0.1 and abs(lon - 80.92) < 0.1
    page.wait_for_load_state("networkidle")
    assert hosts == {urlsplit(demo_data_site).netloc}
