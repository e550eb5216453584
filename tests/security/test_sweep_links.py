"""Links that are not quite URLs (a port above 65535, an unclosed IPv6 literal) pass
Django's URLValidator or break urlsplit: each input that takes one answers a clear
error, never a 500."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from moderation.models import Submission
from tests.factories import DeploymentFactory
from tests.support.pages import api_submit, deployment_body, token_client
from tracker.models import Dispute

pytestmark = pytest.mark.django_db
BAD_PORT = "https://news.example.org:99999/story"
BAD_IPV6 = "http://[::1/story"


@pytest.mark.parametrize("url", [BAD_PORT, BAD_IPV6])
def test_a_proposed_source_that_is_not_quite_a_url_is_a_400(volunteer, url):
    body = deployment_body()
    body["sources"] = [{"url": url, "title": "A story"}]
    response = api_submit(token_client(volunteer), body)
    assert response.status_code == 400, response.content
    assert response.json() == {"sources": {"0": ["Enter a valid URL."]}}
    assert not Submission.objects.exists()


def test_evidence_pointing_at_a_url_with_a_bad_port_is_a_400(volunteer):
    body = deployment_body()
    body["evidence"] = [{"claim": "technology", "source_url": BAD_PORT}]
    response = api_submit(token_client(volunteer), body)
    assert response.status_code == 400, response.content
    assert "evidence" in json.dumps(response.json())
    assert not Submission.objects.exists()


@pytest.mark.parametrize("url", [BAD_IPV6, "http://[zz]/hook", "http://127.0.0.1:99999/hook"])
def test_a_webhook_url_that_is_not_quite_a_url_is_a_400(volunteer, url):
    api = Client(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=volunteer).key)
    body = json.dumps({"url": url, "events": ["published"]})
    response = api.post("/api/v1/webhooks/", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert "url" in response.json()


def test_oembed_of_a_url_that_is_not_quite_a_url_is_a_404(client):
    response = client.get("/oembed/", {"url": BAD_IPV6})
    assert response.status_code == 404
    assert response.json()["error"].startswith("url")


def test_an_anonymous_dispute_citing_a_url_with_a_bad_port_is_a_form_error(client):
    deployment = DeploymentFactory()
    response = client.post(
        reverse("moderation:dispute-new", args=["deployment", deployment.pk]),
        {"claim": "", "reason": "Wrong", "source_url": BAD_PORT, "fax_number": ""},
    )
    assert response.status_code in (200, 400)
    assert "Enter a valid URL." in response.content.decode()
    assert not Dispute.objects.exists()
