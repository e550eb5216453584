"""A file attached to a form that comes back with errors is kept: the form lists it as
attached, the next send carries it, only its volunteer can use it, and it goes away if
never used."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.authtoken.models import Token

from moderation.models import Attachment, PendingUpload, Submission
from moderation.pending import PENDING_UPLOAD_HOURS, uploads_purge
from tests.support.pages import NEW_DEPLOYMENT_URL, deployment_post
from tests.support.people import signed_in

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def pdf(name="tender.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


def test_a_file_survives_a_forgotten_source_and_is_attached_on_the_next_send(volunteer, media):
    client = signed_in(volunteer)
    response = client.post(
        NEW_DEPLOYMENT_URL,
        deployment_post(source_url_1="", source_title_1="", attachments=pdf()),
    )
    assert response.status_code == 200 and Submission.objects.count() == 0
    (kept,) = PendingUpload.objects.all()
    page = response.content.decode()
    assert "Attached already" in page and "tender.pdf" in page
    assert f'name="pending_uploads" value="{kept.key}" checked' in page
    # The volunteer adds the source and sends; the browser sends the kept file's key.
    response = client.post(NEW_DEPLOYMENT_URL, {**deployment_post(), "pending_uploads": kept.key})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.submission == Submission.objects.get()
    assert attachment.original_name == "tender.pdf" and attachment.file.read() == PDF
    assert not PendingUpload.objects.exists()


def test_unticking_a_kept_file_leaves_it_out(volunteer):
    client = signed_in(volunteer)
    client.post(NEW_DEPLOYMENT_URL, deployment_post(title="", attachments=pdf()))
    assert PendingUpload.objects.count() == 1
    assert client.post(NEW_DEPLOYMENT_URL, deployment_post()).status_code == 302
    assert not Attachment.objects.exists()


def test_another_volunteer_cannot_use_a_kept_file(volunteer, other_volunteer):
    signed_in(volunteer).post(NEW_DEPLOYMENT_URL, deployment_post(title="", attachments=pdf()))
    kept = PendingUpload.objects.get()
    signed_in(other_volunteer).post(
        NEW_DEPLOYMENT_URL, {**deployment_post(title="Other"), "pending_uploads": kept.key}
    )
    assert Submission.objects.get().attachments.count() == 0
    assert PendingUpload.objects.filter(pk=kept.pk).exists()


def test_kept_files_count_towards_the_limit(volunteer):
    client = signed_in(volunteer)
    client.post(
        NEW_DEPLOYMENT_URL,
        deployment_post(title="", attachments=[pdf(f"{n}.pdf") for n in range(3)]),
    )
    keys = list(PendingUpload.objects.values_list("key", flat=True))
    response = client.post(
        NEW_DEPLOYMENT_URL,
        {
            **deployment_post(attachments=[pdf(f"more-{n}.pdf") for n in range(3)]),
            "pending_uploads": keys,
        },
    )
    assert "Attach at most 5 files." in response.context["form"].errors["attachments"]
    assert Submission.objects.count() == 0


def test_unused_files_are_deleted_after_a_day(volunteer, media):
    signed_in(volunteer).post(NEW_DEPLOYMENT_URL, deployment_post(title="", attachments=pdf()))
    kept = PendingUpload.objects.get()
    path = media / kept.file.name
    assert path.exists()
    uploads_purge(now=timezone.now() + timedelta(hours=PENDING_UPLOAD_HOURS, minutes=1))
    assert not PendingUpload.objects.exists() and not path.exists()


def test_the_api_lists_kept_files_and_takes_their_keys(volunteer):
    token = Token.objects.create(user=volunteer).key
    client = signed_in(None)
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token}"
    post = deployment_post()
    fields = {k: v for k, v in post.items() if not k.startswith("source_") and k not in ("action",)}
    body = {"entity_type": "deployment", "fields": fields}
    response = client.post(
        "/api/v1/submissions/", {"payload": json.dumps(body), "attachments": [pdf()]}
    )
    assert response.status_code == 400
    assert response.json()["sources"] == {
        "0": ["Give at least one source: a link to where this is reported."]
    }
    (kept,) = response.json()["pending_uploads"]
    assert kept["name"] == "tender.pdf"
    body["sources"] = [{"url": "https://news.example.org/x"}]
    body["pending_uploads"] = [kept["key"]]
    response = client.post(
        "/api/v1/submissions/", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201
    assert [a["name"] for a in response.json()["attachments"]] == ["tender.pdf"]
