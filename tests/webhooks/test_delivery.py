"""Deliveries to a real receiver on 127.0.0.1 that accepts, fails, hangs or floods: signed,
cut at the deadline and the size cap, retried with backoff, and a hook that fails 20 times
in a row disabled with one e-mail to its owner."""

import json
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import DeploymentFactory, UserFactory
from tracker.models import DeliveryState, Publication, Webhook, WebhookDelivery
from tracker.publication import entity_publish
from tracker.webhooks import delivery as service
from tracker.webhooks.signing import signature_valid

pytestmark = pytest.mark.django_db
SECRET = "receiver's shared secret"


@pytest.fixture
def hook(receiver):
    owner = UserFactory(username="newsroom", email="desk@newsroom.example.org")
    return Webhook.objects.create(
        owner=owner, url=receiver.url, secret=SECRET, events=["published", "changed"]
    )


def a_delivery():
    """Publish a draft: one event, one delivery to the hook."""
    entity_publish(entity=DeploymentFactory(title="Cameras", publication=Publication.DRAFT))
    return WebhookDelivery.objects.order_by("-id").first()


def deliver(delivery):
    """One try now, as the task would make it."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    outcome = service.webhook_deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    return outcome


def test_an_accepted_delivery_is_signed_and_logged(receiver, hook):
    delivery = a_delivery()
    assert deliver(delivery) == "delivered"
    [(headers, body)] = receiver.requests
    assert headers["X-Panoptic-Event"] == "published"
    assert headers["Content-Type"] == "application/json"
    assert signature_valid(SECRET, headers["X-Panoptic-Signature"], body, now=int(time.time()))
    event = json.loads(body)
    assert event["id"] == headers["X-Panoptic-Delivery"] == str(delivery.event.uuid)
    assert event["entity"]["title"] == "Cameras"
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("delivered", 1, 204)
    [attempt] = delivery.tries.all()
    assert attempt.succeeded and attempt.http_status == 204
    assert deliver(delivery) == "not due"  # a repeated task sends nothing
    assert len(receiver.requests) == 1


def test_a_failure_is_retried_with_exponential_backoff_and_the_same_body(receiver, hook, settings):
    settings.WEBHOOK_RETRY_SECONDS = 30
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    receiver.plan = ["fail", "fail"]
    delivery = a_delivery()
    before = timezone.now()
    assert deliver(delivery) == "retrying"
    assert (delivery.state, delivery.last_status, delivery.last_error) == (
        "pending",
        500,
        "HTTP 500",
    )
    assert timedelta(seconds=29) < delivery.next_attempt_at - before < timedelta(seconds=40)
    assert deliver(delivery) == "retrying"
    assert timedelta(seconds=59) < delivery.next_attempt_at - timezone.now() < timedelta(seconds=61)
    assert deliver(delivery) == "delivered"
    bodies = [body for _, body in receiver.requests]
    assert len(bodies) == 3 and len(set(bodies)) == 1
    assert [t.http_status for t in delivery.tries.all()] == [500, 500, 204]
    hook.refresh_from_db()
    assert hook.consecutive_failures == 0


def test_retries_stop_after_the_last_attempt(receiver, hook, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    receiver.default = "fail"
    delivery = a_delivery()
    deliver(delivery)
    assert deliver(delivery) == "failed"
    assert (delivery.state, delivery.next_attempt_at) == ("failed", None)


def test_backoff_doubles(settings):
    settings.WEBHOOK_RETRY_SECONDS = 30
    assert [service.retry_delay(n).total_seconds() for n in range(1, 6)] == [30, 60, 120, 240, 480]


def test_a_receiver_that_hangs_is_cut_at_the_deadline(receiver, hook, settings):
    settings.WEBHOOK_TIMEOUT = 1.0
    receiver.plan = ["hang"]
    delivery = a_delivery()
    started = time.monotonic()
    assert deliver(delivery) == "retrying"
    assert time.monotonic() - started < 3
    [attempt] = delivery.tries.all()
    assert not attempt.succeeded and attempt.http_status is None
    assert "gave up after 1 s" in attempt.error or "no response" in attempt.error


def test_an_answer_of_5_gb_is_cut_at_the_cap_and_counts_as_failed(receiver, hook, settings):
    settings.WEBHOOK_MAX_RESPONSE_BYTES = 65536
    settings.WEBHOOK_TIMEOUT = 5.0
    receiver.plan = ["huge"]
    delivery = a_delivery()
    started = time.monotonic()
    assert deliver(delivery) == "retrying"
    assert time.monotonic() - started < 5
    assert delivery.last_error == "answer longer than 65536 bytes"
    receiver.stopped.set()
    assert receiver.sent_bytes < 50 * 1024 * 1024  # far from 5 GB: the client stopped reading


def test_a_private_address_is_refused_again_at_delivery(receiver, hook, settings):
    delivery = a_delivery()
    Webhook.objects.filter(pk=hook.pk).update(url="http://10.20.30.40/hook")
    settings.FETCH_ALLOWED_PORTS = [80, 443]
    assert deliver(delivery) == "retrying"
    assert "forbidden address" in delivery.last_error
    Webhook.objects.filter(pk=hook.pk).update(url=f"http://127.0.0.1:{receiver.port + 1}/")
    assert deliver(delivery) == "retrying"
    assert "not allowed" in delivery.last_error  # a port outside FETCH_ALLOWED_PORTS
    assert receiver.requests == []


def test_twenty_failures_in_a_row_disable_the_hook_and_mail_its_owner(
    receiver, hook, settings, mail_delivered
):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    receiver.default = "fail"
    for _ in range(19):
        deliver(a_delivery())
    hook.refresh_from_db()
    assert hook.is_active and hook.consecutive_failures == 19
    waiting, twentieth = a_delivery(), a_delivery()
    with mail_delivered() as outbox:
        deliver(twentieth)
    hook.refresh_from_db()
    assert not hook.is_active and hook.disabled_reason == "20 deliveries in a row failed"
    waiting.refresh_from_db()
    assert waiting.state == DeliveryState.CANCELLED
    [message] = outbox
    assert message.to == ["desk@newsroom.example.org"]
    assert "disabled" in message.subject
    assert f"/accounts/profile/webhooks/{hook.pk}/" in message.body
    assert deliver(waiting) == "not due"
    # Published changes no longer go to it, and it is mailed once only.
    a_delivery()
    assert not WebhookDelivery.objects.filter(webhook=hook, state="pending").exists()
    with mail_delivered() as outbox:
        service.webhook_disable_if_failing(webhook_id=hook.pk)
    assert outbox == [message]


def test_lost_deliveries_are_found_by_the_sweep(hook):
    delivery = a_delivery()
    now = timezone.now()
    assert service.deliveries_overdue(now=now) == []
    assert service.deliveries_overdue(now=now + timedelta(minutes=3)) == [delivery.pk]
