"""The numbers of a right-to-information law, as data.

The deadline engine (``tracker.rti.deadlines``) reads every period and the
section that sets it from a ``Law``; it holds no number of its own. A
state's rules or another country's freedom-of-information law is one more
``Law`` beside ``RTI_ACT_2005``, with no change to the engine or its callers.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Period:
    """A time limit and the provision that sets it."""

    section: str
    days: int = 0
    hours: int = 0

    @property
    def delta(self) -> timedelta:
        return timedelta(days=self.days, hours=self.hours)


@dataclass(frozen=True)
class Law:
    code: str
    name: str
    time_zone: str  # dates are counted on this zone's calendar
    decision: Period  # the PIO decides within this of receipt
    life_or_liberty: Period  # ... or this, when life or liberty is at stake
    via_apio: Period  # added when an Assistant PIO received the request
    transfer: Period  # to pass the request on; the transferee's period runs from its receipt
    third_party: Period  # when third-party information is involved
    security_org: Period  # exempt organisations, human-rights allegations
    fee_pause_section: str  # days from a fee letter to payment do not count
    deemed_refusal_section: str  # no decision in time is a refusal
    first_appeal: Period  # from the reply, or from the expired deadline
    first_appeal_decision: Period  # the appellate authority's period
    first_appeal_decision_max: Period  # ... extended, with reasons in writing
    second_appeal: Period  # from the appellate decision, or the date it was due


RTI_ACT_2005 = Law(
    code="in-rti-2005",
    name="Right to Information Act, 2005",
    time_zone="Asia/Kolkata",
    decision=Period("7(1)", days=30),
    life_or_liberty=Period("7(1) proviso", hours=48),
    via_apio=Period("5(2) proviso", days=5),
    transfer=Period("6(3)", days=5),
    third_party=Period("11(3)", days=40),
    security_org=Period("24(1) proviso", days=45),
    fee_pause_section="7(3)(a)",
    deemed_refusal_section="7(2)",
    first_appeal=Period("19(1)", days=30),
    first_appeal_decision=Period("19(6)", days=30),
    first_appeal_decision_max=Period("19(6)", days=45),
    second_appeal=Period("19(3)", days=90),
)


def law_today(law: Law = RTI_ACT_2005, *, now: datetime) -> date:
    """The day ``now`` falls on in the law's calendar (India's for the RTI Act), whatever
    TIME_ZONE says. The clock itself is ``tracker.clock``."""
    return now.astimezone(ZoneInfo(law.time_zone)).date()
