"""Finding 3: a volunteer role taken away stays away when another address is confirmed."""

import io

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.core.management import call_command
from django.test import Client

from tests.support.people import PASSWORD

pytestmark = pytest.mark.django_db


def confirm(client, address):
    key = EmailConfirmationHMAC(EmailAddress.objects.get(email=address)).key
    response = client.post(f"/accounts/confirm-email/{key}/")
    assert response.status_code == 302
    assert EmailAddress.objects.get(email=address).verified


def test_a_revoked_volunteer_does_not_get_the_role_back_by_confirming_another_address():
    client = Client()
    signup = client.post(
        "/accounts/signup/",
        {
            "email": "first@example.org",
            "display_name": "Spammer",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert signup.status_code == 302
    confirm(client, "first@example.org")
    assert client.get("/submit/").status_code == 200  # a volunteer now

    call_command("grant_role", "first@example.org", "volunteer", "--revoke", stdout=io.StringIO())
    assert client.get("/submit/").status_code == 403

    added = client.post(
        "/accounts/email/", {"action_add": "", "email": "second@example.org"}, follow=True
    )
    assert added.status_code == 200
    confirm(client, "second@example.org")
    assert client.get("/submit/").status_code == 403
