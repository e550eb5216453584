"""Helpers for the tests of the live map (static/js/live_map.js), on the home and state pages:
what the map draws, waiting for an answer to be drawn, zooming in and dragging like a reader."""

import pytest

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


def settled(page, zoom=None):
    """What the map shows once its answer (for ``zoom``, when given) is drawn."""
    page.wait_for_selector("#map[data-state='ready']")
    if zoom is not None:
        page.wait_for_function(f"() => document.getElementById('map').dataset.zoom === '{zoom}'")
    page.wait_for_timeout(300)  # Leaflet draws the new markers after the answer arrives
    return page.evaluate(ON_MAP)


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
