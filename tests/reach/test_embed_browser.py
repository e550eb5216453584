"""A journalist's embed in Chromium: the code copied from a state page, pasted into a plain
HTML page served by another site (another loopback origin), shows the live map; no request
leaves for anyone but the tracker, and no cookie is set. Both embeds fit 300 px."""

from urllib.parse import urlsplit

import pytest

from tests.support.browser import steady
from tests.support.data import demo_site  # noqa: F401  (fixture)
from tests.support.osm import CAMERA, node, write_osm
from tests.support.servers import LocalSite, Reply

pytestmark = pytest.mark.browser

MARKERS_IN_FRAME = """() => {
  const map = document.getElementById('map');
  return map && map.dataset.state === 'ready'
    ? document.querySelectorAll('#map .leaflet-marker-icon').length : 0;
}"""


@pytest.fixture
def news_site():
    site = LocalSite("127.0.0.2")  # another origin than the tracker's, on loopback
    yield site
    site.stop()


def test_embed_code_from_a_state_page_works_in_another_sites_article(
    browser,
    demo_site,  # noqa: F811
    news_site,
    tmp_path,
):
    from django.core.management import call_command

    call_command(
        "import_osm",
        str(write_osm(tmp_path / "up.osm", [node(1, 80.946, 26.851, CAMERA)])),
        stdout=open("/dev/null", "w"),
    )
    tracker = urlsplit(demo_site["url"]).netloc
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=demo_site["url"])
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(demo_site["url"] + "/states/in-up/")
    page.wait_for_selector("#map[data-state='ready']")
    page.locator("#share summary").click()
    page.wait_for_function("() => document.getElementById('share-code').value.includes('bbox=')")
    page.locator("#share .share-copy").click()
    page.wait_for_selector("#share .share-copied:text('Copied')")
    code = page.evaluate("() => navigator.clipboard.readText()")
    assert code.startswith(f'<iframe src="{demo_site["url"]}/embed/map/?state=IN-UP&amp;bbox=')
    page.close()

    article = (
        "<!doctype html><html><head><title>Lucknow's cameras</title></head><body>"
        f"<h1>Lucknow's cameras</h1><p>Where they are:</p>{code}<p>More news.</p></body></html>"
    )
    news_site.routes["/story.html"] = Reply(body=article.encode())
    reader = context.new_page()
    asked = []
    reader.on("request", lambda request: asked.append(request.url))
    reader.goto(news_site.url("/story.html"))
    frame = reader.frame_locator("iframe").first
    frame.locator("#map[data-state='ready']").wait_for()
    embedded = next(f for f in reader.frames if "/embed/map/" in f.url)
    assert steady(embedded, MARKERS_IN_FRAME) > 0
    assert embedded.evaluate("() => document.getElementById('map').dataset.markerCount") != "0"
    # The OpenStreetMap layer is there, with its attribution.
    embedded.wait_for_function("() => document.getElementById('map').dataset.osmCount === '1'")
    assert (
        "OpenStreetMap contributors (ODbL)"
        in frame.locator(".leaflet-control-attribution").inner_text()
    )
    # A reader follows the link out of the frame: a new tab on the tracker.
    with context.expect_page() as opened:
        frame.locator(".embed-head a").click()
    full = opened.value
    full.wait_for_load_state()
    assert urlsplit(full.url).path == "/" and "state=IN-UP" in full.url

    origins = {urlsplit(url).netloc for url in asked if not url.startswith("data:")}
    assert origins == {news_site.netloc, tracker}, origins
    assert context.cookies() == []
    context.close()


@pytest.mark.parametrize("path", ["/embed/map/?state=IN-UP", "/embed/deployments/{id}/"])
def test_embeds_fit_a_300_pixel_column(browser, demo_site, path):  # noqa: F811
    context = browser.new_context(viewport={"width": 300, "height": 560})
    page = context.new_page()
    page.goto(demo_site["url"] + path.format(id=demo_site["deployments"][0].pk))
    page.wait_for_selector("#map[data-state='ready'], .mini-map[data-ready='true']")
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1] == 300, widths
    page.screenshot(path=f"var/screenshots/embed-300-{'map' if 'map' in path else 'card'}.png")
    context.close()
