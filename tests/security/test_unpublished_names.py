"""Finding 4: a volunteer's view of a correction never names an unpublished agency."""

import json

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from moderation.models import Submission
from tests.factories import AgencyFactory, DeploymentFactory
from tests.support.people import signed_in
from tracker.models import Publication

pytestmark = pytest.mark.django_db


def test_a_draft_agency_is_not_named_in_a_volunteers_correction(volunteer, moderator):
    hidden = AgencyFactory(name="Secret Task Force", publication=Publication.DRAFT)
    public = AgencyFactory(name="Pune Police")
    deployment = DeploymentFactory(title="Metro cameras", lead_agency=hidden)
    api = Client(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=volunteer).key)
    body = {
        "entity_type": "deployment",
        "target_id": deployment.pk,
        "fields": {
            "title": "Metro cameras",
            "lead_agency": public.pk,
            "technology": deployment.technology,
            "purpose_class": deployment.purpose_class,
            "status": deployment.status,
            "state": deployment.state_id,
            "city": deployment.city,
            "latitude": deployment.location.y,
            "longitude": deployment.location.x,
            "location_precision": deployment.location_precision,
            "why": "The metro's operator names this agency.",
        },
        "sources": [{"url": "https://news.example.org/metro"}],
    }
    response = api.post("/api/v1/submissions/", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    assert "Secret Task Force" not in response.content.decode()
    submission = Submission.objects.get()

    page = signed_in(volunteer).get(f"/submissions/{submission.pk}/").content.decode()
    assert "Pune Police" in page
    assert "Secret Task Force" not in page
    # Moderators, who may see drafts, still read the name.
    review = signed_in(moderator).get(f"/moderation/submissions/{submission.pk}/")
    assert "Secret Task Force" in review.content.decode()
