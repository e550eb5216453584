"""Sitemaps by the protocol: past 50,000 URLs the index points at a second file."""

import re

import pytest

from tests.factories import HotspotFactory
from tests.support.data import rows_copied
from tracker.models import Hotspot
from tracker.views.sitemaps import SITEMAP_URL_LIMIT

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_more_than_50000_urls_make_an_index_with_two_files(client):
    assert SITEMAP_URL_LIMIT == 50_000
    # One hotspot through the ORM, then 50,000 copies of it in one statement.
    rows_copied(
        HotspotFactory(name="Market square 0", slug="market-square-0"),
        50_000,
        name="'Market square ' || n",
        slug="'market-square-' || n",
    )
    assert Hotspot.objects.published().count() == 50_001

    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    assert index["Content-Type"] == "application/xml"
    body = index.content.decode()
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex')
    hotspot_files = re.findall(r"<loc>http://testserver(/sitemaps/hotspots-\d+\.xml)</loc>", body)
    assert len(hotspot_files) == 2

    urls = []
    for path in hotspot_files:
        plain = client.get(path).content.decode()
        found = re.findall(r"<loc>http://testserver/hotspots/(\d+)-[^<]+/</loc>", plain)
        assert 0 < len(found) <= SITEMAP_URL_LIMIT
        if len(found) > 1000:  # thousands of URLs are megabytes: sent compressed
            page = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
            assert page["Content-Encoding"] == "gzip"
        assert plain.count("<lastmod>") == len(found)
        urls += found
    assert len(urls) == len(set(urls)) == 50_001


def test_unknown_sitemap_files_are_404(client):
    for name in ["nothing-0", "hotspots-x", "pages-1", "hotspots-99999999999"]:
        assert client.get(f"/sitemaps/{name}.xml").status_code == 404, name
