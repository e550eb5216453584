"""Celery tasks: thin wrappers around tracker services."""

from datetime import datetime

import redis
from celery import shared_task
from django.db import DatabaseError, transaction
from django.utils import timezone

from . import limits, services, sources


@shared_task(name="tracker.rti_chase_deadlines")
def rti_chase_deadlines():
    """Daily: RTI requests past their decision deadline become "deemed refused"."""
    return services.rti_requests_mark_deemed_refused(today=timezone.localdate())


@shared_task(name="tracker.source_check_sweep")
def source_check_sweep():
    """On beat's schedule: claim every due source and enqueue one check each, after commit."""
    with transaction.atomic():
        claimed = sources.sources_claim(due_only=True)
        enqueue_source_checks(claimed)
    return len(claimed)


def enqueue_source_checks(claimed):
    """One ``source_check`` task per claimed source, sent once the claim is committed."""
    for source_id, claim in claimed:
        source_check.delay_on_commit(source_id, claim.isoformat())


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
