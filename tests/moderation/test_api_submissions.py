"""POST /api/v1/submissions/: the same validation as the forms, JSON errors naming the field."""

import json

import pytest

from moderation.models import Submission, SubmissionStatus
from tests.factories import DeploymentFactory
from tests.support.pages import SUBMISSIONS_API_URL, api_submit, deployment_body, token_client
from tracker.publication import entity_withdraw

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(volunteer):
    return token_client(volunteer)


def test_a_valid_proposal_is_queued_and_listed_for_its_author(api, other_volunteer):
    response = api_submit(api, deployment_body())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and body["data"]["location"] == [73.85, 18.52]
    Submission.objects.create(volunteer=other_volunteer, kind="new", entity_type="agency")
    listed = api.get(SUBMISSIONS_API_URL).json()
    assert [s["id"] for s in listed] == [body["id"]]
    assert "cookie" not in {k.lower() for k in response.headers}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: b.update(sources=[]), "sources"),
        (lambda b: b["fields"].update(latitude=91), "latitude"),
        (lambda b: b["fields"].update(longitude="east"), "longitude"),
        (lambda b: b["fields"].update(technology="mind_reading"), "technology"),
        (lambda b: b.update(entity_type="spaceship"), "entity_type"),
        (lambda b: b.update(sources=[{"url": "ftp://example.org/x"}]), "sources"),
        (lambda b: b["fields"].update(fax_number="bot"), "fax_number"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_nothing_is_stored(api, change, field):
    body = deployment_body()
    change(body)
    response = api_submit(api, body)
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert Submission.objects.count() == 0


def test_repeated_errors_say_which_source_is_wrong(api):
    body = deployment_body()
    body["sources"] = [
        {"url": "https://news.example.org/fine"},
        {"url": "not a link"},
        {"url": "ftp://example.org/also-bad"},
    ]
    response = api_submit(api, body)
    assert response.status_code == 400
    assert response.json() == {
        "sources": {"1": ["Enter a valid URL."], "2": ["Enter a valid URL."]}
    }


def test_envelope_errors_of_a_source_carry_its_index(api):
    body = deployment_body()
    body["sources"] = [{"url": "https://news.example.org/fine"}, {"title": "no url"}]
    response = api_submit(api, body)
    assert response.status_code == 400
    assert response.json() == {"sources": {"1": {"url": ["This field is required."]}}}


def test_a_correction_to_a_withdrawn_entry_is_refused(api, moderator):
    deployment = DeploymentFactory(title="Gone")
    entity_withdraw(entity=deployment, reason="Duplicate", actor=moderator)
    body = {
        "entity_type": "deployment",
        "target_id": deployment.pk,
        "fields": {"title": "Still gone"},
        "sources": [{"url": "https://news.example.org/a"}],
    }
    response = api_submit(api, body)
    assert response.status_code == 400 and "target_id" in response.json()
    assert Submission.objects.count() == 0


def test_a_correction_keeps_only_what_changed(api):
    deployment = DeploymentFactory(title="Metro cameras", camera_count=10)
    form_fields = {
        "title": "Metro cameras",
        "lead_agency": deployment.lead_agency_id,
        "technology": deployment.technology,
        "purpose_class": deployment.purpose_class,
        "status": deployment.status,
        "state": "IN-UP",
        "city": "Lucknow",
        "latitude": deployment.location.y,
        "longitude": deployment.location.x,
        "location_precision": deployment.location_precision,
        "camera_count": 30,
        "why": "The city's press release says 30.",
    }
    body = {
        "entity_type": "deployment",
        "target_id": deployment.pk,
        "fields": form_fields,
        "sources": [{"url": "https://news.example.org/metro"}],
    }
    response = api_submit(api, body)
    assert response.status_code == 201, response.content
    assert response.json()["data"] == {"camera_count": 30}
    assert response.json()["why"] == "The city's press release says 30."
    assert response.json()["title"] == "Correction: Metro cameras"


def test_drafts_can_be_saved(api):
    response = api_submit(api, {**deployment_body(), "draft": True})
    assert response.status_code == 201
    assert Submission.objects.get().status == SubmissionStatus.DRAFT


def test_the_api_is_throttled_per_account(api, settings):
    settings.SUBMISSION_RATE_ACCOUNT = "1/3600"
    assert api_submit(api, deployment_body()).status_code == 201
    assert api_submit(api, deployment_body(title="Second")).status_code == 429
    assert Submission.objects.count() == 1


def test_attachments_travel_in_a_multipart_body(api, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("reply.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    response = api.post(
        SUBMISSIONS_API_URL, {"payload": json.dumps(deployment_body()), "attachments": [pdf]}
    )
    assert response.status_code == 201, response.content
    stored = Submission.objects.get().attachments.get()
    assert stored.content_type == "application/pdf"
    # The answer lists what was stored.
    assert response.json()["attachments"] == [
        {"id": stored.pk, "name": "reply.pdf", "content_type": "application/pdf", "size": 15}
    ]
    fake = SimpleUploadedFile("reply.pdf", b"<html></html>", "application/pdf")
    response = api.post(
        SUBMISSIONS_API_URL, {"payload": json.dumps(deployment_body()), "attachments": [fake]}
    )
    assert response.status_code == 400 and "attachments" in response.json()
    response = api.post(SUBMISSIONS_API_URL, {"payload": "{not json"})
    assert response.status_code == 400 and "payload" in response.json()
    assert Submission.objects.count() == 1
