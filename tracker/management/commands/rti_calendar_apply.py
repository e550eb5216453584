"""Count open RTI requests' due dates again after the holidays changed.

Run it after editing the file named by RTI_HOLIDAYS_FILE (an hourly task and
every ``migrate`` also do it): only a changed calendar recounts anything.
"""

from django.core.management.base import BaseCommand, CommandError

from tracker.rti.holidays import HolidayFileError, calendar_holidays, rti_calendar_apply


class Command(BaseCommand):
    help = "Count open RTI requests again if the holiday calendar changed."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Count them again even if nothing changed."
        )

    def handle(self, *args, force=False, **options):
        try:
            days = calendar_holidays()
            changed = rti_calendar_apply(force=force)
        except HolidayFileError as error:
            raise CommandError(str(error)) from None
        years = sorted({day.year for day in days})
        span = f"{years[0]}-{years[-1]}" if years else "none"
        if changed is None:
            self.stdout.write(f"Holiday calendar unchanged ({len(days)} holidays, {span}).")
        else:
            self.stdout.write(
                f"Holiday calendar applied ({len(days)} holidays, {span}): "
                f"{changed} requests' due dates changed."
            )
