"""Every public page renders for an anonymous reader, in English and in Hindi."""

import pytest
from django.utils import translation

from tests.support.pages import PAGES
from tracker.catalogue.links import detail_url as _detail_url


def detail_url(obj):
    """The English URL, whatever language the last request activated."""
    with translation.override("en"):
        return _detail_url(obj)


@pytest.mark.parametrize("language_prefix", ["", "/hi"])
def test_every_public_page_renders(client, site_data, language_prefix):
    for path in PAGES:
        response = client.get(language_prefix + path)
        assert response.status_code == 200, path
    for key in ("lucknow", "hotspot", "rti"):
        response = client.get(language_prefix + detail_url(site_data[key]))
        assert response.status_code == 200, key
    response = client.get(language_prefix + detail_url(site_data["agencies"][0]))
    assert response.status_code == 200


def test_detail_page_with_a_stale_slug_redirects_to_the_current_one(client, site_data):
    lucknow = site_data["lucknow"]
    response = client.get(f"/deployments/{lucknow.pk}-old-name/")
    assert response.status_code == 301
    assert response["Location"] == detail_url(lucknow)


def test_unknown_state_is_404(client, db):
    assert client.get("/states/in-xx/").status_code == 404


def test_hindi_pages_use_hindi_words_and_state_names(client, site_data):
    home = client.get("/hi/").content.decode()
    assert '<html lang="hi"' in home
    assert "मानचित्र" in home and "तैनातियाँ" in home
    assert "उत्तर प्रदेश" in client.get("/hi/stats/").content.decode()
    assert "उत्तर प्रदेश" in client.get("/hi/deployments/").content.decode()
    features = client.get("/hi/map/deployments.geojson").json()["features"]
    assert {f["properties"]["state"] for f in features} == {"उत्तर प्रदेश", "दिल्ली"}
    assert all(f["properties"]["url"].startswith("/hi/deployments/") for f in features)
