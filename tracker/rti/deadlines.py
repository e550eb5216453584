"""RTI Act 2005 deadlines: plain functions, no request needed.

Counting follows DESIGN section 7: calendar days, the day of receipt
excluded, so "within N days of D" is D + N days.
"""

from datetime import date, datetime, timedelta

DECISION_DAYS = 30  # s.7(1)
APIO_EXTRA_DAYS = 5  # s.5(2) proviso
THIRD_PARTY_DAYS = 40  # s.11(3)
SECURITY_ORG_DAYS = 45  # s.24(1) proviso
LIFE_OR_LIBERTY = timedelta(hours=48)  # s.7(1) proviso


def decision_due(
    received_on: date,
    *,
    via_apio: bool = False,
    third_party: bool = False,
    security_org: bool = False,
) -> date:
    """The date by which the PIO must decide (the longest period that applies)."""
    days = DECISION_DAYS
    if third_party:
        days = THIRD_PARTY_DAYS
    if security_org:
        days = max(days, SECURITY_ORG_DAYS)
    if via_apio:
        days += APIO_EXTRA_DAYS
    return received_on + timedelta(days=days)


def life_or_liberty_due(received_at: datetime) -> datetime:
    return received_at + LIFE_OR_LIBERTY


def request_decision_due(request) -> date | None:
    """Decision deadline of a stored RTI request, or None while receipt is unknown."""
    from ..models import RTIRoute

    if request.life_or_liberty and request.received_at:
        return life_or_liberty_due(request.received_at).date()
    if not request.received_on:
        return None
    return decision_due(
        request.received_on,
        via_apio=request.route == RTIRoute.APIO,
        third_party=request.third_party,
    )


def is_deemed_refused(request, today: date) -> bool:
    """s.7(2): no decision by the deadline means refusal from the next day."""
    from ..models import RTIStatus

    due = request_decision_due(request)
    waiting = request.status in (RTIStatus.FILED, RTIStatus.TRANSFERRED)
    return waiting and due is not None and today > due
