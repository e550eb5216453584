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

from dataclasses import dataclass, replace
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

DEADLINE_LABELS = {
    "transfer": _("Transfer to the right public authority"),
    "decision": _("Decision by the Public Information Officer"),
    "first_appeal": _("Last day to file a first appeal"),
    "first_appeal_decision": _("Decision on the first appeal"),
    "first_appeal_decision_extended": _("Decision on the first appeal, if extended with reasons"),
    "second_appeal": _("Last day to file a second appeal to the Information Commission"),
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
    """Every deadline that applies to ``facts``, judged as of ``today`` (and ``now``)."""
    zone = ZoneInfo(law.time_zone)
    flags = []
    if calendar is not None:
        flags.append("next_working_day")

    def adjust(day):
        if calendar is None or day is None:
            return day, None
        moved = calendar.next_working_day(day)
        return moved, (day if moved != day else None)

    received_at = _local(facts.received_at, zone)
    received_on = facts.received_on or (received_at.date() if received_at else None)
    if received_on is None:
        return Schedule(flags=tuple(flags), today=today, law=law)
    deadlines = []

    # Transfer, s.6(3): the transferee's own period runs from its receipt.
    start_on = received_on
    transferred = facts.transferred_received_on is not None
    if transferred:
        flags.append("transferred")
        due, calendar_due = adjust(received_on + law.transfer.delta)
        done = facts.transferred_received_on
        deadlines.append(
            Deadline(
                "transfer",
                law.transfer.section,
                AUTHORITY,
                due,
                calendar_due=calendar_due,
                done_on=done,
                state=MET if done <= due else DONE,
            )
        )
        start_on = facts.transferred_received_on

    # The decision: s.7(1), or the longer or shorter period a special rule sets.
    sections = []
    if facts.security_org:
        period = law.security_org
        flags.append("security_org")
    elif facts.life_or_liberty:
        period = law.life_or_liberty
        flags.append("life_or_liberty")
    elif facts.third_party:
        period = law.third_party
        flags.append("third_party")
    else:
        period = law.decision
    sections.append(period.section)
    if transferred:
        sections.append(law.transfer.section)
    delta = period.delta
    if facts.via_apio and not transferred:
        delta += law.via_apio.delta
        sections.append(law.via_apio.section)
        flags.append("via_apio")

    due_at = None
    if period.hours:
        if received_at is not None and not transferred:
            start_at = received_at
        else:
            start_at = datetime.combine(start_on, time.min, tzinfo=zone)
            flags.append("receipt_time_assumed")
        due_at = start_at + delta
        due = due_at.date()
    else:
        due = start_on + delta

    # A further fee, s.7(3)(a): the days from the fee letter to payment do not count.
    paused_since = None
    if facts.fee_requested_on is not None:
        if facts.fee_requested_on > due:
            flags.append("fee_requested_late")
        elif facts.fee_paid_on is not None:
            pause = facts.fee_paid_on - facts.fee_requested_on
            due += pause
            due_at = due_at + pause if due_at else None
            flags.append("fee_pause")
            sections.append(law.fee_pause_section)
        elif facts.reply_received_on is None:
            paused_since = facts.fee_requested_on
            flags.append("fee_unpaid")
            sections.append(law.fee_pause_section)
    if paused_since is not None:
        due = due_at = calendar_due = None
    elif due_at is None:
        due, calendar_due = adjust(due)
    else:
        calendar_due = None
    decision = Deadline(
        "decision",
        ", ".join(sections),
        AUTHORITY,
        due,
        due_at=due_at,
        calendar_due=calendar_due,
        done_on=facts.reply_received_on,
    )
    deadlines.append(decision)

    # Deemed refusal, s.7(2): no decision by the deadline is a refusal from the next day.
    deemed_from = None
    if due_at is not None:
        deemed_from = due_at
    elif due is not None:
        deemed_from = due + timedelta(days=1)

    # First appeal, s.19(1): 30 days from the reply, or from the deadline's expiry.
    appeal_from = facts.reply_received_on or due
    if appeal_from is not None:
        due1, calendar_due1 = adjust(appeal_from + law.first_appeal.delta)
        deadlines.append(
            Deadline(
                "first_appeal",
                law.first_appeal.section,
                APPLICANT,
                due1,
                calendar_due=calendar_due1,
                done_on=facts.first_appeal_filed_on,
            )
        )

    # The first appellate authority, s.19(6); then the second appeal, s.19(3).
    if facts.first_appeal_filed_on is not None:
        filed = facts.first_appeal_filed_on
        decided = facts.first_appeal_decided_on
        faa_due, faa_calendar_due = adjust(filed + law.first_appeal_decision.delta)
        faa_max, faa_max_calendar = adjust(filed + law.first_appeal_decision_max.delta)
        deadlines.append(
            Deadline(
                "first_appeal_decision",
                law.first_appeal_decision.section,
                AUTHORITY,
                faa_due,
                calendar_due=faa_calendar_due,
                done_on=decided,
            )
        )
        deadlines.append(
            Deadline(
                "first_appeal_decision_extended",
                law.first_appeal_decision_max.section,
                AUTHORITY,
                faa_max,
                calendar_due=faa_max_calendar,
                done_on=decided,
            )
        )
        due2, calendar_due2 = adjust((decided or faa_due) + law.second_appeal.delta)
        deadlines.append(
            Deadline(
                "second_appeal",
                law.second_appeal.section,
                APPLICANT,
                due2,
                calendar_due=calendar_due2,
                done_on=facts.second_appeal_filed_on,
            )
        )

    judged = [
        d if d.key == "transfer" else replace(d, state=_state(d, today, now, facts.closed_on))
        for d in deadlines
    ]
    owed = [d for d in judged if d.party == AUTHORITY and d.key != "first_appeal_decision_extended"]
    overdue_since = min(
        (_overdue_from(d, zone) for d in owed if d.done_on is None and d.due is not None),
        default=None,
    )
    if facts.closed_on is not None:
        overdue_since = None
    open_ = [d for d in judged if d.state == PENDING]
    decision = next(d for d in judged if d.key == "decision")
    return Schedule(
        deadlines=tuple(judged),
        flags=tuple(dict.fromkeys(flags)),
        paused_since=paused_since,
        deemed_refused_from=deemed_from,
        deemed_refusal_section=law.deemed_refusal_section,
        deemed_refused=decision.state == OVERDUE,
        overdue=any(d.state == OVERDUE for d in owed),
        overdue_since=overdue_since,
        next_deadline=min(open_, key=lambda d: d.due, default=None),
        today=today,
        law=law,
    )


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
        past = now > deadline.due_at
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
