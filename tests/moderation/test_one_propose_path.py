"""The site's form and the API send proposals through one service: the same refusal gives
the same message through both doors, and nothing is stored."""

import json

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from moderation.models import Submission, SubmissionStatus
from tests.factories import DeploymentFactory
from tests.support.pages import deployment_post
from tests.support.people import signed_in
from tracker.publication import entity_withdraw

pytestmark = pytest.mark.django_db
API = "/api/v1/submissions/"


def form_errors(response):
    form = response.context["form"]
    return [message for messages in form.errors.values() for message in messages]


def api_post(volunteer, body):
    token = Token.objects.get_or_create(user=volunteer)[0].key
    client = signed_in(None)
    return client.post(
        API, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}"
    )


def correction_post(deployment):
    """The correction form's POST exactly as it opens: the published values, unchanged."""
    return deployment_post(
        agency=deployment.lead_agency,
        title=deployment.title,
        technology=deployment.technology,
        purpose_class=deployment.purpose_class,
        status=deployment.status,
        state=deployment.state_id,
        city=deployment.city,
        district=deployment.district,
        latitude=str(deployment.location.y),
        longitude=str(deployment.location.x),
        location_precision=deployment.location_precision,
        camera_count=str(deployment.camera_count or ""),
        summary=deployment.summary,
        why="The published figure is out of date.",
    )


def as_api_body(post, *, target_id=None):
    fields = {
        name: value
        for name, value in post.items()
        if not name.startswith("source_") and name not in ("action", "fax_number")
    }
    body = {
        "entity_type": "deployment",
        "fields": fields,
        "sources": [{"url": post["source_url_1"], "title": post["source_title_1"]}],
    }
    if target_id is not None:
        body["target_id"] = target_id
    return body


def test_a_correction_that_changes_nothing(volunteer):
    deployment = DeploymentFactory(title="Metro cameras", camera_count=10)
    post = correction_post(deployment)
    site = signed_in(volunteer).post(
        reverse("moderation:submit-correction", args=["deployment", deployment.pk]), post
    )
    api = api_post(volunteer, as_api_body(post, target_id=deployment.pk))
    assert api.status_code == 400
    assert api.json() == {"fields": form_errors(site)}
    assert form_errors(site) == ["Nothing is changed yet: edit the values that are wrong."]
    assert Submission.objects.count() == 0


def test_a_correction_of_an_entry_withdrawn_since(volunteer, moderator):
    deployment = DeploymentFactory(title="Soon withdrawn")
    post = {**correction_post(deployment), "title": "Corrected", "action": "draft"}
    signed_in(volunteer).post(
        reverse("moderation:submit-correction", args=["deployment", deployment.pk]), post
    )
    draft = Submission.objects.get()
    entity_withdraw(entity=deployment, reason="Duplicate entry", actor=moderator)
    site = signed_in(volunteer).post(
        reverse("moderation:my-submission-edit", args=[draft.pk]), {**post, "action": "submit"}
    )
    api = api_post(volunteer, as_api_body(post, target_id=deployment.pk))
    assert api.status_code == 400
    assert api.json() == {"target_id": form_errors(site)}
    assert "withdrawn meanwhile" in form_errors(site)[0]
    draft.refresh_from_db()
    assert draft.status == SubmissionStatus.DRAFT and Submission.objects.count() == 1


def test_too_many_submissions(volunteer, settings):
    settings.SUBMISSION_RATE_ACCOUNT = "1/3600"
    post = deployment_post()
    assert api_post(volunteer, as_api_body(post)).status_code == 201
    site = signed_in(volunteer).post(reverse("moderation:submit-new", args=["deployment"]), post)
    api = api_post(volunteer, as_api_body(post))
    assert api.status_code == 429
    assert [api.json()["detail"]] == form_errors(site)
    assert "many submissions recently" in form_errors(site)[0]
    assert Submission.objects.count() == 1


def test_every_attempt_counts_against_the_rate_valid_or_not(volunteer, settings):
    """The rate is checked before the form, through both doors alike."""
    settings.SUBMISSION_RATE_ACCOUNT = "2/3600"
    invalid = deployment_post(latitude="91")
    site = signed_in(volunteer).post(reverse("moderation:submit-new", args=["deployment"]), invalid)
    assert "latitude" in site.context["form"].errors
    assert api_post(volunteer, as_api_body(invalid)).status_code == 400
    assert api_post(volunteer, as_api_body(deployment_post())).status_code == 429
    assert Submission.objects.count() == 0
