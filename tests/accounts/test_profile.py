"""The profile: a public display name, API tokens; the e-mail never public."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from moderation.models import Submission
from moderation.services import submission_approve
from tests.support.pages import NEW_DEPLOYMENT_URL, deployment_post
from tests.support.people import signed_in
from tracker.models import Deployment

pytestmark = pytest.mark.django_db


def test_the_display_name_can_change_and_shows_in_the_public_history(
    volunteer, moderator, django_capture_on_commit_callbacks
):
    client = signed_in(volunteer)
    client.post(reverse("accounts:profile"), {"first_name": "Ravi from Lucknow"})
    client.post(NEW_DEPLOYMENT_URL, deployment_post())
    submission_approve(submission_id=Submission.objects.get().pk, moderator=moderator)
    deployment = Deployment.objects.get(title="Lucknow station face recognition")
    page = signed_in(None).get(f"/deployments/{deployment.pk}-{deployment.slug}/")
    text = page.content.decode()
    assert "proposed by Ravi from Lucknow" in text
    assert "ravi.private" not in text and "asha.private" not in text


def test_tokens_are_created_shown_once_and_revoked(volunteer):
    client = signed_in(volunteer)
    client.post(reverse("accounts:token-create"))
    token = Token.objects.get(user=volunteer)
    assert token.key in client.get(reverse("accounts:profile")).content.decode()
    assert token.key not in client.get(reverse("accounts:profile")).content.decode()
    client.post(reverse("accounts:token-create"))
    assert Token.objects.get(user=volunteer).key != token.key  # replaced
    client.post(reverse("accounts:token-revoke"))
    assert not Token.objects.filter(user=volunteer).exists()


def test_public_pages_set_no_cookie_and_show_no_account_details(volunteer):
    signed_in(volunteer).post(NEW_DEPLOYMENT_URL, deployment_post())
    anonymous = signed_in(None)
    for url in ("/", "/deployments/", "/changes/", "/api/v1/deployments/"):
        response = anonymous.get(url)
        assert response.status_code == 200
        assert not response.cookies, url
        assert b"@example.org" not in response.content


def test_roles_and_staff(volunteer, moderator, administrator):
    from accounts.roles import is_moderator, is_volunteer

    assert is_volunteer(volunteer) and not is_moderator(volunteer)
    assert is_moderator(moderator) and not moderator.is_staff
    administrator.refresh_from_db()
    assert is_moderator(administrator) and administrator.is_staff


@pytest.mark.parametrize(
    "detail",
    ["deployment", "agency", "hotspot", "rti_request"],
)
def test_every_published_page_offers_a_correction(detail):
    from tests.factories import (
        AgencyFactory,
        DeploymentFactory,
        HotspotFactory,
        RTIRequestFactory,
    )
    from tracker.catalogue.links import detail_url

    factory = {
        "deployment": DeploymentFactory,
        "agency": AgencyFactory,
        "hotspot": HotspotFactory,
        "rti_request": RTIRequestFactory,
    }[detail]
    entry = factory()
    page = signed_in(None).get(detail_url(entry)).content.decode()
    assert reverse("moderation:submit-correction", args=[detail, entry.pk]) in page


def test_grant_role_command(volunteer):
    from django.core.management import CommandError, call_command

    from accounts.roles import is_moderator

    call_command("grant_role", "RAVI.private@example.org", "moderator")
    volunteer.refresh_from_db()
    assert is_moderator(volunteer) and not volunteer.is_staff
    call_command("grant_role", "ravi.private@example.org", "moderator", "--revoke")
    volunteer = type(volunteer).objects.get(pk=volunteer.pk)
    assert not is_moderator(volunteer)
    with pytest.raises(CommandError, match="no single account"):
        call_command("grant_role", "nobody@example.org", "moderator")
