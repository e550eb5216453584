"""The header's search box: on every page, a GET form that works without JavaScript, and a
results page over deployments, agencies, hotspots and RTI requests that finds English entries
from Hindi place and state names (and the reverse)."""

import lxml.html
import pytest
from django.core.management import call_command

from tests.factories import AgencyFactory, DeploymentFactory, HotspotFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo_data", stdout=open("/dev/null", "w"))


def results(client, q, prefix=""):
    response = client.get(prefix + "/search/", {"q": q})
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content.decode())
    return {
        section.get("aria-labelledby").removeprefix("results-"): [
            link.text_content() for link in section.xpath(".//ol/li/a")
        ]
        for section in page.xpath("//section[starts-with(@aria-labelledby, 'results-')]")
    }


def test_every_page_has_the_search_box(client, demo):
    for path in ["/", "/deployments/", "/about/", "/hi/states/in-up/", "/rti/calculator/"]:
        page = lxml.html.fromstring(client.get(path).content.decode())
        (form,) = page.xpath("//header//form[@role='search']")
        assert form.get("method") == "get" and form.get("action").endswith("/search/")
        (field,) = form.xpath(".//input[@name='q']")
        assert page.xpath(f"//label[@for='{field.get('id')}']")


def test_lucknow_in_devanagari_finds_the_lucknow_deployments(client, demo):
    found = results(client, "लखनऊ")
    assert "AI cameras for women in distress (Mission Shakti)" in found["deployments"]
    assert "Trinetra criminal face search" in found["deployments"]
    assert "Lucknow Police Commissionerate" in found["agencies"]
    assert found["hotspots"] and found["rti"]


def test_a_state_in_devanagari_finds_that_states_entries(client, demo):
    found = results(client, "उत्तर प्रदेश")
    assert set(found["deployments"]) >= {
        "AI cameras for women in distress (Mission Shakti)",
        "Trinetra criminal face search",
    }
    assert not any("Delhi" in title for title in found["deployments"])


def test_the_reverse_english_finds_entries_written_in_hindi(client):
    agency = AgencyFactory(name="नगर निगम")
    DeploymentFactory(title="लखनऊ में चेहरा पहचान", lead_agency=agency, state_id="IN-UP")
    assert results(client, "Lucknow")["deployments"] == ["लखनऊ में चेहरा पहचान"]


def test_the_four_kinds_and_their_links_to_the_lists(client):
    police = AgencyFactory(name="Varanasi Police", state_id="IN-UP", city="Varanasi")
    for n in range(7):
        DeploymentFactory(title=f"Varanasi ghat cameras {n}", lead_agency=police)
    HotspotFactory(name="Varanasi ghats", state_id="IN-UP")
    response = client.get("/search/", {"q": "varanasi"})
    page = lxml.html.fromstring(response.content.decode())
    found = results(client, "varanasi")
    assert len(found["deployments"]) == 5 and found["agencies"] == ["Varanasi Police"]
    assert found["hotspots"] == ["Varanasi ghats"] and found["rti"] == []
    assert page.xpath("//a[@href='/deployments/?q=varanasi']")


def test_hindi_pages_mark_english_record_text(client, demo):
    page = lxml.html.fromstring(client.get("/hi/search/", {"q": "लखनऊ"}).content.decode())
    titles = page.xpath("//section[@aria-labelledby='results-deployments']//ol/li/a")
    assert titles and all(a.get("lang") == "en" for a in titles)
    assert page.xpath("//html")[0].get("lang") == "hi"


@pytest.mark.parametrize(
    "q, status", [("x" * 1000, 400), ("luck\x1bnow", 400), ("", 200), ("\"'<>&;--", 200)]
)
def test_bad_input_gets_a_clear_answer(client, q, status):
    response = client.get("/search/", {"q": q})
    assert response.status_code == status
    if status == 400:
        assert 'role="alert"' in response.content.decode()
