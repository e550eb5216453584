"""Sending the same thing twice, something another volunteer already sent, and taking a
submission back: refused with a link, warned before sending, asked and undoable."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from moderation.duplicates import likely_same
from moderation.models import Submission, SubmissionStatus
from tests.factories import AgencyFactory
from tests.support.pages import NEW_DEPLOYMENT_URL, deployment_post
from tests.support.people import signed_in

pytestmark = pytest.mark.django_db
API = "/api/v1/submissions/"


def api_post(user, body):
    token = Token.objects.get_or_create(user=user)[0].key
    return signed_in(None).post(
        API, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}"
    )


def api_body(post, **extra):
    fields = {k: v for k, v in post.items() if not k.startswith("source_") and k not in ("action",)}
    return {
        "entity_type": "deployment",
        "fields": fields,
        "sources": [{"url": post["source_url_1"], "title": post["source_title_1"]}],
        **extra,
    }


# ---------------------------------------------------------------- the same volunteer, twice


def test_sending_the_same_proposal_again_is_refused_with_a_link_to_the_first(volunteer):
    client = signed_in(volunteer)
    post = deployment_post()
    client.post(NEW_DEPLOYMENT_URL, post)
    first = Submission.objects.get()
    again = client.post(NEW_DEPLOYMENT_URL, post)
    page = again.content.decode()
    assert again.status_code == 200 and Submission.objects.count() == 1
    assert "You have sent exactly this already" in page
    assert reverse("moderation:my-submission", args=[first.pk]) in page
    # Through the API too: a 409 naming the first.
    response = api_post(volunteer, api_body(post))
    assert response.status_code == 409
    assert response.json()["duplicate_of"] == first.pk
    assert Submission.objects.count() == 1


def test_a_changed_proposal_or_a_decided_first_one_is_not_a_repeat(volunteer):
    client = signed_in(volunteer)
    post = deployment_post()
    client.post(NEW_DEPLOYMENT_URL, post)
    client.post(NEW_DEPLOYMENT_URL, {**post, "camera_count": "41"})
    assert Submission.objects.count() == 2
    Submission.objects.update(status=SubmissionStatus.REJECTED)
    client.post(NEW_DEPLOYMENT_URL, post)
    assert Submission.objects.count() == 3


# ---------------------------------------------------------------- another volunteer's


def test_a_likely_duplicate_of_another_volunteers_pending_submission_warns_first(
    volunteer, other_volunteer
):
    agency = AgencyFactory(name="Lucknow Police")
    signed_in(other_volunteer).post(
        NEW_DEPLOYMENT_URL, deployment_post(agency=agency, title="Charbagh station FRT")
    )
    client = signed_in(volunteer)
    # Same agency, technology and city; a different title and a point 3 km away.
    post = deployment_post(agency=agency, title="Lucknow railway station cameras", latitude="26.80")
    warned = client.post(NEW_DEPLOYMENT_URL, post)
    page = warned.content.decode()
    assert Submission.objects.count() == 1
    assert "Is this already on its way?" in page and "“Charbagh station FRT”" in page
    assert 'value="submit_anyway"' in page
    assert "data-focus-on-load" in page
    sent = client.post(NEW_DEPLOYMENT_URL, {**post, "action": "submit_anyway"})
    assert sent.status_code == 302 and Submission.objects.count() == 2


def test_the_api_answers_a_likely_duplicate_with_409_until_confirmed(volunteer, other_volunteer):
    agency = AgencyFactory(name="Lucknow Police")
    signed_in(other_volunteer).post(NEW_DEPLOYMENT_URL, deployment_post(agency=agency))
    post = deployment_post(agency=agency, title="Another title, same place")
    response = api_post(volunteer, api_body(post))
    assert response.status_code == 409
    assert response.json()["likely_duplicates"][0]["title"] == "Lucknow station face recognition"
    response = api_post(volunteer, api_body(post, confirm_likely_duplicate=True))
    assert response.status_code == 201
    assert Submission.objects.count() == 2


def test_moderators_see_the_other_pending_submission(volunteer, other_volunteer, moderator):
    agency = AgencyFactory(name="Lucknow Police")
    signed_in(other_volunteer).post(NEW_DEPLOYMENT_URL, deployment_post(agency=agency))
    signed_in(volunteer).post(
        NEW_DEPLOYMENT_URL,
        {**deployment_post(agency=agency, title="Second"), "action": "submit_anyway"},
    )
    second = Submission.objects.get(entry_name="Second")
    page = signed_in(moderator).get(reverse("moderation:review", args=[second.pk]))
    assert "Another pending submission may be the same" in page.content.decode()


@pytest.mark.parametrize(
    ("kind", "a", "b", "same"),
    [
        ("deployment", {"title": "Safe City"}, {"title": "safe  city."}, True),
        (
            "deployment",
            {"lead_agency": 1, "technology": "facial_recognition", "city": "Pune"},
            {"lead_agency": 1, "technology": "facial_recognition", "city": "pune"},
            True,
        ),
        (
            "deployment",
            {"lead_agency": 1, "technology": "facial_recognition", "city": "Pune"},
            {"lead_agency": 1, "technology": "plate_recognition", "city": "Pune"},
            False,
        ),
        ("deployment", {"location": [80.0, 26.0]}, {"location": [80.004, 26.0]}, True),
        ("deployment", {"location": [80.0, 26.0]}, {"location": [80.01, 26.0]}, False),
        ("agency", {"name": "U.P. Police"}, {"name": "x", "aliases": ["UP police"]}, True),
        ("agency", {"name": "UP Police"}, {"name": "Delhi Police"}, False),
        ("hotspot", {"name": "Hazratganj", "city": "Lucknow"}, {"name": "hazratganj"}, False),
        (
            "rti_request",
            {"authority": 4, "reference_number": "A/1"},
            {"authority": 4, "reference_number": "a/1"},
            True,
        ),
        ("rti_request", {"authority": 4, "title": "T"}, {"authority": 5, "title": "T"}, False),
    ],
)
def test_likely_same(kind, a, b, same):
    assert likely_same(kind, a, b) is same
    assert likely_same(kind, b, a) is same


# ---------------------------------------------------------------- withdrawal


def test_withdrawing_asks_first_then_can_be_undone(volunteer):
    client = signed_in(volunteer)
    client.post(NEW_DEPLOYMENT_URL, deployment_post())
    submission = Submission.objects.get()
    url = reverse("moderation:my-submission-withdraw", args=[submission.pk])
    question = client.get(url)
    assert question.status_code == 200
    assert "Withdraw “Lucknow station face recognition”?" in question.content.decode()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PENDING  # asking changes nothing
    listed = client.post(url, follow=True).content.decode()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.WITHDRAWN
    undo = reverse("moderation:my-submission-withdraw-undo", args=[submission.pk])
    assert undo in listed and "You can undo this for 5 minutes" in listed
    client.post(undo)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PENDING
    assert submission.withdrawn_at is None


def test_a_withdrawal_cannot_be_undone_after_five_minutes(volunteer, other_volunteer):
    client = signed_in(volunteer)
    client.post(NEW_DEPLOYMENT_URL, deployment_post())
    submission = Submission.objects.get()
    client.post(reverse("moderation:my-submission-withdraw", args=[submission.pk]))
    undo = reverse("moderation:my-submission-withdraw-undo", args=[submission.pk])
    # Nobody else can undo it.
    signed_in(other_volunteer).post(undo)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.WITHDRAWN
    Submission.objects.update(withdrawn_at=timezone.now() - timedelta(minutes=5, seconds=1))
    page = client.get(reverse("moderation:my-submissions")).content.decode()
    assert undo not in page
    response = client.post(undo, follow=True)
    assert "can no longer be undone" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.WITHDRAWN
