"""Write the whole published dataset to a directory: CSV and GeoJSON per entity,
plus a Frictionless datapackage.json describing every column."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.exports.datasets import EXPORTS, csv_chunks, datapackage, geojson_chunks


class Command(BaseCommand):
    help = "Export published data as CSV + GeoJSON files with a Frictionless datapackage.json."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Directory to write into (created if missing).")

    def handle(self, *args, directory, **options):
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

    def write(self, path, chunks):
        """Write to a temporary name first, so a failed export never leaves half a file."""
        partial = path.with_suffix(path.suffix + ".partial")
        with partial.open("wb") as out:
            for chunk in chunks:
                out.write(chunk)
        partial.replace(path)
        return path.name
