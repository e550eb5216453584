"""The Celery app; tasks live in each app's ``tasks.py``.

The signal handlers below are operations, not domain: one JSON log line per
task, and the heartbeats /healthz reads (see ``tracker.health``).
"""

import logging
import os
import time

from celery import Celery
from celery.signals import (
    beat_init,
    before_task_publish,
    setup_logging,
    task_postrun,
    task_prerun,
    worker_ready,
)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("panoptic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

BEAT_HEARTBEAT_TASK = "tracker.beat_heartbeat"
WORKER_HEARTBEAT_SECONDS = 30
task_log = logging.getLogger("panoptic.task")
_task_started = {}


@setup_logging.connect
def use_django_logging(**kwargs):
    """Workers and beat log as the site does: settings.LOGGING (JSON lines, LOG_LEVEL)."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


def _record_heartbeats(parts):
    from tracker.health import heartbeat_record

    for part in parts:
        try:
            heartbeat_record(part)
        except Exception:  # Redis away: /healthz says so by itself
            task_log.warning("could not record heartbeat %s", part)


@worker_ready.connect
def start_worker_heartbeat(sender, **kwargs):
    """Every 30 s, note each queue this worker consumes as served."""
    queues = sorted(sender.app.amqp.queues.consume_from or {})
    parts = [f"worker:{queue}" for queue in queues]
    _record_heartbeats(parts)
    sender.timer.call_repeatedly(WORKER_HEARTBEAT_SECONDS, _record_heartbeats, (parts,))


@beat_init.connect
def note_beat_start(**kwargs):
    """Beat is alive from its start, not only from its first heartbeat task a minute on."""
    _record_heartbeats(["beat"])


@before_task_publish.connect
def note_beat_heartbeat(sender=None, **kwargs):
    """Beat's per-minute heartbeat task is its heartbeat the moment beat sends it."""
    if sender == BEAT_HEARTBEAT_TASK:
        _record_heartbeats(["beat"])


@task_prerun.connect
def note_task_start(task_id=None, **kwargs):
    _task_started[task_id] = time.monotonic()


@task_postrun.connect
def log_task(task_id=None, task=None, state=None, **kwargs):
    """One line per task run: its name, id, outcome and duration (never its arguments)."""
    started = _task_started.pop(task_id, None)
    task_log.info(
        "task %s %s",
        task.name if task else "?",
        state,
        extra={
            "event": {
                "task": task.name if task else None,
                "task_id": task_id,
                "state": state,
                "retries": getattr(getattr(task, "request", None), "retries", None),
                "duration_ms": round((time.monotonic() - started) * 1000, 1) if started else None,
            }
        },
    )
