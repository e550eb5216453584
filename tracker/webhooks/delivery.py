"""Posting a delivery, retrying it, and giving up on a hook that keeps failing.

Each try goes through the guarded fetcher (``checking.fetch.post``): the hook's
URL is checked again at every try (scheme, port, and every address it resolves
to), the whole exchange ends within WEBHOOK_TIMEOUT, and at most
WEBHOOK_MAX_RESPONSE_BYTES of the answer are read. A 2xx answer delivers it;
anything else (another status, a timeout, a refused address, an answer past
the cap) is a failed try, retried after 30 s, 1 min, 2 min... (doubling, from
WEBHOOK_RETRY_SECONDS) up to WEBHOOK_MAX_ATTEMPTS tries. A hook whose tries fail
MAX_CONSECUTIVE_FAILURES times in a row is disabled and its owner e-mailed once.

A try is claimed with a conditional UPDATE (due, pending, not claimed by a
live try), so a task delivered twice, or the sweep re-sending a lost one, never
posts the same delivery twice at once.
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Prefetch, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ..checking import fetch
from ..checking.host_limit import SlotTimeout
from ..mail import mail_queue
from ..models import DeliveryState, Webhook, WebhookAttempt, WebhookDelivery, WebhookEvent
from .signing import HEADER, signature_header

MAX_CONSECUTIVE_FAILURES = 20
USER_AGENT = "PanopticTracker-Webhooks/1.0"
log = logging.getLogger("panoptic.webhooks")


def retry_delay(failed_tries: int) -> timedelta:
    """How long after the ``failed_tries``-th failed try the next one is made."""
    return timedelta(seconds=settings.WEBHOOK_RETRY_SECONDS * 2 ** max(failed_tries - 1, 0))


def _lease():
    return timedelta(seconds=settings.WEBHOOK_TIMEOUT + 30)


def delivery_claim(delivery_id: int, *, now) -> WebhookDelivery | None:
    """Take the delivery for one try if it is due and nobody else is trying it."""
    claimed = (
        WebhookDelivery.objects.filter(
            pk=delivery_id, state=DeliveryState.PENDING, next_attempt_at__lte=now
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + _lease())
    )
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("webhook", "event").get(pk=delivery_id)


def delivery_post(delivery: WebhookDelivery):
    """One POST of the event's body, signed now: (HTTP status or None, error text, ms)."""
    hook, body = delivery.webhook, delivery.event.body.encode()
    headers = {
        "User-Agent": USER_AGENT,
        "Content-Type": "application/json",
        "Accept": "*/*",
        "X-Panoptic-Event": delivery.event.kind,
        "X-Panoptic-Delivery": str(delivery.event.uuid),
        HEADER: signature_header(hook.secret, int(time.time()), body),
    }
    started = time.monotonic()
    try:
        result = fetch.post(
            hook.url,
            body,
            headers=headers,
            max_bytes=settings.WEBHOOK_MAX_RESPONSE_BYTES,
            total_timeout=settings.WEBHOOK_TIMEOUT,
        )
    except fetch.FetchError as error:  # FetchBlocked too: refused again at delivery
        return None, str(error)[:300], int((time.monotonic() - started) * 1000)
    if result.truncated:
        cap = settings.WEBHOOK_MAX_RESPONSE_BYTES
        return result.status, f"answer longer than {cap} bytes", result.duration_ms
    if not 200 <= result.status < 300:
        return result.status, f"HTTP {result.status}", result.duration_ms
    return result.status, "", result.duration_ms


def webhook_deliver(*, delivery_id: int) -> str:
    """Make one due try of a delivery and record it; returns what happened."""
    now = timezone.now()
    delivery = delivery_claim(delivery_id, now=now)
    if delivery is None:
        return "not due"
    if not delivery.webhook.is_active:
        _finish(delivery, state=DeliveryState.CANCELLED)
        return "cancelled"
    try:
        status, error, duration = delivery_post(delivery)
    except SlotTimeout:  # our own queue to that host is full: not the receiver's failure
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            claimed_until=None, next_attempt_at=timezone.now() + retry_delay(1)
        )
        _enqueue_retry(delivery.pk, retry_delay(1))
        return "postponed"
    return delivery_record(delivery, status=status, error=error, duration_ms=duration, at=now)


def delivery_record(delivery, *, status, error, duration_ms, at) -> str:
    """Store a try's outcome, schedule the next try or give up, and count the hook's
    failures in a row (disabling it at MAX_CONSECUTIVE_FAILURES)."""
    succeeded = not error
    tries = delivery.attempts + 1
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery,
            at=at,
            http_status=status,
            succeeded=succeeded,
            error=error,
            duration_ms=duration_ms,
        )
        hook = Webhook.objects.filter(pk=delivery.webhook_id)
        if succeeded:
            _finish(delivery, state=DeliveryState.DELIVERED, tries=tries, status=status, at=at)
            hook.update(consecutive_failures=0)
            return "delivered"
        hook.update(consecutive_failures=F("consecutive_failures") + 1)
        if tries >= settings.WEBHOOK_MAX_ATTEMPTS:
            _finish(delivery, state=DeliveryState.FAILED, tries=tries, status=status, error=error)
            outcome = "failed"
        else:
            delay = retry_delay(tries)
            WebhookDelivery.objects.filter(pk=delivery.pk).update(
                attempts=tries,
                last_status=status,
                last_error=error,
                claimed_until=None,
                next_attempt_at=at + delay,
            )
            transaction.on_commit(lambda: _enqueue_retry(delivery.pk, delay))
            outcome = "retrying"
        webhook_disable_if_failing(webhook_id=delivery.webhook_id)
    return outcome


def _finish(delivery, *, state, tries=None, status=None, error="", at=None):
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        state=state,
        attempts=delivery.attempts if tries is None else tries,
        last_status=status,
        last_error=error,
        claimed_until=None,
        next_attempt_at=None,
        delivered_at=at,
    )


def _enqueue_retry(delivery_id, delay):
    from .events import deliveries_enqueue

    deliveries_enqueue([delivery_id], countdown=delay.total_seconds())


def webhook_disable_if_failing(*, webhook_id: int) -> bool:
    """Disable the hook once its tries have failed MAX_CONSECUTIVE_FAILURES times in a row,
    cancel what it still had to send, and e-mail its owner (once: the UPDATE that
    disables it succeeds only once)."""
    disabled = Webhook.objects.filter(
        pk=webhook_id, is_active=True, consecutive_failures__gte=MAX_CONSECUTIVE_FAILURES
    ).update(
        is_active=False,
        disabled_at=timezone.now(),
        disabled_reason=f"{MAX_CONSECUTIVE_FAILURES} deliveries in a row failed",
    )
    if not disabled:
        return False
    WebhookDelivery.objects.filter(webhook_id=webhook_id, state=DeliveryState.PENDING).update(
        state=DeliveryState.CANCELLED, next_attempt_at=None, claimed_until=None
    )
    webhook_disabled_mail(Webhook.objects.select_related("owner").get(pk=webhook_id))
    log.warning("webhook %s disabled after %s failures", webhook_id, MAX_CONSECUTIVE_FAILURES)
    return True


def webhook_disabled_mail(hook):
    """Tell the owner, once the disabling commits (through the site's mail queue)."""
    if not hook.owner.email:
        return
    context = {
        "hook": hook,
        "failures": MAX_CONSECUTIVE_FAILURES,
        "profile_url": settings.SITE_URL + reverse("accounts:webhook", args=[hook.pk]),
    }
    subject = render_to_string("tracker/email/webhook_disabled_subject.txt", context).strip()
    body = render_to_string("tracker/email/webhook_disabled_message.txt", context)
    mail_queue(messages=[EmailMessage(" ".join(subject.split()), body, to=[hook.owner.email])])


def deliveries_overdue(*, now, grace=timedelta(minutes=2)) -> list[int]:
    """Pending deliveries whose task should have run by now (a lost message, a worker
    that died mid-try): the sweep sends them again."""
    return list(
        WebhookDelivery.objects.filter(
            state=DeliveryState.PENDING, next_attempt_at__lte=now - grace
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:1000]
    )


def delivery_log(*, webhook, limit=100):
    """The hook's latest deliveries, newest first, each with its tries
    (``prefetched_tries``): what its owner sees."""
    tries = Prefetch(
        "tries", queryset=WebhookAttempt.objects.order_by("id"), to_attr="prefetched_tries"
    )
    return (
        WebhookDelivery.objects.filter(webhook=webhook)
        .select_related("event")
        .prefetch_related(tries)
        .order_by("-id")[:limit]
    )


def webhook_log_prune(*, now) -> int:
    """Events older than WEBHOOK_LOG_DAYS go, with their deliveries and tries."""
    cutoff = now - timedelta(days=settings.WEBHOOK_LOG_DAYS)
    deleted, _ = WebhookEvent.objects.filter(created_at__lt=cutoff).delete()
    return deleted
