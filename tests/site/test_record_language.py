"""On Hindi pages, record text written in English (titles, names, summaries) says it is
English, so a screen reader reads it as English; the interface around it stays Hindi, and the
home map's state filter names the states in Hindi."""

import lxml.html
import pytest

pytestmark = pytest.mark.django_db


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def test_detail_and_list_pages_mark_english_record_text(client, site_data):
    lucknow = site_data["lucknow"]
    detail = page(client, f"/hi/deployments/{lucknow.pk}-{lucknow.slug}/")
    assert detail.xpath("//h1")[0].get("lang") == "en"
    assert detail.xpath("//div[@class='summary']")[0].get("lang") == "en"
    (agency,) = detail.xpath("//a[text()='Lucknow Police']")
    assert agency.get("lang") == "en"
    listing = page(client, "/hi/deployments/")
    titles = listing.xpath("//table//th[@scope='row']/a")
    assert titles and all(a.get("lang") == "en" for a in titles)
    # The English pages need no such mark.
    english = page(client, f"/deployments/{lucknow.pk}-{lucknow.slug}/")
    assert english.xpath("//h1")[0].get("lang") is None


def test_the_home_filter_names_states_in_hindi(client, site_data):
    home = page(client, "/hi/")
    options = {
        o.get("value"): o.text_content() for o in home.xpath("//select[@name='state']/option")
    }
    assert options["IN-UP"] == "उत्तर प्रदेश" and options["IN-DL"] == "दिल्ली"
    assert (
        home.xpath("//section[@id='map-panel']//table//th[@scope='row']/a")[0].get("lang") == "en"
    )
