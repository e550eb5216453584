"""The holidays behind the next-working-day option: bundled, extendable, checked."""

from datetime import date

import pytest

from tracker.rti.holidays import HolidayFileError, holidays_read, working_calendar


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
