"""Celery tasks: each calls a service of ``checking``, ``rti``, ``mail``, ``exports`` or
``webhooks``.

What is here besides the calls is delivery bookkeeping only: the sweep's round
time (kept in Redis so a redelivered sweep claims the same round) and sending
checks after the claim commits.
"""

from datetime import datetime

import redis
from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import DatabaseError, transaction
from django.utils import timezone

from .checking import host_limit as limits
from .checking import records as sources
from .checking import scheduler
from .clock import rti_today
from .exports.releases import dataset_release as release_build
from .mail import MAIL_TASK, MailDeferred, mail_deliver
from .models import Source
from .rti import campaigns
from .rti.chasing import rti_requests_chase
from .rti.holidays import rti_calendar_apply
from .webhooks import delivery as webhooks
from .webhooks.events import DELIVER_TASK, deliveries_enqueue


@shared_task(name="tracker.rti_chase_deadlines")
def rti_chase_deadlines():
    """Daily: appeal reminders, on today's date in India (it changes no request)."""
    return rti_requests_chase(today=rti_today())


@shared_task(name="tracker.rti_calendar_apply")
def rti_calendar_apply_task():
    """Hourly: if the holidays changed, count open requests' due dates again."""
    return rti_calendar_apply()


@shared_task(
    name="tracker.rti_campaign_letters", acks_late=True, soft_time_limit=900, time_limit=960
)
def rti_campaign_letters(campaign_id: int, token: str, letter: dict):
    """A campaign's letters as one zip; it is deleted an hour later if nobody took it."""
    count = campaigns.rti_campaign_letters_zip(campaign_id=campaign_id, token=token, letter=letter)
    rti_campaign_letters_forget.apply_async((token,), countdown=campaigns.ZIP_KEEP_SECONDS)
    return count


@shared_task(name="tracker.rti_campaign_letters_forget")
def rti_campaign_letters_forget(token: str):
    campaigns.rti_campaign_letters_delete(token=token)


@shared_task(
    name=MAIL_TASK,
    ignore_result=True,
    autoretry_for=(MailDeferred, SoftTimeLimitExceeded),
    retry_backoff=2,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=14,
)
def mail_send(payload: dict):
    """Deliver one queued e-mail; while the server cannot take it, try again up to 14
    times, after at most 2, 4, 8... seconds (jittered; at most 30 minutes apart), for
    up to about two and a half hours in all."""
    mail_deliver(payload)


@shared_task(name="tracker.source_check_sweep", bind=True)
def source_check_sweep(self):
    """On beat's schedule: claim every due source and enqueue its checks in groups,
    after commit.

    A sweep delivered again (its worker died while sending the checks) claims
    under the same round time, so it finds the sources its first attempt
    claimed and sends their checks again; a check already recorded does nothing.
    """
    round_started = _sweep_round_started(self.request.id)
    with transaction.atomic():
        claimed = sources.sources_claim(due_only=True, now=round_started)
        enqueue_source_checks(claimed)
    return len(claimed)


def _sweep_round_started(task_id):
    """The time a sweep first ran, the same for every delivery of one sweep message."""
    now = timezone.now()
    if not task_id:
        return now
    client = limits.redis_client()
    key = f"panoptic:sweep-round:{task_id}"
    client.set(key, now.isoformat(), nx=True, ex=7 * 24 * 3600)
    return datetime.fromisoformat(client.get(key).decode())


def enqueue_source_checks(claimed):
    """One ``source_check_group`` task per group of claimed sources (see
    ``scheduler.check_groups``), sent once the claim is committed, each with time
    limits that fit its size."""
    claimed = list(claimed)
    if not claimed:
        return
    urls = dict(Source.objects.filter(pk__in=[pk for pk, _ in claimed]).values_list("pk", "url"))
    groups = scheduler.check_groups([(pk, claim, urls[pk]) for pk, claim in claimed if pk in urls])

    def send():
        with source_check_group.app.producer_or_acquire() as producer:
            for group in groups:
                soft, hard = scheduler.group_time_limits(len(group))
                source_check_group.apply_async(
                    ([[pk, claim.isoformat()] for pk, claim in group],),
                    producer=producer,
                    soft_time_limit=soft,
                    time_limit=hard,
                )

    transaction.on_commit(send)


@shared_task(
    name="tracker.source_check_group",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError, redis.RedisError),
    retry_backoff=5,
    retry_backoff_max=600,
    max_retries=6,
)
def source_check_group(claimed: list):
    """Check a group of claimed sources concurrently; a repeat delivery records only
    those not yet recorded."""
    outcomes = scheduler.sources_check(
        [(pk, datetime.fromisoformat(claim)) for pk, claim in claimed]
    )
    return dict(outcomes)


@shared_task(
    name="tracker.dataset_release",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=3300,
    time_limit=3600,
)
def dataset_release(self):
    """On RELEASE_SCHEDULE: the month's next dataset release; a redelivered message
    finds the release its first delivery made."""
    return release_build(task_id=self.request.id or "").name


@shared_task(
    name=DELIVER_TASK,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError, redis.RedisError),
    retry_backoff=5,
    max_retries=6,
)
def webhook_deliver(delivery_id: int):
    """One try of a webhook delivery (a repeat finds it claimed or done and does nothing)."""
    return webhooks.webhook_deliver(delivery_id=delivery_id)


@shared_task(name="tracker.webhook_sweep", ignore_result=True)
def webhook_sweep():
    """Every minute: send again deliveries whose task was lost; drop old delivery logs."""
    now = timezone.now()
    overdue = webhooks.deliveries_overdue(now=now)
    deliveries_enqueue(overdue)
    webhooks.webhook_log_prune(now=now)
    return len(overdue)


@shared_task(name="tracker.beat_heartbeat", ignore_result=True)
def beat_heartbeat():
    """Sent by beat every minute; sending it is beat's heartbeat (config/celery.py)."""
