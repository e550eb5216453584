"""Drafts and withdrawn entries never appear on any page, feed, sitemap or map layer."""

import pytest
from django.utils import translation

from tests.support.data import SECRET_WORDS
from tests.support.pages import PAGES, row_titles
from tracker.catalogue.links import detail_url

LIST_QUERIES = ["?q=cameras", "?state=IN-UP", "?state=IN-DL", "?ordering=title"]


def english_url(obj):
    with translation.override("en"):
        return detail_url(obj)


def assert_no_secret(response, where):
    body = response.content.decode()
    for word in SECRET_WORDS:
        assert word not in body, f"{word} leaked on {where}"


@pytest.mark.parametrize("language_prefix", ["", "/hi"])
def test_no_page_shows_an_unpublished_entry(client, site_data, language_prefix):
    paths = list(PAGES)
    for list_path in ("/deployments/", "/agencies/", "/hotspots/", "/rti/", "/"):
        paths += [list_path + query for query in LIST_QUERIES]
    paths += [
        english_url(site_data[key]) for key in ("lucknow", "delhi", "orphan", "hotspot", "rti")
    ]
    paths += [english_url(agency) for agency in site_data["agencies"]]
    for path in paths:
        response = client.get(language_prefix + path)
        assert response.status_code == 200, path
        assert_no_secret(response, language_prefix + path)


def test_unpublished_detail_pages_are_not_found(client, site_data):
    unpublished = [
        *site_data["drafts"],
        site_data["draft_agency"],
        site_data["draft_hotspot"],
        site_data["draft_rti"],
    ]
    for obj in unpublished:
        assert client.get(english_url(obj)).status_code == 404, obj


def test_searching_for_a_draft_finds_nothing(client, site_data):
    # Including the draft agency's name: search matches published deployments through
    # their agencies' names only while those agencies are published.
    for path in ("/deployments/", "/agencies/", "/hotspots/", "/rti/"):
        for word in SECRET_WORDS:
            response = client.get(path, {"q": word})
            assert response.status_code == 200
            assert row_titles(response) == [], f"{path}?q={word}"
            assert "0 results" in response.content.decode()


def test_withdrawing_an_entry_removes_it_from_map_feed_and_sitemap(client, site_data):
    delhi = site_data["delhi"]
    assert "Delhi Police FRS" in client.get("/map/deployments.geojson").content.decode()
    delhi.publication = "withdrawn"
    delhi.save()
    for path in ("/map/deployments.geojson", "/feeds/deployments/", "/sitemap.xml", "/changes/"):
        body = client.get(path).content.decode()
        assert "Delhi Police FRS" not in body, path
        assert f"/deployments/{delhi.pk}-" not in body, path
