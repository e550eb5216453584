"""The first source sweep runs as soon as beat first starts, and restarting beat never
postpones a sweep: each test builds beat's scheduler as a (re)started beat does."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from config.beat import Scheduler
from config.celery import app

SWEEP = "source-check-sweep"


def started_beat():
    """(is_due, seconds until due) of the sweep, as a beat starting now sees it."""
    scheduler = Scheduler(app=app)
    # Its finalizer would sync with the database whenever it is collected, even in the
    # middle of a later test's transaction; these schedulers never run anything.
    scheduler._finalize.cancel()
    return scheduler.schedule[SWEEP].is_due()


def test_beat_uses_this_scheduler():
    assert settings.CELERY_BEAT_SCHEDULER == "config.beat:Scheduler"


# (transactional: beat's scheduler closes old database connections whenever it reads)
@pytest.mark.django_db(transaction=True)
def test_a_sweep_that_never_ran_is_due_at_the_first_start_and_after_restarts():
    assert not PeriodicTask.objects.filter(name=SWEEP).exists()
    for _start in range(3):
        due, _ = started_beat()
        assert due
    assert PeriodicTask.objects.get(name=SWEEP).last_run_at is None


@pytest.mark.django_db(transaction=True)
def test_a_restart_keeps_the_time_of_the_last_sweep():
    interval = settings.SOURCE_CHECK_INTERVAL
    started_beat()
    ran = timezone.now() - timedelta(hours=1)
    PeriodicTask.objects.filter(name=SWEEP).update(last_run_at=ran)
    due, wait = started_beat()
    assert not due
    assert (interval - timedelta(hours=1)).total_seconds() - 60 < wait
    assert wait <= (interval - timedelta(hours=1)).total_seconds()
    assert PeriodicTask.objects.get(name=SWEEP).last_run_at == ran

    # Beat was away when the next sweep fell due: it runs as soon as beat is back.
    PeriodicTask.objects.filter(name=SWEEP).update(last_run_at=ran - interval)
    due, _ = started_beat()
    assert due
