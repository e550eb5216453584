"""Chromium through Playwright: the session's browser, a page, and what the browser tests
look for (the map's markers and clusters, axe-core's verdict, a phone's viewport).

- Fixtures: ``browser`` (one Debian Chromium per test process) and ``page`` (a fresh
  context per test).
- ``steady``: an expression's value once the page stops moving (polled, no fixed wait).
- The live map (static/js/live_map.js): ``settled``, ``zoom_in_until_markers``,
  ``drag_map``, ``tab_to_skip_map_link``; ``COUNT_ON_MAP`` for the home map.
- Phones: ``PHONES``, ``axe_violations`` (axe-core is evaluated in the
  page through the DevTools protocol, which the page's Content-Security-Policy does not
  govern; the site keeps its strict policy and axe is never served to readers),
  ``settle``, ``WIDER_THAN_SCREEN``.
- ``sign_in``: signs a page in through the site's own sign-in form.
- ``SCREENSHOTS``: where tests save what they saw (var/screenshots/).

The benchmarks drive the same browser with ``CHROMIUM`` and ``CHROMIUM_ARGS``.
"""

import os
import time
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
AXE_SOURCE_PATH = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
PHONE_SCREENSHOTS = SCREENSHOTS / "phone"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def sign_in(page, base_url, email, password):
    """Sign in through the sign-in page's own form (the header's search has a button too)."""
    page.goto(base_url + "/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


# Deployments drawn on the home map: single markers plus what each cluster says it holds.
COUNT_ON_MAP = """() => {
  const clusters = [...document.querySelectorAll('#map .marker-cluster span')]
    .reduce((sum, span) => sum + parseInt(span.textContent, 10), 0);
  const single = document.querySelectorAll('#map .leaflet-marker-icon.deployment-marker').length;
  return clusters + single;
}"""


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the session.

    Playwright's sync API keeps an asyncio loop running in the test thread, which
    makes Django refuse database calls from that thread; the tests only make
    ordinary synchronous calls, so they say so (Playwright's documented advice).
    """
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


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

DEPLOYMENTS_LAYER = "/map/deployments.geojson"


# Leaflet marks its panes while it pans, zooms or animates clusters.
ANIMATING = (
    "() => !!document.querySelector('.leaflet-pan-anim, .leaflet-zoom-anim, .leaflet-cluster-anim')"
)


def steady(page, expression, arg=None, timeout=15):
    """``expression``'s value once no map is animating and two looks in a row agree."""
    deadline = time.monotonic() + timeout
    last = object()
    while time.monotonic() < deadline:
        now = None if page.evaluate(ANIMATING) else page.evaluate(expression, arg)
        if now is not None and now == last:
            return now
        last = now
        page.wait_for_timeout(50)  # one poll's interval: a frame or three
    raise AssertionError(f"the page kept changing for {timeout} s")


def settled(page, zoom=None):
    """What the map shows once its answer (for ``zoom``, when given) is drawn."""
    page.wait_for_selector("#map[data-state='ready']")
    if zoom is not None:
        page.wait_for_function(f"() => document.getElementById('map').dataset.zoom === '{zoom}'")
    return steady(page, ON_MAP)  # Leaflet draws the new markers after the answer arrives


def zoom_in_until_markers(page):
    """Click the first cluster (it zooms in) until single markers show; what is then shown."""
    for _ in range(8):
        state = page.evaluate(ON_MAP)
        if state["markers"]:
            return state
        with page.expect_response(lambda r: DEPLOYMENTS_LAYER in r.url):
            page.locator("#map .marker-cluster").first.click()
        settled(page, zoom=state["zoom"] + 2)
    pytest.fail("zooming in never showed individual markers")


def drag_map(page, fraction=0.7):
    """Drag the map by ``fraction`` of its size down and right, and wait for its new answer.

    From near the top left corner: what was at the centre (a cluster just zoomed into)
    then leaves the frame, so what the map shows must change.
    """
    box = page.locator("#map").bounding_box()
    start = (1 - fraction) / 2
    x, y = box["x"] + box["width"] * start, box["y"] + box["height"] * start
    with page.expect_response(lambda r: DEPLOYMENTS_LAYER in r.url):
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + box["width"] * fraction, y + box["height"] * fraction, steps=8)
        page.mouse.up()
    return settled(page)


def tab_to_skip_map_link(page):
    """Press Tab until the link past the map has the focus (a keyboard user's way)."""
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('skip-map')"):
            return
    pytest.fail("the link past the map cannot be reached with the Tab key")


# Common phones: 360 × 800 (many Android phones) and 390 × 844.
PHONES = {360: {"width": 360, "height": 800}, 390: {"width": 390, "height": 844}}
# WCAG 2.1 A and AA, plus target size (WCAG 2.2, 2.5.8: at least 24 × 24 CSS px).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "rules": {"target-size": {"enabled": True}},
    "resultTypes": ["violations"],
}

RUN_AXE = """async ([context, options]) => {
  const results = await axe.run(context ? document.querySelector(context) : document, options);
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary),
  }));
}"""

# Elements reaching past the right edge, to say what makes a page scroll sideways.
WIDER_THAN_SCREEN = """(width) => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > width + 0.5)
  .filter(el => !el.closest('.leaflet-container, .table-scroll, .nav'))
  .slice(0, 8)
  .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
       + (typeof el.className === 'string' && el.className ? '.' + el.className : '')
       + ' right=' + Math.round(el.getBoundingClientRect().right))"""

MAPS_READY = """() => {
  const home = document.getElementById('map');
  if (home && home.dataset.state !== 'ready') return false;
  return [...document.querySelectorAll('.mini-map, .point-picker')]
    .every(m => m.dataset.ready === 'true');
}"""


@cache
def axe_source():
    return AXE_SOURCE_PATH.read_text(encoding="utf-8")


def axe_violations(page, context=None):
    """axe-core's WCAG 2.1 A/AA violations (plus target size) on the page as it is now, or
    within the element ``context`` (a CSS selector) only."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    return page.evaluate(RUN_AXE, [context, AXE_OPTIONS])


def settle(page):
    """Wait until the maps have drawn and web fonts have loaded, so layout is final."""
    page.wait_for_function(MAPS_READY)
    page.evaluate("document.fonts.ready.then(() => true)")
