"""The same controls on the newer surfaces: webhooks, releases, embeds, RTI statistics."""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.support.people import signed_in

pytestmark = pytest.mark.django_db
DEEP = "[" * 20_000 + "]" * 20_000


def test_a_deeply_nested_webhook_registration_is_a_400(volunteer):
    api = Client(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=volunteer).key)
    response = api.post("/api/v1/webhooks/", DEEP, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/releases/x%0A/",
        "/api/v1/webhooks/1%0A/",
        "/api/v1/agencies/1%0A/rti-statistics/",
        "/api/v1/export/ocds.json%0A",
    ],
)
def test_newline_paths_on_new_endpoints_are_json_404s(client, path, settings):
    settings.DEBUG = True
    response = client.get(path)
    assert response.status_code in (401, 404)
    assert response["Content-Type"] == "application/json"


def test_a_changed_password_ends_the_token_for_webhooks_too(volunteer):
    key = Token.objects.create(user=volunteer).key
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/webhooks/").status_code == 200
    volunteer.set_password("another passphrase entirely 9")
    volunteer.save()
    assert api.get("/api/v1/webhooks/").status_code == 401


def test_the_profile_with_its_webhooks_is_never_stored(volunteer):
    response = signed_in(volunteer).get("/accounts/profile/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_an_embed_sets_no_cookie_and_is_not_private(client):
    response = client.get("/embed/map/")
    assert response.status_code == 200
    assert not response.cookies
    assert "no-store" not in response.get("Cache-Control", "")
