"""A researcher registers a hook with a token; publishing, then changes, reach a real
receiver on 127.0.0.1 through a real Celery worker: accepted, then failed (retried later),
then hung (cut at the deadline). The owner reads it all in the delivery log."""

import json
import time

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.factories import DeploymentFactory
from tests.support import wait_for
from tests.support.people import person, signed_in
from tracker.models import Publication, WebhookDelivery
from tracker.publication import entity_publish
from tracker.webhooks.signing import signature_valid


@pytest.mark.celery_worker
def test_changes_reach_the_receiver_signed_and_the_log_shows_each_try(
    celery_worker_process, receiver, settings
):
    researcher = person("researcher", "A researcher")
    api = Client()
    api.defaults["HTTP_AUTHORIZATION"] = "Token " + Token.objects.create(user=researcher).key
    made = api.post(
        "/api/v1/webhooks/",
        json.dumps({"url": receiver.url, "events": ["published", "changed"]}),
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    hook, secret = made.json()["id"], made.json()["secret"]
    celery_worker_process(
        env={
            "FETCH_ALLOW_HOSTS": "127.0.0.1",
            "FETCH_ALLOWED_PORTS": f"80,443,{receiver.port}",
            "WEBHOOK_TIMEOUT": "1.5",
            "WEBHOOK_RETRY_SECONDS": "600",  # retries stay in the log, not in this test
        }
    )
    receiver.plan = ["accept", "fail", "hang"]

    deployment = DeploymentFactory(title="Cameras at the station", publication=Publication.DRAFT)
    published_at = time.monotonic()
    entity_publish(entity=deployment, reason="Approved")
    wait_for(lambda: len(receiver.requests) == 1, timeout=60)
    assert time.monotonic() - published_at < 60  # "within a minute of a change"
    headers, body = receiver.requests[0]
    assert signature_valid(secret, headers["X-Panoptic-Signature"], body, now=int(time.time()))
    assert json.loads(body)["kind"] == "published"

    def delivered_states():
        return list(WebhookDelivery.objects.order_by("id").values_list("state", "attempts"))

    wait_for(lambda: delivered_states() == [("delivered", 1)], timeout=30)

    deployment.camera_count = 12
    entity_publish(entity=deployment, reason="Correction")
    wait_for(lambda: delivered_states()[-1] == ("pending", 1), timeout=60)  # failed, retrying

    deployment.camera_count = 14
    started = time.monotonic()
    entity_publish(entity=deployment, reason="Another correction")
    wait_for(lambda: len(delivered_states()) == 3 and delivered_states()[-1][1] == 1, timeout=60)
    assert time.monotonic() - started < 30  # the hung receiver was cut at the deadline

    log = api.get(f"/api/v1/webhooks/{hook}/deliveries/").json()
    assert [(d["kind"], d["state"]) for d in log] == [
        ("changed", "pending"),
        ("changed", "pending"),
        ("published", "delivered"),
    ]
    assert log[1]["tries"][0]["http_status"] == 500
    assert log[0]["tries"][0]["http_status"] is None and log[0]["tries"][0]["error"]
    assert log[0]["next_attempt_at"]

    page = signed_in(researcher).get(f"/accounts/profile/webhooks/{hook}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "HTTP 500" in text and "HTTP 204" in text and receiver.url in text
    profile = signed_in(researcher).get("/accounts/profile/").content.decode()
    assert receiver.url in profile
