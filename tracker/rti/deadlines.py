"""The deadline engine: every time limit of an RTI request, from what is known about it.

Pure: no database, no HTTP request, no clock. Give it the facts (``RTIFacts``)
and the day to judge by (``today``, plus ``now`` for hour limits); it returns a
``Schedule`` whose every date names the section that sets it. The numbers come
from a ``tracker.rti.laws.Law`` (the RTI Act 2005 by default).

Counting: calendar days, the day of receipt excluded, so "within N days of D"
is D + N. Hour limits (life or liberty) are datetimes in the law's time zone,
never cut to a UTC date. With a ``WorkingCalendar`` a due date that falls on a
Sunday or a gazetted holiday moves to the next working day (General Clauses
Act s.10); without one (the default) the Act's calendar days stand.
"""

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from .laws import RTI_ACT_2005, Law

AUTHORITY = "authority"  # the public authority owes it
APPLICANT = "applicant"  # the applicant may act until then

# Deadline states.
MET = "met"  # done on or before the due date
LATE = "late"  # done after it
DONE = "done"  # done; whether in time cannot be told from the facts given
PENDING = "pending"  # not done, still time
OVERDUE = "overdue"  # the authority has not done it and the time is up
EXPIRED = "expired"  # the applicant's window has closed
PAUSED = "paused"  # the clock is stopped (further fee asked, not yet paid)
CLOSED = "closed"  # the request was withdrawn or closed before it was done

STATE_LABELS = {
    MET: _("done in time"),
    LATE: _("done late"),
    DONE: _("done"),
    PENDING: _("still open"),
    OVERDUE: _("overdue"),
    EXPIRED: _("time has run out"),
    PAUSED: _("paused until the fee is paid"),
    CLOSED: _("not needed: the request was closed"),
}

# Each line names whose deadline it is.
DEADLINE_LABELS = {
    "transfer": _("The public authority's transfer to the right authority"),
    "decision": _("The Public Information Officer's decision"),
    "first_appeal": _("The applicant's last day to file a first appeal"),
    "first_appeal_decision": _("The first appellate authority's decision"),
    "first_appeal_decision_extended": _(
        "The first appellate authority's decision, if extended with reasons in writing"
    ),
    "second_appeal": _(
        "The applicant's last day to file a second appeal to the Information Commission"
    ),
}

# Who owes each deadline, for a short column ("whose").
DEADLINE_PARTIES = {
    "transfer": _("Public authority"),
    "decision": _("Public Information Officer"),
    "first_appeal": _("Applicant"),
    "first_appeal_decision": _("First appellate authority"),
    "first_appeal_decision_extended": _("First appellate authority"),
    "second_appeal": _("Applicant"),
}

FLAG_LABELS = {
    "life_or_liberty": _("concerns life or liberty: 48 hours"),
    "via_apio": _("filed through an Assistant PIO: 5 more days"),
    "third_party": _("third-party information: 40 days"),
    "security_org": _("security organisation, human-rights allegation: 45 days"),
    "transferred": _("transferred: the new authority's period runs from its receipt"),
    "fee_pause": _("further fee: the days from the fee letter to payment do not count"),
    "fee_unpaid": _("further fee asked and not yet paid: the clock is stopped"),
    "fee_requested_late": _("the fee was asked for after the deadline: no pause"),
    "receipt_time_assumed": _("time of receipt unknown: counted from the start of that day"),
    "next_working_day": _("due dates on a Sunday or holiday move to the next working day"),
    "first_appeal_premature": _(
        "the first appeal was filed before the PIO's time ran out, with no reply: under "
        "section 19(1) it takes effect when the time runs out (or when a reply comes, if "
        "sooner), and the appellate authority's 30 days count from then"
    ),
}


@dataclass(frozen=True)
class RTIFacts:
    """What is known about one request. Dates are on the law's calendar."""

    received_on: date | None = None
    received_at: datetime | None = None  # naive means the law's time zone
    via_apio: bool = False
    life_or_liberty: bool = False
    third_party: bool = False
    security_org: bool = False
    transferred_received_on: date | None = None
    fee_requested_on: date | None = None
    fee_paid_on: date | None = None
    reply_received_on: date | None = None
    first_appeal_filed_on: date | None = None
    first_appeal_decided_on: date | None = None
    second_appeal_filed_on: date | None = None
    closed_on: date | None = None  # withdrawn or closed: nothing more is owed


@dataclass(frozen=True)
class WorkingCalendar:
    """Sundays and the given holidays are not working days."""

    holidays: frozenset = frozenset()

    def is_working_day(self, day: date) -> bool:
        return day.weekday() != 6 and day not in self.holidays

    def next_working_day(self, day: date) -> date:
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day


@dataclass(frozen=True)
class Deadline:
    key: str
    section: str
    party: str
    due: date | None  # the last day; None while the clock is paused
    due_at: datetime | None = None  # for hour limits: the moment, in the law's zone
    calendar_due: date | None = None  # before moving to a working day, if it moved
    done_on: date | None = None
    state: str = PENDING

    @property
    def label(self):
        return DEADLINE_LABELS[self.key]

    @property
    def state_label(self):
        return STATE_LABELS[self.state]

    @property
    def party_label(self):
        return DEADLINE_PARTIES[self.key]


@dataclass(frozen=True)
class Schedule:
    deadlines: tuple = ()
    flags: tuple = ()  # the rules that shaped the dates (keys of FLAG_LABELS)
    paused_since: date | None = None
    deemed_refused_from: date | datetime | None = None
    deemed_refusal_section: str = ""
    deemed_refused: bool = False  # as of today
    overdue: bool = False  # as of today: the authority owes something past due
    overdue_since: datetime | None = None  # when it became (or will become) overdue
    next_deadline: Deadline | None = None  # the earliest still open as of today
    today: date | None = None
    law: Law = RTI_ACT_2005

    def get(self, key):
        return next((d for d in self.deadlines if d.key == key), None)

    @property
    def flag_labels(self):
        return [FLAG_LABELS[f] for f in self.flags]


def rti_schedule(
    facts: RTIFacts,
    *,
    today: date,
    now: datetime | None = None,
    calendar: WorkingCalendar | None = None,
    law: Law = RTI_ACT_2005,
) -> Schedule:
    """Every deadline that applies to ``facts``, judged as of ``today`` (and ``now``).

    Four steps, in the order the Act runs: the transfer, the decision, the
    appeals that follow it, then judging each date against today.
    """
    counting = _Counting(law=law, calendar=calendar)
    received_at = _local(facts.received_at, counting.zone)
    received_on = facts.received_on or (received_at.date() if received_at else None)
    if received_on is None:
        return Schedule(flags=counting.flags_used(), today=today, law=law)
    transfer = _transfer(facts, received_on=received_on, counting=counting)
    decision = _decision(facts, received_on=received_on, received_at=received_at, counting=counting)
    appeals = _appeals(facts, decision=decision, counting=counting)
    deadlines = [d for d in (transfer, decision, *appeals) if d is not None]
    return _judged(deadlines, facts=facts, today=today, now=now, counting=counting)


@dataclass
class _Counting:
    """How one schedule counts days, and the rules that shaped its dates (``flags``)."""

    law: Law
    calendar: WorkingCalendar | None
    flags: list = field(default_factory=list)

    def __post_init__(self):
        self.zone = ZoneInfo(self.law.time_zone)
        if self.calendar is not None:
            self.flags.append("next_working_day")

    def flags_used(self):
        return tuple(dict.fromkeys(self.flags))

    def working_day(self, day):
        """``day`` moved to a working day, and the calendar day it moved from (or None)."""
        if self.calendar is None or day is None:
            return day, None
        moved = self.calendar.next_working_day(day)
        return moved, (day if moved != day else None)

    def deadline(self, key, period, party, *, start, done_on):
        """The deadline ``period`` after ``start``, on a working day."""
        due, calendar_due = self.working_day(start + period.delta)
        return Deadline(key, period.section, party, due, calendar_due=calendar_due, done_on=done_on)


def _transfer(facts, *, received_on, counting):
    """s.6(3): passed on in time; the transferee's own period runs from its receipt."""
    done = facts.transferred_received_on
    if done is None:
        return None
    counting.flags.append("transferred")
    deadline = counting.deadline(
        "transfer", counting.law.transfer, AUTHORITY, start=received_on, done_on=done
    )
    # The facts give the transferee's receipt, not the day it was sent: a later day is "done".
    return replace(deadline, state=MET if done <= deadline.due else DONE)


def _decision(facts, *, received_on, received_at, counting):
    """s.7(1), or a special rule's period; stopped while a further fee is unpaid."""
    transferred = facts.transferred_received_on is not None
    start_on = facts.transferred_received_on if transferred else received_on
    delta, sections, in_hours = _decision_period(facts, transferred=transferred, counting=counting)
    due_at = None
    if in_hours:
        if received_at is not None and not transferred:
            start_at = received_at
        else:
            start_at = datetime.combine(start_on, time.min, tzinfo=counting.zone)
            counting.flags.append("receipt_time_assumed")
        due_at = start_at + delta
        due = due_at.date()
    else:
        due = start_on + delta
    pause = _fee_pause(facts, due=due, sections=sections, counting=counting)
    if pause is None:  # the clock is stopped: no date yet
        due = due_at = calendar_due = None
    elif due_at is not None:  # an hour limit is a moment, never moved to a working day
        due, due_at, calendar_due = due + pause, due_at + pause, None
    else:
        due, calendar_due = counting.working_day(due + pause)
    return Deadline(
        "decision",
        ", ".join(sections),
        AUTHORITY,
        due,
        due_at=due_at,
        calendar_due=calendar_due,
        done_on=facts.reply_received_on,
    )


def _decision_period(facts, *, transferred, counting):
    """The decision's period, the sections that set it, and whether it counts hours."""
    law = counting.law
    if facts.security_org:
        period, flag = law.security_org, "security_org"
    elif facts.life_or_liberty:
        period, flag = law.life_or_liberty, "life_or_liberty"
    elif facts.third_party:
        period, flag = law.third_party, "third_party"
    else:
        period, flag = law.decision, None
    if flag:
        counting.flags.append(flag)
    sections = [period.section]
    if transferred:
        sections.append(law.transfer.section)
    delta = period.delta
    # An Assistant PIO's extra days apply to the first authority only, never after a transfer.
    if facts.via_apio and not transferred:
        delta += law.via_apio.delta
        sections.append(law.via_apio.section)
        counting.flags.append("via_apio")
    return delta, sections, bool(period.hours)


def _fee_pause(facts, *, due, sections, counting):
    """s.7(3)(a): the days from the fee letter to payment do not count.

    The time to add to the decision's due date, or None while the clock is
    stopped (fee asked, not paid, no reply). A fee asked for after the due
    date stops nothing.
    """
    requested, paid = facts.fee_requested_on, facts.fee_paid_on
    if requested is None:
        return timedelta(0)
    if requested > due:
        counting.flags.append("fee_requested_late")
        return timedelta(0)
    if paid is not None:
        counting.flags.append("fee_pause")
        sections.append(counting.law.fee_pause_section)
        return paid - requested
    if facts.reply_received_on is not None:
        return timedelta(0)
    counting.flags.append("fee_unpaid")
    sections.append(counting.law.fee_pause_section)
    return None


def _appeals(facts, *, decision, counting):
    """s.19: the first appeal, its appellate authority's two periods, the second appeal."""
    law = counting.law
    deadlines = []
    # s.19(1): 30 days from the reply, or from the expiry of the decision's deadline.
    appeal_from = facts.reply_received_on or decision.due
    if appeal_from is not None:
        deadlines.append(
            counting.deadline(
                "first_appeal",
                law.first_appeal,
                APPLICANT,
                start=appeal_from,
                done_on=facts.first_appeal_filed_on,
            )
        )
    filed, decided = facts.first_appeal_filed_on, facts.first_appeal_decided_on
    if filed is None:
        return deadlines
    filed = _first_appeal_effective(facts, decision=decision, counting=counting)
    if filed is None:  # premature, and the PIO's clock is stopped: nothing counts yet
        return deadlines
    # s.19(6): the appellate authority's period, and the longest it may extend it to.
    faa = counting.deadline(
        "first_appeal_decision",
        law.first_appeal_decision,
        AUTHORITY,
        start=filed,
        done_on=decided,
    )
    faa_extended = counting.deadline(
        "first_appeal_decision_extended",
        law.first_appeal_decision_max,
        AUTHORITY,
        start=filed,
        done_on=decided,
    )
    # s.19(3): 90 days from the appellate decision, or from the date it was due.
    second = counting.deadline(
        "second_appeal",
        law.second_appeal,
        APPLICANT,
        start=decided or faa.due,
        done_on=facts.second_appeal_filed_on,
    )
    return [*deadlines, faa, faa_extended, second]


def _first_appeal_effective(facts, *, decision, counting):
    """The day a first appeal counts from under s.19(1).

    An appeal lies against a decision, or against its absence once the PIO's time
    has run out. One filed earlier with no reply is premature: it takes effect on
    the day its ground arises, the reply's day or the first day of the deemed
    refusal, whichever comes first, and the appellate authority's period (s.19(6))
    runs from then. The PIO's own deadline is not touched by it. None while the
    ground cannot arise yet (a further fee asked and unpaid, no reply).
    """
    filed, reply = facts.first_appeal_filed_on, facts.reply_received_on
    if reply is not None and reply <= filed:
        return filed
    lapsed = None
    if decision.due_at is not None:
        lapsed = decision.due_at.date()
    elif decision.due is not None:
        lapsed = decision.due + timedelta(days=1)
    if lapsed is not None and lapsed <= filed:
        return filed
    counting.flags.append("first_appeal_premature")
    grounds = [day for day in (reply, lapsed) if day is not None]
    return min(grounds, default=None)


def _judged(deadlines, *, facts, today, now, counting):
    """The schedule with each deadline's state as of ``today``, and what is owed."""
    judged = [
        d if d.key == "transfer" else replace(d, state=_state(d, today, now, facts.closed_on))
        for d in deadlines
    ]
    # The extended appellate period is a ceiling, not a second debt: it makes nothing overdue.
    owed = [d for d in judged if d.party == AUTHORITY and d.key != "first_appeal_decision_extended"]
    unmet = [d for d in owed if d.done_on is None and d.due is not None]
    overdue_since = None
    if facts.closed_on is None:
        overdue_since = min((_overdue_from(d, counting.zone) for d in unmet), default=None)
    open_ = [d for d in judged if d.state == PENDING]
    decision = next(d for d in judged if d.key == "decision")
    return Schedule(
        deadlines=tuple(judged),
        flags=counting.flags_used(),
        paused_since=facts.fee_requested_on if decision.due is None else None,
        deemed_refused_from=_deemed_refused_from(decision),
        deemed_refusal_section=counting.law.deemed_refusal_section,
        deemed_refused=decision.state == OVERDUE,
        overdue=any(d.state == OVERDUE for d in owed),
        overdue_since=overdue_since,
        next_deadline=min(open_, key=lambda d: d.due, default=None),
        today=today,
        law=counting.law,
    )


def _deemed_refused_from(decision):
    """s.7(2): no decision in time is a refusal from the next day (the next moment, for hours)."""
    if decision.due_at is not None:
        return decision.due_at
    if decision.due is not None:
        return decision.due + timedelta(days=1)
    return None


def _local(moment, zone):
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


def _state(deadline, today, now, closed_on):
    if deadline.due is None:
        return PAUSED
    if deadline.done_on is not None:
        return MET if deadline.done_on <= deadline.due else LATE
    if closed_on is not None:
        return CLOSED
    if deadline.due_at is not None and now is not None:
        past = now >= deadline.due_at  # the hours are up at that moment
    else:
        past = today > deadline.due
    if not past:
        return PENDING
    return OVERDUE if deadline.party == AUTHORITY else EXPIRED


def _overdue_from(deadline, zone):
    if deadline.due_at is not None:
        return deadline.due_at
    return datetime.combine(deadline.due + timedelta(days=1), time.min, tzinfo=zone)


def _iso(value):
    return value.isoformat() if value is not None else None


def schedule_as_dict(schedule: Schedule) -> dict:
    """The schedule as JSON-ready data: ISO 8601 dates, each with its section."""
    return {
        "law": schedule.law.name,
        "today": _iso(schedule.today),
        "flags_used": list(schedule.flags),
        "deadlines": [
            {
                "key": d.key,
                "label": str(d.label),
                "party": d.party,
                "due": _iso(d.due),
                "due_at": _iso(d.due_at),
                "calendar_due": _iso(d.calendar_due),
                "section": d.section,
                "done_on": _iso(d.done_on),
                "state": d.state,
            }
            for d in schedule.deadlines
        ],
        "paused_since": _iso(schedule.paused_since),
        "deemed_refused_from": _iso(schedule.deemed_refused_from),
        "deemed_refusal_section": schedule.deemed_refusal_section,
        "deemed_refused": schedule.deemed_refused,
        "overdue": schedule.overdue,
        "overdue_since": _iso(schedule.overdue_since),
        "next_deadline": schedule.next_deadline.key if schedule.next_deadline else None,
    }
