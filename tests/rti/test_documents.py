"""Public documents: private until a moderator publishes them, the redacted copy instead of
the original when there is one, their text in the request's search, and taken down again."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import AgencyFactory, RTIRequestFactory
from tests.support.people import signed_in
from tracker.models import RTIDocument
from tracker.rti.letters import Letter, letter_pdf
from tracker.rti.lifecycle import rti_event_record

pytestmark = pytest.mark.django_db


def pdf_saying(*lines):
    """A real PDF whose text layer says ``lines`` (laid out by the letters' WeasyPrint)."""
    return letter_pdf(Letter(kind="application", questions=list(lines)))


@pytest.fixture
def replied(volunteer, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    rti = RTIRequestFactory(
        title="Where are the cameras?",
        authority=AgencyFactory(name="Document Police"),
        owner=volunteer,
        route="online",
        filed_on=date(2024, 1, 10),
    )
    rti_event_record(
        rti_request=rti,
        kind="reply_received",
        day=date(2024, 2, 1),
        outcome="partially_granted",
        documents=[
            SimpleUploadedFile(
                "reply-with-my-address.pdf",
                pdf_saying("The orbital camera register lists Hazratganj crossing", "12 Main Road"),
            )
        ],
    )
    return rti


def download(client, rti, document):
    return client.get(f"/rti/{rti.pk}/documents/{document.pk}/")


def test_private_until_published_then_the_redacted_copy_only(replied, volunteer, moderator):
    document = RTIDocument.objects.get()
    anonymous = signed_in(None)
    assert download(anonymous, replied, document).status_code == 404
    assert download(signed_in(volunteer), replied, document).status_code == 200  # the owner
    page = anonymous.get(f"/rti/{replied.pk}/", follow=True).content.decode()
    assert "reply-with-my-address.pdf" not in page and "No document published yet" in page
    assert not anonymous.get("/rti/?q=orbital").context["rows"]

    redacted = pdf_saying("The orbital camera register lists Hazratganj crossing")
    signed_in(moderator).post(
        f"/moderation/rti/{replied.pk}/documents/{document.pk}/publish/",
        {"redacted": SimpleUploadedFile("redacted.pdf", redacted)},
    )
    document.refresh_from_db()
    assert document.is_published and document.redacted_file
    served = download(anonymous, replied, document)
    assert served.status_code == 200 and b"".join(served.streaming_content) == redacted
    assert served["Content-Disposition"].startswith("attachment")
    # Its text (the redacted copy's) finds the request, on the site and in the API.
    assert [r.pk for r in anonymous.get("/rti/?q=orbital register").context["rows"]] == [replied.pk]
    assert "12 Main Road" not in document.text
    item = anonymous.get(f"/api/v1/rti-requests/{replied.pk}/").json()
    # The original's name was the applicant's doing: a redacted copy's is neutral.
    public_name = f"rti-{replied.pk}-document-{document.pk}"
    assert [(d["name"], d["redacted"], d["event"]) for d in item["documents"]] == [
        (public_name, True, "reply_received")
    ]
    assert f'filename="{public_name}.pdf"' in served["Content-Disposition"]
    found = anonymous.get("/api/v1/rti-requests/?q=Hazratganj").json()["results"]
    assert [r["id"] for r in found] == [replied.pk]
    page = anonymous.get(f"/rti/{replied.pk}/", follow=True).content.decode()
    assert public_name in page and "redacted copy" in page
    assert "reply-with-my-address" not in page

    signed_in(moderator).post(f"/moderation/rti/{replied.pk}/documents/{document.pk}/unpublish/")
    assert download(anonymous, replied, document).status_code == 404
    assert not anonymous.get("/rti/?q=orbital").context["rows"]


def test_only_moderators_publish(replied, volunteer, other_volunteer):
    document = RTIDocument.objects.get()
    for person in (volunteer, other_volunteer):
        client = signed_in(person)
        assert client.get(f"/moderation/rti/{replied.pk}/documents/").status_code == 403
        publish = f"/moderation/rti/{replied.pk}/documents/{document.pk}/publish/"
        assert client.post(publish).status_code == 403
    assert download(signed_in(other_volunteer), replied, document).status_code == 404
    assert not RTIDocument.objects.get().is_published


def test_a_redacted_copy_must_be_a_pdf_or_an_image(replied, moderator):
    document = RTIDocument.objects.get()
    page = signed_in(moderator).post(
        f"/moderation/rti/{replied.pk}/documents/{document.pk}/publish/",
        {"redacted": SimpleUploadedFile("redacted.pdf", b"<html>not a pdf</html>")},
        follow=True,
    )
    assert "is not a PDF, PNG or JPEG file" in page.content.decode()
    assert not RTIDocument.objects.get().is_published


def test_text_extraction_is_bounded_and_forgiving(tmp_path):
    from tracker.rti.documents import pdf_text

    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nthis is not really a pdf")
    assert pdf_text(broken) == ""
    real = tmp_path / "real.pdf"
    real.write_bytes(pdf_saying("A phrase from the reply"))
    assert "A phrase from the reply" in pdf_text(real)
