"""Write the whole published dataset to a directory: CSV and GeoJSON per entity,
plus a Frictionless datapackage.json describing every column."""

import csv
import json
import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.catalogue.visibility import public_rows
from tracker.checking.archive import archive_root
from tracker.exports.datasets import (
    EXPORTS,
    csv_chunks,
    datapackage,
    geojson_chunks,
)
from tracker.models import Source, SourceVersion


class Command(BaseCommand):
    help = "Export published data as CSV + GeoJSON files with a Frictionless datapackage.json."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Directory to write into (created if missing).")
        parser.add_argument(
            "--with-archive",
            action="store_true",
            help="also copy the evidence archive's WARC files of published sources into "
            "archive/, with archive/versions.csv saying which record is which",
        )

    def handle(self, *args, directory, with_archive=False, **options):
        target = Path(directory)
        if target.exists() and not target.is_dir():
            raise CommandError(f"{target} exists and is not a directory")
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"cannot create {target}: {error.strerror}") from None

        files = {}
        for name, export in EXPORTS.items():
            queryset = export.queryset()
            files[name] = [self.write(target / f"{name}.csv", csv_chunks(export, queryset))]
            if export.geometry:
                path = target / f"{name}.geojson"
                files[name].append(self.write(path, geojson_chunks(export, queryset)))
        package = target / "datapackage.json"
        package.write_text(json.dumps(datapackage(files), indent=2, ensure_ascii=False) + "\n")
        self.stdout.write(f"Wrote {sum(map(len, files.values()))} files and {package}")
        if with_archive:
            self.export_archive(target / "archive")

    def export_archive(self, target):
        """The WARC files holding versions of published sources, and a manifest of them.

        A WARC file written for a group of checks may also hold a record of a
        source no published entry cites; files are copied whole, as they are.
        """
        versions = (
            SourceVersion.objects.filter(source__in=public_rows(Source))
            .select_related("source", "text")
            .order_by("source_id", "fetched_at", "id")
        )
        copied, missing = set(), 0
        target.mkdir(parents=True, exist_ok=True)
        manifest = target / "versions.csv"
        with manifest.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(
                ["source_id", "source_url", "fetched_at", "url", "http_status",
                 "text_sha256", "warc_file", "warc_offset", "warc_bytes"]
            )  # fmt: skip
            for version in versions.iterator(chunk_size=1000):
                if version.warc_path not in copied:
                    source_file = archive_root() / version.warc_path
                    if not source_file.is_file():
                        missing += 1
                        continue
                    destination = target / version.warc_path
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(source_file, destination)
                    copied.add(version.warc_path)
                writer.writerow(
                    [version.source_id, version.source.url, version.fetched_at.isoformat(),
                     version.url, version.http_status, version.text.sha256, version.warc_path,
                     version.warc_offset, version.warc_bytes]
                )  # fmt: skip
        self.stdout.write(f"Wrote {len(copied)} WARC files and {manifest}")
        if missing:
            self.stderr.write(f"{missing} archived versions skipped: their WARC file is missing")

    def write(self, path, chunks):
        """Write to a temporary name first, so a failed export never leaves half a file."""
        partial = path.with_suffix(path.suffix + ".partial")
        with partial.open("wb") as out:
            for chunk in chunks:
                out.write(chunk)
        partial.replace(path)
        return path.name
