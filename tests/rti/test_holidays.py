"""The holidays behind the next-working-day option: bundled, extendable, checked."""

from datetime import date

import pytest

from tracker.rti.holidays import (
    HolidayFileError,
    calendar_holidays,
    holidays_read,
    rti_calendar_apply,
    working_calendar,
)


def test_bundled_holidays_and_an_operator_file(settings, tmp_path):
    settings.RTI_HOLIDAYS_FILE = ""
    calendar = working_calendar()
    assert not calendar.is_working_day(date(2024, 8, 15))  # Independence Day
    assert not calendar.is_working_day(date(2024, 3, 10))  # a Sunday
    assert calendar.is_working_day(date(2024, 3, 11))
    extra = tmp_path / "state-holidays.csv"
    extra.write_text("date,name\n# a state's own holiday\n2024-03-11,State foundation day\n")
    settings.RTI_HOLIDAYS_FILE = str(extra)
    assert working_calendar().next_working_day(date(2024, 3, 10)) == date(2024, 3, 12)


def test_a_bad_line_is_named(tmp_path):
    bad = tmp_path / "holidays.csv"
    bad.write_text("date,name\n2024-02-30,Not a day\n")
    with pytest.raises(HolidayFileError, match="line 2: '2024-02-30'"):
        holidays_read(bad)


def test_every_year_from_2005_to_2035_has_its_gazetted_holidays(settings):
    settings.RTI_HOLIDAYS_FILE = ""
    days = calendar_holidays()
    for year in range(2005, 2036):
        this_year = {d for d in days if d.year == year}
        assert {date(year, 1, 26), date(year, 8, 15), date(year, 10, 2)} <= this_year
        assert len(this_year) >= 12, year


def test_a_file_replaces_a_whole_year_removes_and_adds_days(settings, tmp_path):
    settings.RTI_HOLIDAYS_FILE = ""
    assert date(2030, 12, 25) in calendar_holidays()  # Christmas, from the package
    own = tmp_path / "holidays.csv"
    own.write_text(
        "date,name\n2030,our own list for 2030\n2030-01-26,Republic Day\n"
        "-2031-12-25,not this year\n2031-03-03,State day\n"
    )
    settings.RTI_HOLIDAYS_FILE = str(own)
    days = calendar_holidays()
    assert [d for d in days if d.year == 2030] == [date(2030, 1, 26)]
    assert date(2031, 12, 25) not in days and days[date(2031, 3, 3)] == "State day"
    # The bundled DoPT lists replace the package's 2024 and 2025 the same way.
    assert days[date(2024, 10, 31)] == "Diwali (Deepavali)"


@pytest.mark.django_db
def test_a_change_to_the_holidays_recounts_open_requests(settings, tmp_path):
    """Received 2024-06-10: decision due 2024-07-10, a Wednesday. Declaring it a holiday
    moves the open request's due date to the 11th, and only the open request's."""
    from io import StringIO

    from django.core.management import call_command

    from tests.support.data import rti_with_events
    from tracker.models import RTIRequest

    settings.RTI_NEXT_WORKING_DAY = True
    settings.RTI_HOLIDAYS_FILE = ""
    rti_calendar_apply()
    waiting = rti_with_events(received_on=date(2024, 6, 10), route="post")
    closed = rti_with_events(
        ("withdrawn", "2024-06-20"), received_on=date(2024, 6, 10), route="post"
    )
    assert waiting.decision_due_on == date(2024, 7, 10) == closed.decision_due_on
    assert rti_calendar_apply() is None  # nothing changed

    own = tmp_path / "holidays.csv"
    own.write_text("2024-07-10,A holiday declared later\n")
    settings.RTI_HOLIDAYS_FILE = str(own)
    out = StringIO()
    call_command("rti_calendar_apply", stdout=out)
    assert "1 requests' due dates changed" in out.getvalue()
    assert RTIRequest.objects.get(pk=waiting.pk).decision_due_on == date(2024, 7, 11)
    assert RTIRequest.objects.get(pk=closed.pk).decision_due_on == date(2024, 7, 10)
    reasons = RTIRequest.objects.get(pk=waiting.pk).history.values_list(
        "history_change_reason", flat=True
    )
    assert "The holiday calendar changed" in reasons


@pytest.mark.django_db
def test_the_command_names_a_bad_file_in_one_line(settings, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    bad = tmp_path / "holidays.csv"
    bad.write_text("2024-13-01,No such month\n")
    settings.RTI_HOLIDAYS_FILE = str(bad)
    with pytest.raises(CommandError, match="line 1: '2024-13-01' is not a date"):
        call_command("rti_calendar_apply")
    settings.RTI_HOLIDAYS_FILE = str(tmp_path / "missing.csv")
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("rti_calendar_apply")
