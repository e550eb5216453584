from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.ingest.csv_import import ImportFailed, deployments_import


class Command(BaseCommand):
    help = "Import deployments from a CSV file (format: README, 'Importing data'). All or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Validate and report, but change nothing."
        )

    def handle(self, *args, file, dry_run, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except FileNotFoundError as exc:
            raise CommandError(f"{file}: no such file") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file}: not UTF-8 text") from exc
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from exc
        try:
            report = deployments_import(text=text, dry_run=dry_run)
        except ImportFailed as failure:
            for error in failure.errors:
                self.stderr.write(error)
            raise CommandError(f"{file}: {failure}") from failure
        print_report(self, report, dry_run=dry_run)


def print_report(command, report, *, dry_run=False):
    """Say what an import created (or would create)."""
    verb = "Would create" if dry_run else "Created"
    for warning in report.warnings:
        command.stderr.write(f"warning: {warning}")
    for deployment in report.deployments:
        command.stdout.write(f"  + deployment: {deployment.title}")
    for agency in report.agencies:
        command.stdout.write(f"  + agency: {agency.name}")
    command.stdout.write(
        f"{verb} {len(report.deployments)} deployments, {len(report.agencies)} agencies, "
        f"{len(report.sources)} sources, {report.citations} citations, "
        f"{len(report.vendors)} vendors." + (" Nothing was changed (dry run)." if dry_run else "")
    )
