"""Gazetted holidays for the next-working-day option, read from CSV files.

``fixtures/holidays-in.csv`` ships the Central Government's gazetted holidays;
an operator adds their own (a state's holidays, next year's list) in the file
named by the ``RTI_HOLIDAYS_FILE`` setting, same format: ``date,name`` with an
ISO date, ``#`` lines are comments. The engine itself never reads files: it is
given the ``WorkingCalendar`` built here.
"""

import csv
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from .deadlines import WorkingCalendar

BUNDLED = Path(settings.BASE_DIR) / "fixtures" / "holidays-in.csv"


class HolidayFileError(ValueError):
    pass


def holidays_read(path: Path) -> dict:
    """``{date: name}`` from one holidays file; a bad line raises with its number."""
    holidays = {}
    with Path(path).open(encoding="utf-8", newline="") as handle:
        for line_number, row in enumerate(csv.reader(handle), start=1):
            if not row or not row[0].strip() or row[0].lstrip().startswith("#"):
                continue
            if row[0].strip() == "date":
                continue
            try:
                day = date.fromisoformat(row[0].strip())
            except ValueError:
                raise HolidayFileError(
                    f"{path}: line {line_number}: {row[0]!r} is not a date like 2024-01-26"
                ) from None
            holidays[day] = row[1].strip() if len(row) > 1 else ""
    return holidays


@lru_cache(maxsize=4)
def _calendar(paths: tuple) -> WorkingCalendar:
    days = set()
    for path in paths:
        days.update(holidays_read(path))
    return WorkingCalendar(frozenset(days))


def working_calendar() -> WorkingCalendar:
    """Sundays plus the bundled and the operator's holidays."""
    paths = [BUNDLED]
    extra = getattr(settings, "RTI_HOLIDAYS_FILE", "")
    if extra:
        paths.append(Path(extra))
    return _calendar(tuple(paths))
