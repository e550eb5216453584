"""The deadline engine, rule by rule, as tables (the worked examples are DESIGN section 7's)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tracker.rti.deadlines import RTIFacts, WorkingCalendar, rti_schedule, schedule_as_dict

IST = ZoneInfo("Asia/Kolkata")
UTC = ZoneInfo("UTC")
LATER = date(2030, 1, 1)  # a "today" after every deadline below


def due(facts, key, *, calendar=None, today=LATER):
    deadline = rti_schedule(facts, today=today, calendar=calendar).get(key)
    return (deadline.due, deadline.section) if deadline else None


D = date


@pytest.mark.parametrize(
    "facts,key,expected",
    [
        # s.7(1): receipt + 30 days; the worked example, month ends, 29 February, a new year.
        (RTIFacts(received_on=D(2024, 1, 10)), "decision", (D(2024, 2, 9), "7(1)")),
        (RTIFacts(received_on=D(2024, 6, 1)), "decision", (D(2024, 7, 1), "7(1)")),
        (RTIFacts(received_on=D(2024, 1, 31)), "decision", (D(2024, 3, 1), "7(1)")),
        (RTIFacts(received_on=D(2023, 1, 31)), "decision", (D(2023, 3, 2), "7(1)")),
        (RTIFacts(received_on=D(2024, 1, 30)), "decision", (D(2024, 2, 29), "7(1)")),
        (RTIFacts(received_on=D(2024, 2, 29)), "decision", (D(2024, 3, 30), "7(1)")),
        (RTIFacts(received_on=D(2024, 12, 15)), "decision", (D(2025, 1, 14), "7(1)")),
        # s.5(2) proviso: through an Assistant PIO, 5 more days (the worked example).
        (
            RTIFacts(received_on=D(2024, 1, 10), via_apio=True),
            "decision",
            (D(2024, 2, 14), "7(1), 5(2) proviso"),
        ),
        (
            RTIFacts(received_on=D(2024, 12, 20), via_apio=True),
            "decision",
            (D(2025, 1, 24), "7(1), 5(2) proviso"),
        ),
        # s.11(3): third-party information, 40 days.
        (
            RTIFacts(received_on=D(2024, 1, 10), third_party=True),
            "decision",
            (D(2024, 2, 19), "11(3)"),
        ),
        (
            RTIFacts(received_on=D(2024, 2, 20), third_party=True),
            "decision",
            (D(2024, 3, 31), "11(3)"),
        ),
        # s.24(1) proviso: security organisations, human-rights allegations, 45 days.
        (
            RTIFacts(received_on=D(2024, 1, 10), security_org=True),
            "decision",
            (D(2024, 2, 24), "24(1) proviso"),
        ),
        (
            RTIFacts(received_on=D(2024, 12, 1), security_org=True, third_party=True),
            "decision",
            (D(2025, 1, 15), "24(1) proviso"),
        ),
        # s.6(3): transfer within 5 days; the transferee's 30 days run from its receipt.
        (
            RTIFacts(received_on=D(2024, 1, 10), transferred_received_on=D(2024, 1, 14)),
            "transfer",
            (D(2024, 1, 15), "6(3)"),
        ),
        (
            RTIFacts(received_on=D(2024, 1, 10), transferred_received_on=D(2024, 1, 14)),
            "decision",
            (D(2024, 2, 13), "7(1), 6(3)"),
        ),
        (
            RTIFacts(received_on=D(2024, 12, 30), transferred_received_on=D(2025, 1, 3)),
            "decision",
            (D(2025, 2, 2), "7(1), 6(3)"),
        ),
        # s.7(3)(a): the days from the fee letter to payment do not count.
        (
            RTIFacts(
                received_on=D(2024, 1, 10),
                fee_requested_on=D(2024, 1, 20),
                fee_paid_on=D(2024, 1, 30),
            ),
            "decision",
            (D(2024, 2, 19), "7(1), 7(3)(a)"),
        ),
        (
            RTIFacts(
                received_on=D(2024, 2, 1),
                fee_requested_on=D(2024, 2, 28),
                fee_paid_on=D(2024, 3, 1),
            ),
            "decision",
            (D(2024, 3, 4), "7(1), 7(3)(a)"),
        ),
        # s.19(1): 30 days from the reply, or from the deadline's expiry (worked example).
        (RTIFacts(received_on=D(2024, 1, 10)), "first_appeal", (D(2024, 3, 10), "19(1)")),
        (
            RTIFacts(received_on=D(2024, 1, 10), reply_received_on=D(2024, 1, 25)),
            "first_appeal",
            (D(2024, 2, 24), "19(1)"),
        ),
        # s.19(6): the appellate authority decides in 30 days, at most 45.
        (
            RTIFacts(received_on=D(2024, 1, 10), first_appeal_filed_on=D(2024, 3, 1)),
            "first_appeal_decision",
            (D(2024, 3, 31), "19(6)"),
        ),
        (
            RTIFacts(received_on=D(2024, 1, 10), first_appeal_filed_on=D(2024, 3, 1)),
            "first_appeal_decision_extended",
            (D(2024, 4, 15), "19(6)"),
        ),
        # s.19(3): 90 days from the first-appeal decision, or from the date it was due.
        (
            RTIFacts(
                received_on=D(2024, 1, 10),
                first_appeal_filed_on=D(2024, 3, 1),
                first_appeal_decided_on=D(2024, 3, 20),
            ),
            "second_appeal",
            (D(2024, 6, 18), "19(3)"),
        ),
        (
            RTIFacts(received_on=D(2024, 1, 10), first_appeal_filed_on=D(2024, 3, 1)),
            "second_appeal",
            (D(2024, 6, 29), "19(3)"),
        ),
    ],
)
def test_due_dates(facts, key, expected):
    assert due(facts, key) == expected


def test_no_appellate_deadlines_before_an_appeal_nor_anything_before_receipt():
    schedule = rti_schedule(RTIFacts(received_on=D(2024, 1, 10)), today=LATER)
    assert [d.key for d in schedule.deadlines] == ["decision", "first_appeal"]
    assert rti_schedule(RTIFacts(), today=LATER).deadlines == ()


@pytest.mark.parametrize(
    "today,deemed,overdue",
    [(D(2024, 2, 9), False, False), (D(2024, 2, 10), True, True), (D(2024, 1, 11), False, False)],
)
def test_deemed_refused_from_the_day_after_the_deadline(today, deemed, overdue):
    """s.7(2), the worked example: due 2024-02-09, deemed refused from 2024-02-10."""
    schedule = rti_schedule(RTIFacts(received_on=D(2024, 1, 10)), today=today)
    assert schedule.deemed_refused_from == D(2024, 2, 10)
    assert schedule.deemed_refusal_section == "7(2)"
    assert (schedule.deemed_refused, schedule.overdue) == (deemed, overdue)
    assert schedule.overdue_since == datetime(2024, 2, 10, tzinfo=IST)


def test_a_reply_in_time_or_late_ends_the_refusal():
    in_time = rti_schedule(
        RTIFacts(received_on=D(2024, 1, 10), reply_received_on=D(2024, 2, 9)), today=LATER
    )
    late = rti_schedule(
        RTIFacts(received_on=D(2024, 1, 10), reply_received_on=D(2024, 3, 1)), today=LATER
    )
    assert in_time.get("decision").state == "met" and late.get("decision").state == "late"
    assert not in_time.deemed_refused and not late.deemed_refused
    assert in_time.overdue_since is None and not late.overdue


def test_an_unpaid_fee_stops_the_clock_and_a_late_fee_letter_does_not():
    unpaid = rti_schedule(
        RTIFacts(received_on=D(2024, 1, 10), fee_requested_on=D(2024, 1, 20)), today=LATER
    )
    assert unpaid.get("decision").state == "paused" and unpaid.get("decision").due is None
    assert unpaid.paused_since == D(2024, 1, 20) and not unpaid.deemed_refused
    late_letter = rti_schedule(
        RTIFacts(
            received_on=D(2024, 1, 10), fee_requested_on=D(2024, 2, 15), fee_paid_on=D(2024, 2, 20)
        ),
        today=LATER,
    )
    assert late_letter.get("decision").due == D(2024, 2, 9)
    assert "fee_requested_late" in late_letter.flags


@pytest.mark.parametrize(
    "received_at,due_at,due_date",
    [
        # The worked example: received 2024-03-01 10:00, due 2024-03-03 10:00.
        (
            datetime(2024, 3, 1, 10, 0, tzinfo=IST),
            datetime(2024, 3, 3, 10, 0, tzinfo=IST),
            D(2024, 3, 3),
        ),
        # 20:00 UTC is 01:30 the next day in India: the due date is an Indian date.
        (
            datetime(2024, 3, 1, 20, 0, tzinfo=UTC),
            datetime(2024, 3, 4, 1, 30, tzinfo=IST),
            D(2024, 3, 4),
        ),
        # A naive time means India's; across the end of February in a leap year.
        (datetime(2024, 2, 28, 23, 30), datetime(2024, 3, 1, 23, 30, tzinfo=IST), D(2024, 3, 1)),
    ],
)
def test_life_or_liberty_is_48_hours_in_india(received_at, due_at, due_date):
    schedule = rti_schedule(
        RTIFacts(received_at=received_at, life_or_liberty=True), today=D(2024, 1, 1)
    )
    decision = schedule.get("decision")
    assert decision.due_at == due_at and decision.due_at.utcoffset() == due_at.utcoffset()
    assert decision.due == due_date and decision.section == "7(1) proviso"
    assert schedule.deemed_refused_from == due_at


def test_life_or_liberty_overdue_by_the_hour_across_midnight_ist():
    facts = RTIFacts(received_at=datetime(2024, 3, 1, 23, 30, tzinfo=IST), life_or_liberty=True)
    before = datetime(2024, 3, 3, 23, 0, tzinfo=IST)
    after = datetime(2024, 3, 4, 0, 10, tzinfo=IST)  # still 2024-03-03 in UTC
    assert after.astimezone(UTC).date() == D(2024, 3, 3)
    assert not rti_schedule(facts, today=before.date(), now=before).overdue
    late = rti_schedule(facts, today=after.date(), now=after)
    assert late.overdue and late.deemed_refused
    assert late.overdue_since == datetime(2024, 3, 3, 23, 30, tzinfo=IST)


HOLIDAYS = WorkingCalendar(frozenset({D(2024, 8, 15), D(2024, 8, 16)}))


@pytest.mark.parametrize(
    "facts,key,calendar,expected",
    [
        # The worked example: first appeal due Sunday 2024-03-10, or Monday the 11th.
        (RTIFacts(received_on=D(2024, 1, 10)), "first_appeal", None, D(2024, 3, 10)),
        (RTIFacts(received_on=D(2024, 1, 10)), "first_appeal", HOLIDAYS, D(2024, 3, 11)),
        # Due on Independence Day (Thursday); the 16th is a holiday too, the 17th a Saturday.
        (RTIFacts(received_on=D(2024, 7, 16)), "decision", None, D(2024, 8, 15)),
        (RTIFacts(received_on=D(2024, 7, 16)), "decision", HOLIDAYS, D(2024, 8, 17)),
        # A working day does not move.
        (RTIFacts(received_on=D(2024, 1, 10)), "decision", HOLIDAYS, D(2024, 2, 9)),
    ],
)
def test_next_working_day_option(facts, key, calendar, expected):
    deadline = rti_schedule(facts, today=LATER, calendar=calendar).get(key)
    assert deadline.due == expected
    moved = deadline.calendar_due is not None
    assert moved == (calendar is not None and expected.day in (11, 17))


def test_working_day_option_chains_from_the_moved_date():
    """The first appeal counts from the expiry of the (moved) deadline."""
    schedule = rti_schedule(RTIFacts(received_on=D(2024, 7, 16)), today=LATER, calendar=HOLIDAYS)
    assert schedule.get("decision").calendar_due == D(2024, 8, 15)
    assert schedule.get("first_appeal").due == D(2024, 9, 16)  # 2024-09-16 is a Monday
    assert "next_working_day" in schedule.flags


def test_next_deadline_and_states_as_of_today():
    facts = RTIFacts(received_on=D(2024, 1, 10), first_appeal_filed_on=D(2024, 3, 1))
    schedule = rti_schedule(facts, today=D(2024, 3, 5))
    assert schedule.get("decision").state == "overdue"
    assert schedule.get("first_appeal").state == "met"
    assert schedule.next_deadline.key == "first_appeal_decision"
    closed = rti_schedule(
        RTIFacts(received_on=D(2024, 1, 10), closed_on=D(2024, 1, 20)), today=LATER
    )
    assert not closed.overdue and closed.overdue_since is None
    assert closed.get("decision").state == "closed"


def test_schedule_as_dict_is_iso_8601_with_sections():
    body = schedule_as_dict(
        rti_schedule(
            RTIFacts(received_at=datetime(2024, 3, 1, 10, 0), life_or_liberty=True),
            today=D(2024, 3, 2),
        )
    )
    decision = body["deadlines"][0]
    assert decision["due_at"] == "2024-03-03T10:00:00+05:30"
    assert decision["due"] == "2024-03-03" and decision["section"] == "7(1) proviso"
    assert body["flags_used"] == ["life_or_liberty"] and body["overdue"] is False


def test_today_is_an_indian_date():
    from tracker.rti.laws import law_today

    assert law_today(now=datetime(2024, 3, 1, 20, 0, tzinfo=UTC)) == D(2024, 3, 2)
    assert law_today(now=datetime(2024, 3, 1, 18, 29, tzinfo=UTC)) == D(2024, 3, 1)


@pytest.mark.parametrize(
    "facts,faa_due,premature",
    [
        # Filed once the PIO's time ran out: the appellate authority's 30 days run from it.
        (
            RTIFacts(received_on=D(2024, 1, 10), first_appeal_filed_on=D(2024, 2, 15)),
            D(2024, 3, 16),
            False,
        ),
        # Filed early with no reply: it counts from the first day of the deemed refusal.
        (
            RTIFacts(received_on=D(2024, 1, 10), first_appeal_filed_on=D(2024, 2, 1)),
            D(2024, 3, 11),
            True,
        ),
        # Filed early, then a reply came before the deadline: it counts from the reply.
        (
            RTIFacts(
                received_on=D(2024, 1, 10),
                first_appeal_filed_on=D(2024, 2, 1),
                reply_received_on=D(2024, 2, 5),
            ),
            D(2024, 3, 6),
            True,
        ),
        # Filed early while a further fee is unpaid: nothing counts yet.
        (
            RTIFacts(
                received_on=D(2024, 1, 10),
                fee_requested_on=D(2024, 1, 20),
                first_appeal_filed_on=D(2024, 2, 1),
            ),
            None,
            True,
        ),
    ],
)
def test_a_first_appeal_filed_before_the_pios_time_ran_out(facts, faa_due, premature):
    """s.19(1): an appeal lies against a decision, or its absence once the time has
    expired. A premature one takes effect when its ground arises; the PIO still owes
    the decision meanwhile, and the appeal window counts as used."""
    schedule = rti_schedule(facts, today=D(2024, 2, 3))
    decision = schedule.get("decision")
    assert ("first_appeal_premature" in schedule.flags) == premature
    faa = schedule.get("first_appeal_decision")
    assert (faa.due if faa else None) == faa_due
    if facts.reply_received_on is None and decision.due is not None:
        later = rti_schedule(facts, today=D(2024, 2, 12))
        assert later.deemed_refused and later.overdue  # the early appeal excused nothing
    if faa_due is not None:
        assert schedule.get("first_appeal").state == "met"
