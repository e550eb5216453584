"""Uploads are refused by size as they stream, before they are read whole."""

import json

import pytest
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from rest_framework.authtoken.models import Token

from moderation.models import Submission
from tests.support.pages import deployment_post
from tests.support.people import signed_in

pytestmark = pytest.mark.django_db
LIMIT = 64 * 1024


@pytest.fixture
def small_limit(settings, tmp_path):
    settings.SUBMISSION_ATTACHMENT_MAX_BYTES = LIMIT
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def stored_bytes(monkeypatch):
    """How many bytes of uploads reached a handler that keeps them (memory or disk)."""
    seen = []
    original = TemporaryFileUploadHandler.receive_data_chunk

    def counting(self, raw_data, start):
        seen.append(len(raw_data))
        return original(self, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", counting)
    from django.core.files.uploadhandler import MemoryFileUploadHandler

    memory = MemoryFileUploadHandler.receive_data_chunk

    def counting_memory(self, raw_data, start):
        seen.append(len(raw_data))
        return memory(self, raw_data, start)

    monkeypatch.setattr(MemoryFileUploadHandler, "receive_data_chunk", counting_memory)
    return seen


def big_pdf(size):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("huge scan.pdf", b"%PDF-1.4\n" + b"0" * size, "application/pdf")


def test_the_form_names_a_file_over_the_limit_without_keeping_it(
    volunteer, small_limit, stored_bytes
):
    response = signed_in(volunteer).post(
        "/submit/deployment/", deployment_post(attachments=big_pdf(LIMIT * 20))
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "huge scan.pdf" in page and "files may be at most 64.0" in page
    assert not Submission.objects.exists()
    assert sum(stored_bytes) <= LIMIT + 64 * 1024  # at most the limit and one chunk


def test_the_api_answers_a_400_naming_the_file(volunteer, small_limit, stored_bytes):
    from tests.support.pages import deployment_post as post_fields

    fields = {
        k: v
        for k, v in post_fields().items()
        if not k.startswith("source") and k not in ("action", "fax_number")
    }
    payload = {
        "entity_type": "deployment",
        "fields": fields,
        "sources": [{"url": "https://news.example.org/x"}],
    }
    client = signed_in(None)
    client.defaults["HTTP_AUTHORIZATION"] = "Token " + Token.objects.create(user=volunteer).key
    response = client.post(
        "/api/v1/submissions/",
        {"payload": json.dumps(payload), "attachments": [big_pdf(LIMIT * 20)]},
    )
    assert response.status_code == 400
    assert "huge scan.pdf" in json.dumps(response.json()["attachments"])
    assert sum(stored_bytes) <= LIMIT + 64 * 1024


def test_a_file_within_the_limit_is_kept(volunteer, small_limit):
    response = signed_in(volunteer).post(
        "/submit/deployment/", deployment_post(attachments=big_pdf(LIMIT // 2))
    )
    assert response.status_code == 302
    assert Submission.objects.get().attachments.count() == 1
