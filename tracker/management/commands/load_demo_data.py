from django.core.management.base import BaseCommand

from tracker.ingest.demo import demo_data_load

from .import_deployments import print_report


class Command(BaseCommand):
    help = "Load the demo data (sample deployments, the Lucknow hotspots case). Idempotent."

    def handle(self, *args, **options):
        report = demo_data_load()
        if report.created_anything:
            print_report(self, report)
        else:
            self.stdout.write("Demo data already loaded; nothing added.")
