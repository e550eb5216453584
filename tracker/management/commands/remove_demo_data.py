from django.core.management.base import BaseCommand, CommandError

from tracker.ingest.demo import DemoDataInUse, demo_data_remove

SHOWN = 20


def _name(entry):
    return f"{entry._meta.verbose_name} {entry.pk} “{entry}”"


class Command(BaseCommand):
    help = (
        "Remove the demo data (every row flagged as demo, its citations, events and history, "
        "and demo sources no real entry cites). Refuses, changing nothing, while a real entry "
        "points at a demo one."
    )

    def handle(self, *args, **options):
        try:
            removed = demo_data_remove()
        except DemoDataInUse as error:
            lines = [
                f"  {_name(entry)}: {field} is the demo {_name(target)}"
                for entry, field, target in error.references[:SHOWN]
            ]
            if len(error.references) > SHOWN:
                lines.append(f"  ... and {len(error.references) - SHOWN} more")
            raise CommandError(
                "real entries point at demo entries; change them first (nothing was removed):\n"
                + "\n".join(lines)
            ) from None
        kept = removed.pop("sources kept")
        if not any(removed.values()) and not kept:
            self.stdout.write("No demo data; nothing removed.")
            return
        self.stdout.write(
            "Removed " + ", ".join(f"{n} {what}" for what, n in removed.items()) + "."
        )
        if kept:
            self.stdout.write(f"Kept {kept} demo sources that real entries cite, now as real ones.")
