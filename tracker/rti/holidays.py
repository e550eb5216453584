"""Gazetted holidays for the next-working-day option: 2005 to 2035, as data.

The days come from the ``holidays`` package (India's public holidays for every
year of ``CALENDAR_YEARS``), then two files override them, in order:
``fixtures/holidays-in.csv`` (the Central Government's own lists, from the
Department of Personnel and Training's memoranda) and the file named by the
``RTI_HOLIDAYS_FILE`` setting (an operator's: a state's holidays, a date the
government moved). A file's lines:

- ``2024-01-26,Republic Day`` adds a holiday (or renames one);
- ``-2024-04-14,reason`` removes one;
- ``2024,reason`` says the file lists that whole year: the package's days of
  that year are dropped and only the file's count.

``#`` lines are comments. The engine never reads files: it is given the
``WorkingCalendar`` built here. The stored due dates were counted with one
calendar; ``rti_calendar_apply`` counts open requests again when it changes
(after ``migrate``, from the ``rti_calendar_apply`` command and an hourly task).
"""

import csv
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import holidays as holidays_package
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from .deadlines import WorkingCalendar

BUNDLED = Path(settings.BASE_DIR) / "fixtures" / "holidays-in.csv"
CALENDAR_YEARS = range(2005, 2036)
YEAR = re.compile(r"^\d{4}$")


class HolidayFileError(ValueError):
    pass


@dataclass
class HolidayFile:
    added: dict = field(default_factory=dict)  # {date: name}
    removed: set = field(default_factory=set)
    whole_years: set = field(default_factory=set)


def holidays_read(path: Path) -> HolidayFile:
    """One holidays file; a bad line raises with its number."""
    found = HolidayFile()
    try:
        handle = Path(path).open(encoding="utf-8", newline="")
    except OSError as error:
        raise HolidayFileError(f"{path}: cannot be read ({error.strerror})") from None
    with handle:
        try:
            rows = list(enumerate(csv.reader(handle), start=1))
        except (UnicodeDecodeError, csv.Error) as error:
            raise HolidayFileError(f"{path}: not a UTF-8 CSV file ({error})") from None
    for line_number, row in rows:
        cell = row[0].strip() if row else ""
        if not cell or cell.startswith("#") or cell == "date":
            continue
        name = row[1].strip() if len(row) > 1 else ""
        if YEAR.match(cell):
            found.whole_years.add(int(cell))
            continue
        removing = cell.startswith("-")
        try:
            day = date.fromisoformat(cell.removeprefix("-"))
        except ValueError:
            raise HolidayFileError(
                f"{path}: line {line_number}: {row[0]!r} is not a date like 2024-01-26"
            ) from None
        if removing:
            found.removed.add(day)
            found.added.pop(day, None)
        else:
            found.added[day] = name
            found.removed.discard(day)
    return found


@lru_cache(maxsize=1)
def package_holidays() -> dict:
    """India's public holidays from the ``holidays`` package, for every calendar year."""
    return dict(holidays_package.country_holidays("IN", years=CALENDAR_YEARS).items())


def _files():
    paths = [BUNDLED]
    extra = getattr(settings, "RTI_HOLIDAYS_FILE", "")
    if extra:
        paths.append(Path(extra))
    return paths


def _stamp(path):
    """What identifies a file's version: a change to it is seen at the next call."""
    try:
        stat = Path(path).stat()
    except OSError:
        return (str(path), None, None)
    return (str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _holidays(stamps: tuple) -> tuple:
    days = dict(package_holidays())
    for path, _mtime, _size in stamps:
        found = holidays_read(Path(path))
        days = {d: n for d, n in days.items() if d.year not in found.whole_years}
        for day in found.removed:
            days.pop(day, None)
        days.update(found.added)
    return tuple(sorted(days.items()))


def calendar_holidays() -> dict:
    """``{date: name}``: the package's holidays with both files' overrides."""
    return dict(_holidays(tuple(_stamp(p) for p in _files())))


def working_calendar() -> WorkingCalendar:
    """Sundays plus the calendar's holidays."""
    return WorkingCalendar(frozenset(calendar_holidays()))


def calendar_fingerprint() -> str:
    """What the stored due dates depend on: the option and, when it is on, the days."""
    days = (
        ",".join(d.isoformat() for d in calendar_holidays())
        if settings.RTI_NEXT_WORKING_DAY
        else ""
    )
    text = f"next_working_day={settings.RTI_NEXT_WORKING_DAY};{days}"
    return hashlib.sha256(text.encode()).hexdigest()


def rti_calendar_apply(*, force: bool = False) -> int | None:
    """Count open requests again if the calendar changed since they were counted.

    Returns how many requests' dates changed, or None when the calendar is the one
    already applied. The first run (no calendar recorded yet) counts every request.
    """
    from ..models import RTICalendarState, RTIRequest
    from .lifecycle import rti_request_refresh

    fingerprint = calendar_fingerprint()
    with transaction.atomic():
        state = RTICalendarState.objects.select_for_update().filter(key="site").first()
        if state is not None and state.fingerprint == fingerprint and not force:
            return None
        requests = RTIRequest.objects.all()
        if state is not None:
            requests = requests.filter(closed_on__isnull=True)
        changed = 0
        for rti_request in requests.order_by("pk").iterator(chunk_size=500):
            changed += rti_request_refresh(
                rti_request=rti_request, reason=_("The holiday calendar changed")
            )
        RTICalendarState.objects.update_or_create(key="site", defaults={"fingerprint": fingerprint})
    return changed
