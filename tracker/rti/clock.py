"""The one clock of the RTI code: what "now" and "today in India" are.

Every judgement that depends on the date (overdue, deemed refused, the next
deadline, an appeal window open or expired) reads the time here, in Python,
and passes it into its query as a parameter: never ``CURRENT_DATE`` or
``now()`` in SQL, whose answer depends on the database session's time zone
and cannot be moved by a test. Tests move this clock (freezegun) and every
page, filter, feed and API answer moves with it.
"""

from datetime import date, datetime

from django.utils import timezone

from .laws import RTI_ACT_2005, Law, law_today


def rti_now() -> datetime:
    """The current moment (aware)."""
    return timezone.now()


def rti_today(*, now: datetime | None = None, law: Law = RTI_ACT_2005) -> date:
    """Today on the law's calendar (India's), from ``now`` or the clock."""
    return law_today(law, now=now or rti_now())


def rti_time_key(*, now: datetime | None = None) -> str:
    """What a cached answer about RTI requests depends on besides the stored data: the
    day in India, and the latest stored moment (an overdue deadline, a refusal that
    began) already behind us. It changes exactly when some request's current state can
    change, so a cached page is never stale across a deadline. Two index lookups."""
    from ..models import RTIRequest

    now = now or rti_now()
    rows = RTIRequest._base_manager.order_by()
    latest = [
        rows.filter(**{f"{name}__lte": now}).order_by(f"-{name}").values_list(name, flat=True)[:1]
        for name in ("overdue_since", "deemed_refused_from")
    ]
    moments = [next(iter(found), None) for found in latest]
    return "|".join(
        [rti_today(now=now).isoformat(), *(m.isoformat() if m else "-" for m in moments)]
    )
