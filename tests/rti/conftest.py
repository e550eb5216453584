"""Shared set-up for the RTI tests: generous API throttling, requests built through the
lifecycle service (so their dates are derived as in the site), and the RTI clock."""

from contextlib import contextmanager
from datetime import date, datetime, time
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from tests.factories import AgencyFactory, RTIRequestFactory
from tests.roles import (  # noqa: F401  (fixtures)
    fresh_rate_limits,
    moderator,
    other_volunteer,
    volunteer,
)
from tracker.models import RTIRequest
from tracker.rti.lifecycle import rti_event_record

IST = ZoneInfo("Asia/Kolkata")


@contextmanager
def clock_at(day: date, hour: int = 12, minute: int = 0):
    """Django's clock, which the RTI clock reads, at ``day`` ``hour``:``minute`` in India
    (``time.time`` keeps running, so throttles and caches behave as usual)."""
    moment = datetime.combine(day, time(hour, minute), tzinfo=IST)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@pytest.fixture(autouse=True)
def generous_throttle(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"},
    }
    cache.clear()


def rti_with_events(*events, today=date(2026, 1, 1), **fields):
    """A published request and its events (kind, ISO date[, outcome]), recorded through the
    service, read back as the site reads it with the clock at ``today``."""
    fields.setdefault("authority", fields.get("authority") or AgencyFactory())
    rti_request = RTIRequestFactory(**fields)
    for kind, day, *outcome in events:
        rti_event_record(
            rti_request=rti_request,
            kind=kind,
            day=date.fromisoformat(day),
            outcome=outcome[0] if outcome else (fields.get("outcome") or "granted"),
            exemption_sections=fields.get("exemption_sections", ""),
            today=today,
        )
    with clock_at(today):
        return RTIRequest.objects.get(pk=rti_request.pk)
