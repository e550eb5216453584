"""The one clock of the RTI code: what "now" and "today in India" are.

Every judgement that depends on the date (overdue, deemed refused, the next
deadline, an appeal window open or expired) reads the time here, in Python,
and passes it into its query as a parameter: never ``CURRENT_DATE`` or
``now()`` in SQL, whose answer depends on the database session's time zone
and cannot be moved by a test. Tests move this clock (``tests.support.data.
clock_at``) and every page, filter, feed and API answer moves with it. It sits
below the models, which compute the current state in SQL with it.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

# The RTI Act counts days on India's calendar (tracker.rti.laws names it per law).
INDIA = "Asia/Kolkata"


def rti_now() -> datetime:
    """The current moment (aware)."""
    return timezone.now()


def rti_today(*, now: datetime | None = None, time_zone: str = INDIA) -> date:
    """Today on India's calendar (or ``time_zone``'s), from ``now`` or the clock."""
    return (now or rti_now()).astimezone(ZoneInfo(time_zone)).date()
