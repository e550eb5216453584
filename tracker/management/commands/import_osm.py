from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.ingest.osm import OsmImportError, osm_import


class Command(BaseCommand):
    help = (
        "Import OpenStreetMap's surveillance cameras from an extract (.osm.pbf, .osm, or an "
        ".osc change file) into their own layer, matched to hotspots. All or nothing; "
        "re-running with a newer extract updates changed cameras and marks deleted ones."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--allow-mass-deletion",
            action="store_true",
            help="Apply an extract even though it lacks most of the cameras already imported "
            "in its area.",
        )

    def handle(self, *args, file, allow_mass_deletion, **options):
        try:
            report = osm_import(path=file, allow_mass_deletion=allow_mass_deletion)
        except OsmImportError as error:
            raise CommandError(f"{error} (nothing was imported)") from error
        if report.skipped_ways:
            self.stderr.write(
                f"warning: {report.skipped_ways} camera ways had none of their nodes in the "
                "extract and were left out"
            )
        self.stdout.write(
            f"Read {report.cameras_read} cameras: {report.added} added, {report.changed} "
            f"changed, {report.deleted} marked deleted; {report.live} in the layer, "
            f"{report.matched} matched to hotspots ({report.seconds:.1f} s)."
        )
