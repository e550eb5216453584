"""Celery tasks: thin wrappers around tracker services."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="tracker.rti_chase_deadlines")
def rti_chase_deadlines():
    """Daily: RTI requests past their decision deadline become "deemed refused"."""
    return services.rti_requests_mark_deemed_refused(today=timezone.localdate())
