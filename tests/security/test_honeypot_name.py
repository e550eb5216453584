"""Finding 7: the honeypot has a name no entry uses, so an agency's website is kept."""

import json

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from moderation.models import Submission
from tests.factories import AgencyFactory
from tests.support.people import signed_in

pytestmark = pytest.mark.django_db


def agency_post(**fields):
    return {
        "name": "Pune Police",
        "kind": "police",
        "level": "city",
        "state": "IN-MH",
        "city": "Pune",
        "website": "https://punepolice.example.gov.in/",
        "description": "",
        "source_url_1": "https://news.example.org/pune",
        "source_title_1": "Pune",
        "action": "submit",
        "fax_number": "",
        **fields,
    }


def test_a_new_agency_with_a_website_is_not_taken_for_a_bot(volunteer):
    response = signed_in(volunteer).post("/submit/agency/", agency_post())
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Submission.objects.get().data["website"] == "https://punepolice.example.gov.in/"


def test_an_agency_correction_of_its_website_is_kept(volunteer):
    agency = AgencyFactory(
        name="Pune Police", state_id="IN-MH", city="Pune", website="https://old.example.gov.in/"
    )
    response = signed_in(volunteer).post(
        f"/submit/agency/{agency.pk}/correct/", agency_post(why="The police's new site.")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Submission.objects.get().data == {"website": "https://punepolice.example.gov.in/"}


def test_an_api_correction_never_blanks_the_website(volunteer):
    agency = AgencyFactory(
        name="Pune Police", state_id="IN-MH", city="Pune", website="https://old.example.gov.in/"
    )
    fields = {
        k: v for k, v in agency_post(website=agency.website).items() if not k.startswith("source")
    }
    fields.pop("action")
    fields.pop("fax_number")
    fields["description"] = "The city's police."
    fields["why"] = "The police describe themselves so on their site."
    api = Client(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=volunteer).key)
    body = {
        "entity_type": "agency",
        "target_id": agency.pk,
        "fields": fields,
        "sources": [{"url": "https://news.example.org/pune"}],
    }
    response = api.post("/api/v1/submissions/", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["data"] == {"description": "The city's police."}


def test_a_bot_filling_the_honeypot_is_still_caught(volunteer):
    response = signed_in(volunteer).post(
        "/submit/agency/", agency_post(fax_number="+91 20 5555 0000")
    )
    assert response.status_code == 200
    assert not Submission.objects.exists()
