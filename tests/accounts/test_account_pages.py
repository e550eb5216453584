"""Account pages in the site's words: no internal username anywhere, signed in once the
e-mail is confirmed, headings in sentence case, a contact address where a page says to write
to us; and moderators' header counts what waits for them."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from moderation.models import Submission, SubmissionStatus
from tests.support.people import PASSWORD

pytestmark = pytest.mark.django_db
User = get_user_model()


def sign_up(client, email="nisha@example.org"):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "display_name": "Nisha",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "fax_number": "",
        },
    )


def test_confirming_the_e_mail_signs_the_volunteer_in_and_names_no_username(mail_delivered):
    client = Client()
    with mail_delivered() as outbox:
        sign_up(client)
    username = User.objects.get(email="nisha@example.org").username
    link = re.search(r"https?://testserver(/\S*accounts/confirm-email/\S+/)", outbox[0].body)
    link = link.group(1)
    page = client.get(link).content.decode()
    assert "<h1>Confirm your e-mail address</h1>" in page
    assert "nisha@example.org" in page and username not in page
    response = client.post(link, follow=True)
    assert response.wsgi_request.user.is_authenticated
    assert username not in response.content.decode()
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "Nisha" in profile and username not in profile


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/accounts/login/", "Sign in"),
        ("/accounts/signup/", "Sign up as a volunteer"),
        ("/accounts/password/reset/", "Reset your password"),
        ("/accounts/confirm-email/", "Check your e-mail"),
    ],
)
def test_headings_are_in_sentence_case(client, url, heading):
    page = client.get(url).content.decode()
    assert f"<h1>{heading}</h1>" in page
    for title_case in ("Sign In", "Sign Up", "Password Reset", "Verify Your Email"):
        assert title_case not in page


def test_pages_that_say_to_write_to_us_give_the_address(client, settings):
    settings.CONTACT_EMAIL = "help@tracker.example"
    for url in ("/accounts/confirm-email/", "/about/"):
        page = client.get(url).content.decode()
        assert 'href="mailto:help@tracker.example"' in page, url
    settings.CONTACT_EMAIL = ""
    assert "mailto:" not in client.get("/accounts/confirm-email/").content.decode()


def test_the_review_link_counts_pending_submissions_for_moderators_only(
    volunteer, moderator, client
):
    Submission.objects.create(
        volunteer=volunteer, kind="new", entity_type="deployment", status=SubmissionStatus.PENDING
    )
    Submission.objects.create(volunteer=volunteer, kind="new", entity_type="agency")  # a draft
    mod = Client()
    mod.force_login(moderator, backend="django.contrib.auth.backends.ModelBackend")
    assert "Review (1)" in mod.get("/about/").content.decode()
    vol = Client()
    vol.force_login(volunteer, backend="django.contrib.auth.backends.ModelBackend")
    assert "Review (" not in vol.get("/about/").content.decode()
    assert "Review (" not in client.get("/about/").content.decode()
