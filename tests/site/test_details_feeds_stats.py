"""Detail pages cite sources with health and history; stats, feeds and sitemap count right."""

import re
import xml.etree.ElementTree as ET

from django.utils import translation

from tests.factories import CitationFactory, SourceFactory
from tracker.catalogue.links import detail_url

ATOM = "{http://www.w3.org/2005/Atom}"


def english_url(obj):
    with translation.override("en"):
        return detail_url(obj)


def test_deployment_page_shows_fields_sources_with_health_and_history(client, site_data):
    lucknow = site_data["lucknow"]
    lucknow.status = "suspended"
    lucknow._change_reason = "Court order"
    lucknow.save()
    body = client.get(english_url(lucknow)).content.decode()
    assert "<strong>200 hotspots</strong>" in body  # summary Markdown, sanitised
    assert "Lucknow Police" in body and "Staqu" in body
    assert "1,000" in body  # camera count
    assert "Zanzibarqueue" not in body  # draft partner agency left out
    assert "Lucknow police install face recognition" in body
    assert re.search(r'badge-ok"[^>]*>Link OK<', body)
    assert re.search(r'badge-broken"[^>]*>Link broken<', body)
    assert "Example News" in body
    assert "Changed: status (Court order)" in body
    assert "Added" in body
    # Related entities, published only.
    assert "Hazratganj market" in body and "Cameras at Lucknow hotspots" in body


def test_source_badges_cover_every_health_state(client, site_data):
    delhi = site_data["delhi"]
    for state in ("ok", "changed", "redirected", "broken", "blocked", "unchecked"):
        CitationFactory(deployment=delhi, source=SourceFactory(health=state, title=f"Src {state}"))
    body = client.get(english_url(delhi)).content.decode()
    badges = re.findall(r'class="badge badge-(\w+)"', body)
    assert sorted(set(badges)) == ["broken", "changed", "ok", "unchecked"]


def test_draft_edits_stay_out_of_public_history(client, site_data):
    delhi = site_data["delhi"]
    delhi.publication = "draft"
    delhi.title = "Delhi Police FRS (draft rename)"
    delhi.save()
    delhi.title = "Delhi Police FRS v2"
    delhi.publication = "published"
    delhi.save()
    body = client.get(english_url(delhi)).content.decode()
    assert "draft rename" not in body
    history = body[body.index("History of changes") :]
    assert "Published" in history


def test_stats_counts_match_the_published_data(client, site_data):
    body = client.get("/stats/").content.decode()
    assert re.search(r'<th scope="row">Uttar Pradesh</th><td class="num">2</td>', body)
    assert re.search(r'<th scope="row">Delhi</th><td class="num">1</td>', body)
    assert re.search(r'<th scope="row">Pilot</th><td class="num">1</td>', body)
    assert re.search(r'<th scope="row">2021</th><td class="num">1</td>', body)
    assert body.count("<svg") == 5


def feed_titles(client, path):
    root = ET.fromstring(client.get(path).content)
    return sorted(entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry"))


def test_atom_feeds_overall_and_per_state(client, site_data):
    assert feed_titles(client, "/feeds/deployments/") == [
        "Delhi Police FRS",
        "Orphan cameras",
        "Safe City face recognition",
    ]
    assert feed_titles(client, "/feeds/states/in-dl/") == ["Delhi Police FRS"]
    assert client.get("/feeds/states/in-xx/").status_code == 404


def test_sitemap_lists_published_pages(client, site_data):
    index = client.get("/sitemap.xml").content.decode()
    files = re.findall(r"<loc>http://testserver(/sitemaps/[a-z]+-\d+\.xml)</loc>", index)
    assert "/sitemaps/deployments-0.xml" in files
    body = "".join(client.get(path).content.decode() for path in files)
    assert english_url(site_data["lucknow"]) in body
    assert english_url(site_data["hotspot"]) in body
    assert english_url(site_data["rti"]) in body
    assert "/states/in-up/" in body
    for draft in site_data["drafts"]:
        assert f"/deployments/{draft.pk}-" not in body


def test_changes_page_lists_recent_changes(client, site_data):
    lucknow = site_data["lucknow"]
    lucknow.camera_count = 1200
    lucknow.save()
    body = client.get("/changes/").content.decode()
    assert "Safe City face recognition" in body
    assert "number of cameras" in body


def test_data_page_links_to_working_downloads_and_states_the_licence(client, site_data):
    body = client.get("/data/").content.decode()
    assert "CC BY 4.0" in body
    links = sorted(set(re.findall(r'href="(/api/v1/export/[^"]+)"', body)))
    assert "/api/v1/export/deployments.csv" in links
    assert "/api/v1/export/deployments.geojson" in links
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"Zanzibarqueue" not in content and b"Quokkadraft" not in content, link
