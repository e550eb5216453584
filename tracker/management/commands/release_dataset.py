"""Make an immutable, numbered dataset release under RELEASE_ROOT (also run monthly by beat
when RELEASE_SCHEDULE is set)."""

from django.core.management.base import BaseCommand, CommandError

from tracker.exports.releases import ReleaseError, dataset_release


class Command(BaseCommand):
    help = (
        "Release the published dataset: every CSV and GeoJSON file, datapackage.json, "
        "CITATION.cff, DataCite XML, SHA-256 checksums and a changelog, as one zip."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--name", help="the release's name, e.g. 2026.12.0 (default: the month's next)"
        )
        parser.add_argument(
            "--previous", help="the release the changelog compares with (default: the newest)"
        )

    def handle(self, *args, name=None, previous=None, **options):
        try:
            release = dataset_release(name=name, previous=previous)
        except ReleaseError as error:
            raise CommandError(str(error)) from None
        manifest = release.manifest
        self.stdout.write(
            f"Release {release.name}: {release.zip_path} ({manifest['zip']['bytes']} bytes, "
            f"SHA-256 {manifest['zip']['sha256']})"
        )
        against = manifest["previous"] or "nothing (the first release)"
        for entity, counts in manifest["changes"].items():
            self.stdout.write(
                f"  {entity}: {manifest['rows'][entity]} rows; against {against}: "
                f"{counts['added']} added, {counts['changed']} changed, "
                f"{counts['withdrawn']} withdrawn"
            )
