"""Events from the site and the API: the request's owner proposes (a submission in the
queue, shown as proposed in the timeline), a moderator records at once; bad input is a
form or JSON error naming the field, and nothing is stored."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from moderation.models import EntityType, Submission, SubmissionStatus
from tests.factories import AgencyFactory, RTIRequestFactory
from tests.support.pages import decision_post
from tests.support.people import signed_in
from tracker.models import RTIDocument, RTIEvent, RTIRequest

pytestmark = pytest.mark.django_db
D = date.fromisoformat
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def owned(volunteer):
    """A published request the volunteer filed online on 2024-01-10."""
    return RTIRequestFactory(
        title="Cameras at the 200 hotspots",
        authority=AgencyFactory(name="Lucknow Police"),
        owner=volunteer,
        route="online",
        filed_on=D("2024-01-10"),
    )


def reply_form(**extra):
    return {
        "kind": "reply_received",
        "date": "2024-02-01",
        "outcome": "refused",
        "exemption_sections": "8(1)(g)",
        "note": "Refused as a security matter.",
        **extra,
    }


def test_the_owner_proposes_a_reply_and_a_moderator_accepts_it(owned, volunteer, moderator):
    page = signed_in(volunteer).post(
        f"/rti/{owned.pk}/events/new/",
        {**reply_form(), "documents": SimpleUploadedFile("reply.pdf", PDF)},
    )
    assert page.status_code == 302
    event = RTIEvent.proposals.get()
    submission = Submission.objects.get(entity_type=EntityType.RTI_EVENT)
    assert (submission.status, submission.target_id) == (SubmissionStatus.PENDING, event.pk)
    assert "Reply received: Cameras at the 200 hotspots" == submission.title
    # Counted by nothing yet: the request still waits for its reply.
    assert RTIRequest.objects.get(pk=owned.pk).recorded_status == "filed"
    owner_page = signed_in(volunteer).get(f"/rti/{owned.pk}/", follow=True).content.decode()
    assert "proposed, waiting for review" in owner_page
    public_page = signed_in(None).get(f"/rti/{owned.pk}/", follow=True).content.decode()
    assert "proposed, waiting for review" not in public_page
    assert "Refused as a security matter" not in public_page

    review = signed_in(moderator).get(f"/moderation/submissions/{submission.pk}/")
    assert "reply.pdf" in review.content.decode()
    signed_in(moderator).post(
        f"/moderation/submissions/{submission.pk}/", decision_post(submission, "approve")
    )
    accepted = RTIRequest.objects.get(pk=owned.pk)
    assert (accepted.status, accepted.outcome, accepted.exemption_sections) == (
        "refused",
        "refused",
        "8(1)(g)",
    )
    assert RTIEvent.objects.get().pk == event.pk
    document = RTIDocument.objects.get()
    assert document.event_id == event.pk and not document.is_published
    assert "reply.pdf" not in signed_in(None).get(f"/rti/{owned.pk}/", follow=True).content.decode()


def test_a_moderator_records_at_once(owned, moderator):
    response = signed_in(moderator).post(f"/rti/{owned.pk}/events/new/", reply_form())
    assert response.status_code == 302
    assert not Submission.objects.exists()
    assert RTIRequest.objects.get(pk=owned.pk).status == "refused"


def test_only_the_owner_or_a_moderator_records(owned, other_volunteer):
    assert signed_in(other_volunteer).get(f"/rti/{owned.pk}/events/new/").status_code == 403
    anonymous = signed_in(None).get(f"/rti/{owned.pk}/events/new/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_rejecting_a_proposed_event_drops_it_and_its_documents(owned, volunteer, moderator):
    signed_in(volunteer).post(
        f"/rti/{owned.pk}/events/new/",
        {**reply_form(), "documents": SimpleUploadedFile("reply.pdf", PDF)},
    )
    submission = Submission.objects.get()
    signed_in(moderator).post(
        f"/moderation/submissions/{submission.pk}/",
        decision_post(submission, "reject", "This reply belongs to another request."),
    )
    assert not RTIEvent.every.exists() and not RTIDocument.objects.exists()


@pytest.mark.parametrize(
    "existing,posted,field",
    [
        # An event before the request's receipt (received 2024-01-15, by post).
        ([], {"kind": "fee_requested", "date": "2024-01-12"}, "date"),
        # A reply before filing.
        ([], reply_form(date="2024-01-05"), "date"),
        # A fee paid before it was asked for.
        ([], {"kind": "fee_paid", "date": "2024-01-20", "amount": "10"}, "date"),
        # An appeal decided but never filed.
        ([], {"kind": "first_appeal_decided", "date": "2024-03-01"}, "date"),
        # A second reply that contradicts the first.
        (
            [("reply_received", "2024-02-01", "granted")],
            reply_form(date="2024-02-05", outcome="refused"),
            "outcome",
        ),
        # A reply with no outcome.
        ([], reply_form(outcome=""), "outcome"),
        # A date in the future.
        ([], reply_form(date="2999-01-01"), "date"),
    ],
)
def test_bad_events_are_refused_naming_the_field(volunteer, moderator, existing, posted, field):
    from tracker.rti.lifecycle import rti_event_record

    rti = RTIRequestFactory(
        owner=volunteer, route="post", filed_on=D("2024-01-10"), received_on=D("2024-01-15")
    )
    for kind, day, outcome in existing:
        rti_event_record(rti_request=rti, kind=kind, day=D(day), outcome=outcome)
    before = list(RTIEvent.every.values_list("pk", flat=True))
    for person in (volunteer, moderator):
        page = signed_in(person).post(f"/rti/{rti.pk}/events/new/", posted)
        assert page.status_code == 200
        assert field in page.context["form"].errors, page.context["form"].errors
    token = Token.objects.create(user=volunteer)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    answer = api.post(f"/api/v1/rti-requests/{rti.pk}/events/", posted, format="json")
    assert answer.status_code == 400 and field in answer.json()
    assert list(RTIEvent.every.values_list("pk", flat=True)) == before
    assert not Submission.objects.exists()


def test_withdrawing_a_proposed_event_drops_it_and_says_it_cannot_be_undone(owned, volunteer):
    owner = signed_in(volunteer)
    owner.post(
        f"/rti/{owned.pk}/events/new/",
        {**reply_form(), "documents": SimpleUploadedFile("reply.pdf", PDF)},
    )
    submission = Submission.objects.get()
    withdraw = reverse("moderation:my-submission-withdraw", args=[submission.pk])
    assert "This cannot be undone" in owner.get(withdraw).content.decode()
    done = owner.post(withdraw, follow=True).content.decode()
    assert "its event deleted with its documents" in done
    assert not RTIEvent.every.exists() and not RTIDocument.objects.exists()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.WITHDRAWN
    assert submission.withdrawal_undo_until() is None
    owner.post(reverse("moderation:my-submission-withdraw-undo", args=[submission.pk]))
    assert Submission.objects.get().status == SubmissionStatus.WITHDRAWN


def test_the_api_proposes_for_the_owner_and_records_for_a_moderator(owned, volunteer, moderator):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=volunteer).key}")
    proposed = api.post(
        f"/api/v1/rti-requests/{owned.pk}/events/",
        {
            "payload": '{"kind": "fee_requested", "date": "2024-01-20", "amount": "40"}',
            "documents": SimpleUploadedFile("fee-letter.pdf", PDF),
        },
        format="multipart",
    )
    assert proposed.status_code == 202, proposed.content
    assert proposed.json()["entity_type"] == "rti_event"
    assert RTIEvent.proposals.get().documents.get().original_name == "fee-letter.pdf"

    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=moderator).key}")
    recorded = api.post(
        f"/api/v1/rti-requests/{owned.pk}/events/",
        {"kind": "reply_received", "date": "2024-02-01", "outcome": "granted"},
        format="json",
    )
    assert recorded.status_code == 201 and recorded.json()["proposed"] is False
    assert RTIRequest.objects.get(pk=owned.pk).status == "granted"
    unauthenticated = APIClient().post(f"/api/v1/rti-requests/{owned.pk}/events/", {})
    assert unauthenticated.status_code == 401


def test_approving_a_request_makes_its_volunteer_the_owner(volunteer, moderator):
    """The approved request's volunteer may record what happens next."""
    police = AgencyFactory(name="Owner Police")
    signed_in(volunteer).post(
        "/submit/rti_request/",
        {
            "action": "submit",
            "title": "Where are the cameras?",
            "authority": police.pk,
            "filed_on": "2024-01-10",
            "route": "online",
            "application_text": "1. Where are the cameras?",
        },
    )
    submission = Submission.objects.get()
    signed_in(moderator).post(
        f"/moderation/submissions/{submission.pk}/", decision_post(submission, "approve")
    )
    rti = RTIRequest.objects.get()
    assert rti.owner == volunteer
    # Complete at once: its deadlines are there without any job having run.
    assert rti.decision_due_on == D("2024-02-09") and rti.status == "deemed_refused"
