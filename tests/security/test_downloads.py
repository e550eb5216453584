"""Finding 5: an attachment (and an RTI document) is downloaded under the type its content
was checked to be."""

import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.authtoken.models import Token

from moderation.models import Attachment
from tests.factories import RTIRequestFactory
from tests.support.pages import deployment_body
from tests.support.people import signed_in
from tracker.models import RTIDocument
from tracker.uploads import download_name

pytestmark = pytest.mark.django_db

POLYGLOT_PDF = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>\n%%EOF\n"
PNG_SVG = b"\x89PNG\r\n\x1a\n<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"


def submit_with(volunteer, upload):
    payload = deployment_body()
    api = Client(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=volunteer).key)
    response = api.post(
        "/api/v1/submissions/", {"payload": json.dumps(payload), "attachments": [upload]}
    )
    assert response.status_code == 201, response.content
    return Attachment.objects.get()


@pytest.mark.parametrize(
    ("name", "content", "content_type", "offered"),
    [
        ("reply.html", POLYGLOT_PDF, "text/html", "reply.pdf"),
        ("pic.svg", PNG_SVG, "image/svg+xml", "pic.png"),
        ("../../evil.pdf.html", POLYGLOT_PDF, "application/pdf", "evil.pdf"),
    ],
)
def test_a_moderator_downloads_under_the_checked_type(
    volunteer, moderator, settings, tmp_path, name, content, content_type, offered
):
    settings.MEDIA_ROOT = tmp_path
    attachment = submit_with(volunteer, SimpleUploadedFile(name, content, content_type))
    response = signed_in(moderator).get(f"/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{offered}"'
    assert response["Content-Type"] in ("application/pdf", "image/png")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == content


def test_a_name_with_nothing_usable_still_gets_the_checked_extension():
    assert download_name("....", "application/pdf") == "attachment.pdf"
    assert download_name("C:\\\\Users\\\\x\\\\scan.JPG.exe", "image/jpeg") == "scan.jpg"


def test_an_rti_document_is_downloaded_under_the_checked_type(
    volunteer, moderator, settings, tmp_path
):
    """The same attack on an RTI request's documents: its owner proposes an event with a
    PDF-prefixed HTML file named ``reply.html``; the moderator who reviews it (and, once
    published, the public) must be offered ``reply.pdf``."""
    settings.MEDIA_ROOT = tmp_path
    rti = RTIRequestFactory(owner=volunteer, route="online", filed_on=date(2024, 1, 10))
    api = Client(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=volunteer).key)
    proposed = api.post(
        f"/api/v1/rti-requests/{rti.pk}/events/",
        {
            "payload": '{"kind": "fee_requested", "date": "2024-01-20", "amount": "40"}',
            "documents": SimpleUploadedFile("reply.html", POLYGLOT_PDF, "text/html"),
        },
    )
    assert proposed.status_code == 202, proposed.content
    document = RTIDocument.objects.get()
    response = signed_in(moderator).get(f"/rti/{rti.pk}/documents/{document.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="reply.pdf"'
    assert response["Content-Type"] == "application/pdf"
