"""Finding 8: a new password, changed or reset, ends the account's API token."""

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.support.people import PASSWORD, signed_in

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a brand new passphrase 77"


def token_works(key):
    response = Client().get("/api/v1/deployments/", HTTP_AUTHORIZATION=f"Token {key}")
    return response.status_code == 200


def test_a_password_change_ends_the_token(volunteer):
    key = Token.objects.create(user=volunteer).key
    assert token_works(key)
    response = signed_in(volunteer).post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not token_works(key)


def test_a_password_reset_ends_the_token(volunteer):
    key = Token.objects.create(user=volunteer).key
    client = Client()
    start = client.get(
        f"/accounts/password/reset/key/{user_pk_to_url_str(volunteer)}-"
        f"{default_token_generator.make_token(volunteer)}/"
    )
    assert start.status_code == 302
    done = client.post(start["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert Client().login(username=volunteer.username, password=NEW_PASSWORD)
    assert not token_works(key)


def test_signing_in_keeps_the_token(volunteer):
    key = Token.objects.create(user=volunteer).key
    client = Client()
    response = client.post(
        "/accounts/login/", {"login": "ravi.private@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert token_works(key)
