"""Embeds: the map and an entry's card for other sites' iframes, framable alone, without
cookies or anything from elsewhere; the share control and oEmbed offer them."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import (
    AgencyFactory,
    CitationFactory,
    DeploymentFactory,
    HotspotFactory,
    SourceFactory,
)
from tracker.models import Publication
from tracker.publication import entity_withdraw

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    agency = AgencyFactory(name="Lucknow Police", state_id="IN-UP")
    deployment = DeploymentFactory(
        title="Safe City face recognition", lead_agency=agency, camera_count=1200
    )
    CitationFactory(
        deployment=deployment,
        source=SourceFactory(title="Lucknow's cameras", url="https://news.example.org/lko"),
    )
    return deployment


def framable_by(response):
    policy = response["Content-Security-Policy"]
    return re.search(r"frame-ancestors ([^;]*)", policy).group(1), response.get("X-Frame-Options")


def assert_nothing_from_elsewhere(response):
    """Every script, style, image and frame the page loads is this site's own."""
    html = response.content.decode()
    for tag, url in re.findall(r"<(script|link|img|iframe)\b[^>]*?(?:src|href)=\"([^\"]+)\"", html):
        assert urlsplit(url).netloc in ("", "testserver"), f"{tag} loads {url}"
    assert "fonts.googleapis" not in html and "@import" not in html


def test_only_the_embeds_may_be_framed_and_by_anyone_by_default(client, entry):
    for url in ("/embed/map/", f"/embed/deployments/{entry.pk}/", "/hi/embed/map/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert framable_by(response) == ("*", None)
        assert not response.cookies
        assert_nothing_from_elsewhere(response)
    for url in ("/", f"/deployments/{entry.pk}/", "/states/in-up/", "/oembed/?url=x"):
        response = client.get(url, follow=True)
        assert framable_by(response) == ("'none'", "DENY"), url


def test_operator_can_name_the_sites_that_may_frame(client, entry, settings):
    settings.EMBED_ALLOWED_ORIGINS = ["https://news.example.org", "https://*.example.net"]
    response = client.get("/embed/map/?state=IN-UP")
    assert framable_by(response) == ("https://news.example.org https://*.example.net", None)
    assert framable_by(client.get("/"))[0] == "'none'"


def test_embedded_map_takes_the_home_maps_filters_and_first_view(client, entry):
    response = client.get(
        "/embed/map/?state=IN-UP&technology=facial_recognition&status=in_use&purpose=surveillance"
        f"&agency={entry.lead_agency.pk}&year=2024&bbox=80.8,26.7,81.1,27.0"
    )
    html = unescape(response.content.decode())
    query = parse_qs(re.search(r'data-query="([^"]*)"', html).group(1))
    assert query == {
        "state": ["IN-UP"],
        "technology": ["facial_recognition"],
        "status": ["in_use"],
        "purpose": ["surveillance"],
        "agency": [str(entry.lead_agency.pk)],
        "year": ["2024"],
    }
    assert 'data-extent="80.8,26.7,81.1,27.0"' in html
    assert 'href="/?state=IN-UP&technology=facial_recognition' in html  # the full map
    assert '<base target="_blank">' in html  # links leave the frame for the site
    # Without a box, a state's map opens on the state.
    html = client.get("/embed/map/?state=IN-UP").content.decode()
    assert re.search(r'data-extent="7\d\.\d+,2\d\.\d+,8\d\.\d+,3\d\.\d+"', html)


@pytest.mark.parametrize(
    "query, problem",
    [
        ("technology=lasers", "technology"),
        ("bbox=1,2,3", "bbox"),
        ("state=Uttar+Pradesh", "state"),
        ("colour=red", "Unknown parameter: colour"),
    ],
)
def test_embedded_map_says_what_is_wrong_with_its_address(client, query, problem):
    response = client.get(f"/embed/map/?{query}")
    assert response.status_code == 400
    assert problem in response.content.decode()
    assert framable_by(response) == ("*", None)  # the mistake shows inside the article


def test_entry_card_shows_level_sources_map_and_the_full_page(client, entry):
    html = client.get(f"/embed/deployments/{entry.pk}/").content.decode()
    assert "Safe City face recognition" in html
    assert "Verification:" in html and entry.get_confidence_display() in html
    assert "Lucknow Police" in html and "1,200" in html
    assert 'href="https://news.example.org/lko"' in html and "Lucknow&#x27;s cameras" in html
    assert f'href="/deployments/{entry.pk}-{entry.slug}/"' in html
    assert 'class="mini-map"' in html


def test_entry_card_of_a_draft_is_not_found_and_of_a_withdrawn_entry_is_its_tombstone(
    client, entry
):
    draft = DeploymentFactory(title="Secret draft", publication=Publication.DRAFT)
    assert client.get(f"/embed/deployments/{draft.pk}/").status_code == 404
    entity_withdraw(entity=entry, reason="The report was retracted by its publisher.")
    response = client.get(f"/embed/deployments/{entry.pk}/")
    assert response.status_code == 410
    html = response.content.decode()
    assert "Safe City face recognition" in html
    assert "The report was retracted by its publisher." in html
    assert "news.example.org/lko" not in html  # its facts and sources are gone
    assert framable_by(response) == ("*", None)


def oembed(client, url, **params):
    return client.get("/oembed/", {"url": url, **params})


def test_oembed_gives_the_card_of_a_detail_page_and_the_map_of_a_state(client, entry):
    answer = oembed(client, f"http://testserver/deployments/{entry.pk}-{entry.slug}/").json()
    assert answer["version"] == "1.0" and answer["type"] == "rich"
    assert answer["title"] == "Safe City face recognition"
    assert answer["provider_name"] == "Panoptic Tracker"
    assert f'src="http://testserver/embed/deployments/{entry.pk}/"' in answer["html"]
    assert (answer["width"], answer["height"]) == (640, 560)
    answer = oembed(client, "http://testserver/hi/states/in-up/", maxwidth=400).json()
    assert 'src="http://testserver/hi/embed/map/?state=IN-UP"' in answer["html"]
    assert answer["width"] == 400 and 'width="400"' in answer["html"]
    assert "उत्तर प्रदेश" in answer["title"]
    answer = oembed(client, "http://testserver/?technology=facial_recognition").json()
    assert "embed/map/?technology=facial_recognition" in answer["html"]


@pytest.mark.parametrize(
    "url",
    [
        "https://elsewhere.example.org/deployments/1/",
        "http://testserver.example.org/deployments/1/",
        "javascript:alert(1)",
        "http://testserver/about/",
        "http://testserver/deployments/999999/",
    ],
)
def test_oembed_answers_404_for_what_is_not_ours_or_has_no_embed(client, entry, url):
    response = oembed(client, url)
    assert response.status_code == 404 and "url" in response.json()["error"]


def test_oembed_answers_404_for_unpublished_entries(client, entry):
    draft = DeploymentFactory(publication=Publication.DRAFT)
    hidden_agency = AgencyFactory(publication=Publication.DRAFT)
    hidden_hotspot = HotspotFactory(publication=Publication.DRAFT)
    entity_withdraw(entity=entry, reason="Retracted.")
    for url in (
        f"http://testserver/deployments/{draft.pk}/",
        f"http://testserver/deployments/{entry.pk}/",
        f"http://testserver/agencies/{hidden_agency.pk}/",
        f"http://testserver/hotspots/{hidden_hotspot.pk}/",
        f"http://testserver/embed/deployments/{entry.pk}/",
    ):
        assert oembed(client, url).status_code == 404, url


def test_oembed_refuses_bad_requests_clearly(client, entry):
    page = f"http://testserver/deployments/{entry.pk}/"
    assert oembed(client, page, format="xml").status_code == 501
    response = oembed(client, page, maxwidth="wide")
    assert response.status_code == 400 and response.json()["error"].startswith("maxwidth")
    assert client.get("/oembed/").json()["error"].startswith("url")
    assert oembed(client, "http://testserver/" + "a" * 3000).status_code == 400


def test_pages_announce_oembed_and_offer_share_codes_for_what_they_show(client, entry):
    hotspot = HotspotFactory(name="Hazratganj crossing")
    pages = {
        f"/deployments/{entry.pk}/": f"/embed/deployments/{entry.pk}/",
        "/states/in-up/": "/embed/map/?state=IN-UP",
        f"/agencies/{entry.lead_agency.pk}/": f"/embed/map/?agency={entry.lead_agency.pk}",
        f"/hotspots/{hotspot.pk}/": "/embed/map/?bbox=80.93000,26.85000,80.95000,26.87000",
        "/?state=IN-UP&year=": "/embed/map/?state=IN-UP",
    }
    for page, embed in pages.items():
        html = client.get(page, follow=True).content.decode()
        assert "Share / embed" in html, page
        code = unescape(re.search(r'<textarea id="share-code"[^>]*>([^<]*)<', html).group(1))
        assert unescape(code).startswith(f'<iframe src="http://testserver{embed}"'), (page, code)
        if page.startswith(("/deployments/", "/states/")):
            link = re.search(
                r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', html
            )
            assert link, page
            assert client.get(unescape(link.group(1))).status_code == 200
