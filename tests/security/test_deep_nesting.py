"""Finding 9: deeply nested JSON is a clear 400 (or form error), never a server error."""

import json

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from moderation.models import Submission
from tests.support.people import signed_in

pytestmark = pytest.mark.django_db
DEEP = "[" * 20_000 + "]" * 20_000


@pytest.fixture
def api(volunteer):
    return Client(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=volunteer).key)


def hotspot_fields(**fields):
    return {
        "name": "Charbagh station",
        "kind": "transport",
        "state": "IN-UP",
        "city": "Lucknow",
        "latitude": 26.83,
        "longitude": 80.92,
        **fields,
    }


def test_a_deeply_nested_area_through_the_api_is_a_400_naming_it(api):
    body = {
        "entity_type": "hotspot",
        "fields": hotspot_fields(area=DEEP),
        "sources": [{"url": "https://news.example.org/charbagh"}],
    }
    response = api.post("/api/v1/submissions/", json.dumps(body), content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert "area" in response.json()
    assert not Submission.objects.exists()


def test_a_deeply_nested_area_in_the_form_is_a_form_error(volunteer):
    post = {
        **hotspot_fields(area='{"type": "Polygon", "coordinates": ' + DEEP + "}"),
        "source_url_1": "https://news.example.org/charbagh",
        "action": "submit",
        "fax_number": "",
    }
    response = signed_in(volunteer).post("/submit/hotspot/", post)
    assert response.status_code == 200
    assert "Give the area as a GeoJSON polygon." in response.content.decode()
    assert not Submission.objects.exists()


@pytest.mark.parametrize("multipart", [False, True])
def test_a_deeply_nested_body_is_a_400(api, multipart):
    if multipart:
        response = api.post("/api/v1/submissions/", {"payload": DEEP})
    else:
        response = api.post("/api/v1/submissions/", DEEP, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/json"
