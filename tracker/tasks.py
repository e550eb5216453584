"""Celery tasks: thin wrappers around tracker services."""

from datetime import datetime

import redis
from celery import shared_task
from django.db import DatabaseError, transaction
from django.utils import timezone

from .checking import host_limit as limits
from .checking import records as sources
from .rti import lifecycle as services


@shared_task(name="tracker.rti_chase_deadlines")
def rti_chase_deadlines():
    """Daily: RTI requests past their decision deadline become "deemed refused"."""
    return services.rti_requests_mark_deemed_refused(today=timezone.localdate())


@shared_task(name="tracker.source_check_sweep", bind=True)
def source_check_sweep(self):
    """On beat's schedule: claim every due source and enqueue one check each, after commit.

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
    """One ``source_check`` task per claimed source, sent once the claim is committed.

    A sweep sends thousands: one producer (one broker connection) sends them all.
    """
    claimed = list(claimed)
    if not claimed:
        return

    def send():
        with source_check.app.producer_or_acquire() as producer:
            for source_id, claim in claimed:
                source_check.apply_async((source_id, claim.isoformat()), producer=producer)

    transaction.on_commit(send)


@shared_task(
    name="tracker.source_check",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError, redis.RedisError, limits.SlotTimeout),
    retry_backoff=5,
    retry_backoff_max=600,
    max_retries=6,
)
def source_check(source_id: int, claim: str):
    """Check one claimed source; a repeat delivery of a recorded check does nothing."""
    check = sources.source_check_claimed(source_id=source_id, claim=datetime.fromisoformat(claim))
    return check.outcome if check else None


@shared_task(name="tracker.beat_heartbeat", ignore_result=True)
def beat_heartbeat():
    """Sent by beat every minute; sending it is beat's heartbeat (config/celery.py)."""
