"""When an entry was last checked, and whether that is too long ago: one rule for pages,
the map, the API and the re-verification queue.

An entry is checked when someone re-checks it against a live source it cites
(``last_verified_on``, set by ``tracker.verification.deployment_verify``); until then,
when it was first recorded. Past ``VERIFY_AFTER_DAYS`` it is stale: its page says
"not re-checked since …", the map fades it and it joins the re-verification queue.
``today`` is always passed in (``site_today()`` for "now"), so every reader agrees and
tests can move it.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import BooleanField, Case, DateField, Q, Value, When
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.utils import timezone


def site_today() -> date:
    """Today in the site's time zone (India)."""
    return timezone.localdate()


def verify_after() -> timedelta:
    return timedelta(days=settings.VERIFY_AFTER_DAYS)


def checked_on(deployment) -> date:
    """When the entry was last checked: re-verified, or else first recorded."""
    if deployment.last_verified_on:
        return deployment.last_verified_on
    return timezone.localdate(deployment.created_at)


def is_stale(deployment, *, today: date) -> bool:
    """Not re-checked against a live source for ``VERIFY_AFTER_DAYS``."""
    return checked_on(deployment) <= today - verify_after()


def checked_on_sql():
    """SQL: ``checked_on`` of each row."""
    created = TruncDate("created_at", tzinfo=timezone.get_current_timezone())
    return Coalesce("last_verified_on", Cast(created, DateField()), output_field=DateField())


def stale_q(*, today: date) -> Q:
    """Rows that are stale on ``today`` (``is_stale``): checked on or before the limit."""
    limit = today - verify_after()
    # Recorded on or before the limit (a day in the site's time zone), never re-checked.
    next_day = datetime.combine(limit + timedelta(days=1), time.min)
    recorded_by_limit = Q(created_at__lt=timezone.make_aware(next_day))
    return Q(last_verified_on__lte=limit) | (Q(last_verified_on__isnull=True) & recorded_by_limit)


def stale_sql(*, today: date):
    """SQL: ``is_stale`` of each row (the map's faded points)."""
    return Case(
        When(stale_q(today=today), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
