"""Every public page on a phone: no sideways scrolling, no axe-core violations, a screenshot.

One Chromium, one page per phone size, one set of data for the whole module: the pages
only read, so the data is created once and removed at the end. Screenshots are saved
under var/screenshots/phone/.
"""

from datetime import date

import pytest
from django.core.management import call_command

from tests.support.browser import (
    COUNT_ON_MAP,
    PHONE_SCREENSHOTS,
    PHONES,
    WIDER_THAN_SCREEN,
    axe_violations,
    settle,
    steady,
    tab_to_skip_map_link,
)
from tests.support.data import phone_catalogue
from tests.support.pages import LANGUAGES, PAGE_STATUS, PUBLIC_PAGES

# django_db makes pytest-django create the test database; each test is then an empty
# transaction, and the pages read the module's committed data through the live server.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def phone_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """Committed data and a live server of the module's own, flushed at the end.

    pytest-django's ``live_server`` makes every test transactional, which would empty the
    tables after each page; these tests only read, so one set of data serves them all.
    """
    from django.test.utils import modify_settings, override_settings
    from pytest_django.live_server_helper import LiveServer

    from tracker.exports.releases import dataset_release
    from tracker.ingest.reference import reference_data_load, reference_data_present

    releases = override_settings(RELEASE_ROOT=str(tmp_path_factory.mktemp("releases")))
    with (
        django_db_blocker.unblock(),
        modify_settings(ALLOWED_HOSTS={"append": "localhost"}),
        releases,
    ):
        if not reference_data_present():
            reference_data_load()
        paths = phone_catalogue()
        dataset_release(today=date(2026, 12, 1))  # /data/releases/ lists one
        server = LiveServer("localhost")
        try:
            yield {"url": server.url, "paths": paths}
        finally:
            server.stop()
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(scope="module")
def phones(browser):
    """One touch-screen page per phone size, reused by every test in the module."""
    contexts, pages = [], {}
    for width, viewport in PHONES.items():
        context = browser.new_context(
            viewport=viewport, is_mobile=True, has_touch=True, locale="en-GB"
        )
        page = context.new_page()
        page.set_default_timeout(15000)
        contexts.append(context)
        pages[width] = page
    yield pages
    for context in contexts:
        context.close()


def page_url(site, language, path):
    if path.startswith("{"):
        path = site["paths"][path.strip("{}")]
    return site["url"] + LANGUAGES[language] + path


@pytest.mark.parametrize("width", sorted(PHONES))
@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize(("name", "path"), PUBLIC_PAGES, ids=[name for name, _ in PUBLIC_PAGES])
def test_page_fits_the_phone_and_passes_axe(phones, phone_site, width, language, name, path):
    page = phones[width]
    response = page.goto(page_url(phone_site, language, path))
    assert response.status == PAGE_STATUS.get(name, 200)
    fits_and_passes_axe(page, width, f"{language}-{name}")


def fits_and_passes_axe(page, width, name):
    """No sideways scrolling and no axe-core violations on the page as it is now."""
    settle(page)
    PHONE_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(PHONE_SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, (
        f"{page.url} is {scroll_width}px wide on a {width}px screen: "
        f"{page.evaluate(WIDER_THAN_SCREEN, width)}"
    )
    violations = axe_violations(page)
    assert violations == [], violations


@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize(
    ("name", "path"), [("deployment", "{deployment}"), ("home", "/"), ("state", "/states/in-up/")]
)
def test_the_share_control_opened_fits_and_passes_axe(phones, phone_site, language, name, path):
    """The "Share / embed" control opened on a phone: its link, code and copy button fit
    the screen, keep the margins and are large enough to tap."""
    page = phones[360]
    page.goto(page_url(phone_site, language, path))
    settle(page)
    page.locator("details.share > summary").tap()
    assert page.locator("#share-code").is_visible() and page.locator(".share-copy").is_visible()
    assert "<iframe" in page.locator("#share-code").input_value()
    for target in ("details.share > summary", ".share-copy"):
        size = page.locator(target).bounding_box()
        assert size["height"] >= 24 and size["width"] >= 24, target
    # It keeps the page's margins, also below a map that spans the screen.
    for target in ("details.share > summary", "#share-link", "#share-code"):
        size = page.locator(target).bounding_box()
        assert size["x"] >= 8 and size["x"] + size["width"] <= 360 - 8, target
    fits_and_passes_axe(page, 360, f"{language}-{name}-share-open")


def test_axe_reports_what_it_finds(phones, phone_site):
    """The harness itself: an image without a text alternative is a violation axe names."""
    page = phones[390]
    page.goto(phone_site["url"] + "/about/")
    page.evaluate(
        """() => { const img = document.createElement('img');
        img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw='; img.width = 40; img.height = 40;
        document.querySelector('main').append(img); }"""
    )
    assert [v["id"] for v in axe_violations(page)] == ["image-alt"]


# ---------------------------------------------------------------- the home page on a phone


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def test_home_page_on_a_phone_leads_with_the_map(phones, phone_site):
    page = phones[390]
    page.goto(phone_site["url"] + "/")
    settle(page)
    screen = PHONES[390]
    page_map = box(page, "#map")
    # Full width, most of the screen's height, on the first screen.
    assert page_map["x"] == 0 and page_map["width"] == screen["width"]
    assert page_map["height"] >= 0.6 * screen["height"]
    # Above it only the header (with its search box), the title and the map's place search.
    assert page_map["y"] < 0.33 * screen["height"]
    # Then the figures, the filter panel and the list, in that order.
    figures, filters, rows = (
        box(page, ".headline"),
        box(page, "#filter-panel"),
        box(page, "#map-panel"),
    )
    assert page_map["y"] + page_map["height"] <= figures["y"] < filters["y"] < rows["y"]
    # The figures are compact: all six in two rows.
    assert figures["height"] < 0.2 * screen["height"]
    # The filters start closed on a phone (no filter chosen yet).
    assert page.locator("#filter-panel").get_attribute("open") is None
    assert not page.locator("#id_state").is_visible()


def test_filters_update_the_map_without_reloading_on_a_phone(phones, phone_site):
    page = phones[360]
    page.goto(phone_site["url"] + "/")
    settle(page)
    page.wait_for_function(f"() => ({COUNT_ON_MAP})() === 4")
    page.evaluate("window.sameDocument = true")
    page.locator("#filter-panel > summary").tap()
    page.get_by_label("State or union territory").select_option("IN-DL")
    page.wait_for_function(
        "() => document.querySelector('#map-panel-content').dataset.matchingCount === '1'"
    )
    page.wait_for_function(f"() => ({COUNT_ON_MAP})() === 1")
    assert "state=IN-DL" in page.url
    assert page.evaluate("window.sameDocument") is True


def test_a_marker_popup_fits_the_screen(phones, phone_site):
    page = phones[360]
    page.goto(phone_site["url"] + "/?state=IN-UP")
    settle(page)
    marker = page.locator("#map .deployment-marker:visible").first
    marker.wait_for()
    size = marker.bounding_box()
    assert size["width"] >= 24 and size["height"] >= 24  # a tap target (WCAG 2.5.8)
    marker.tap()
    popup = page.locator(".leaflet-popup")
    popup.wait_for()
    # Leaflet pans the map to show the whole popup.
    shown = steady(
        page,
        "() => { const r = document.querySelector('.leaflet-popup')"
        ".getBoundingClientRect(); return {x: r.x, width: r.width}; }",
    )
    assert shown["x"] >= 0 and shown["x"] + shown["width"] <= 360
    assert page.locator(".leaflet-popup-content a").inner_text().startswith("Lucknow Safe City")


def test_keyboard_users_skip_the_map_to_the_list_of_every_marker(phones, phone_site):
    page = phones[390]
    page.goto(phone_site["url"] + "/")
    settle(page)
    tab_to_skip_map_link(page)
    assert page.locator(".skip-map").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "map-panel"
    # Every marker's deployment is a row of the list, with the facts its popup shows.
    layer = page.evaluate(
        "fetch(document.getElementById('map').dataset.geojsonUrl).then(r => r.json())"
    )
    titles = {f["properties"]["title"] for f in layer["features"]}
    rows = page.locator("#map-panel tbody tr")
    listed = {rows.nth(i).locator("th a").inner_text() for i in range(rows.count())}
    assert titles and titles <= listed
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#map-panel') !== null")


def test_without_javascript_the_filter_panel_opens_closes_and_filters(browser, phone_site):
    context = browser.new_context(
        viewport=PHONES[390], is_mobile=True, has_touch=True, java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto(phone_site["url"] + "/")
        panel, summary = page.locator("#filter-panel"), page.locator("#filter-panel > summary")
        # No map without scripts: the note says so and the list stands in for it.
        assert not page.locator("#map").is_visible()
        assert page.locator(".no-js-note").is_visible()
        assert panel.get_attribute("open") is None and not page.locator("#id_state").is_visible()
        summary.click()
        assert panel.get_attribute("open") is not None and page.locator("#id_state").is_visible()
        summary.click()
        assert panel.get_attribute("open") is None and not page.locator("#id_state").is_visible()
        # The form still works: it reloads the page with the filter, and the panel shows it.
        summary.click()
        page.locator("#id_state").select_option("IN-DL")
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url("**/?state=IN-DL*")
        assert page.locator("#map-panel-content").get_attribute("data-matching-count") == "1"
        assert panel.get_attribute("open") is not None
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


def test_the_no_javascript_note_is_hidden_when_the_map_runs(phones, phone_site):
    page = phones[390]
    page.goto(phone_site["url"] + "/")
    settle(page)
    assert page.locator("#map").is_visible()
    assert page.locator(".no-js-note").count() == 1
    assert not page.locator(".no-js-note").is_visible()


# ---------------------------------------------------------------- Devanagari


def test_hindi_pages_use_the_vendored_devanagari_font_without_clipping(browser, phone_site):
    # A fresh browser profile: Chromium reports fonts it already holds in memory as requests.
    context = browser.new_context(viewport=PHONES[360], is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        fonts = []
        page.on("request", lambda r: fonts.append(r.url) if r.resource_type == "font" else None)
        page.goto(phone_site["url"] + "/about/")
        settle(page)
        assert fonts == []  # English pages do not download the Devanagari face
        page.goto(phone_site["url"] + "/hi/about/")
        settle(page)
        assert fonts and all(
            url.startswith(phone_site["url"] + "/static/vendor/fonts/noto-sans-devanagari-")
            for url in fonts
        )
        assert page.evaluate("document.fonts.check('16px \"Panoptic Devanagari\"', 'हिन्दी')")
        font_size, line_height = page.evaluate(
            """() => { const s = getComputedStyle(document.querySelector('main p'));
            return [parseFloat(s.fontSize), parseFloat(s.lineHeight)]; }"""
        )
        assert line_height >= 1.7 * font_size
        # The sections wrap onto several lines; their Devanagari labels must not be cut.
        nav_height, nav_content_height = page.evaluate(
            "(n => [n.clientHeight, n.scrollHeight])(document.querySelector('.nav'))"
        )
        assert nav_content_height <= nav_height
    finally:
        context.close()
