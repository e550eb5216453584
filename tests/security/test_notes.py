"""The review's notes: drafts stay private, private pages are never cached, reset mail
goes only to known addresses."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from moderation.models import Attachment, Submission, SubmissionStatus
from tests.support.pages import deployment_post
from tests.support.people import signed_in

pytestmark = pytest.mark.django_db


def test_a_draft_is_invisible_to_moderators_until_sent(volunteer, moderator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    author = signed_in(volunteer)
    pdf = SimpleUploadedFile("reply.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    saved = author.post(
        "/submit/deployment/",
        deployment_post(action="draft", title="Private notes", attachments=pdf),
    )
    assert saved.status_code == 302
    draft = Submission.objects.get()
    assert draft.status == SubmissionStatus.DRAFT
    attachment = Attachment.objects.get()

    moderators = signed_in(moderator)
    assert "Private notes" not in moderators.get("/moderation/").content.decode()
    assert moderators.get(f"/moderation/submissions/{draft.pk}/").status_code == 404
    assert moderators.get(f"/attachments/{attachment.pk}/").status_code == 403
    assert author.get(f"/attachments/{attachment.pk}/").status_code == 200

    Submission.objects.filter(pk=draft.pk).update(status=SubmissionStatus.PENDING)
    assert moderators.get(f"/moderation/submissions/{draft.pk}/").status_code == 200
    assert moderators.get(f"/attachments/{attachment.pk}/").status_code == 200


@pytest.mark.parametrize("path", ["/accounts/profile/", "/submissions/", "/moderation/"])
def test_private_pages_are_never_stored(moderator, path):
    response = signed_in(moderator).get(path)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_public_pages_for_anonymous_readers_keep_their_caching(client):
    response = client.get("/deployments/")
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_reset_for_an_unknown_address_sends_no_mail(mail_delivered):
    with mail_delivered() as outbox:
        response = Client().post(
            reverse("account_reset_password"), {"email": "stranger@example.org"}
        )
    assert response.status_code == 302  # the same answer as for a known address
    assert outbox == []
