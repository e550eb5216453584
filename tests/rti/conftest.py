"""Shared set-up for the RTI tests: generous API throttling, requests built through the
lifecycle service (so status and deadlines are derived as in the site)."""

from datetime import date

import pytest
from django.core.cache import cache

from tests.factories import AgencyFactory, RTIRequestFactory
from tracker.rti.lifecycle import rti_event_record, rti_request_refresh


@pytest.fixture(autouse=True)
def generous_throttle(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"},
    }
    cache.clear()


def rti_with_events(*events, today=date(2026, 1, 1), **fields):
    """A published request and its events (kind, ISO date), recorded through the service."""
    fields.setdefault("authority", fields.get("authority") or AgencyFactory())
    rti_request = RTIRequestFactory(**fields)
    rti_request_refresh(rti_request=rti_request, today=today)
    for kind, day in events:
        rti_event_record(
            rti_request=rti_request, kind=kind, day=date.fromisoformat(day), today=today
        )
    rti_request.refresh_from_db()
    return rti_request
