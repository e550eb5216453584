"""Fill the database with synthetic data for benchmarks (see tracker/synthetic.py)."""

from django.core.management.base import BaseCommand, CommandError

from tracker.ingest.synthetic import AlreadyGenerated, synthetic_dataset_generate


class Command(BaseCommand):
    help = "Generate N synthetic deployments (with agencies, sources, hotspots, RTI requests)."

    def add_arguments(self, parser):
        parser.add_argument("--deployments", type=int, required=True, help="How many to create.")
        parser.add_argument(
            "--hotspots",
            type=int,
            default=None,
            help="How many hotspots (camera points) to load with COPY "
            "(default: one per 20 deployments, linked to them).",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed (same seed, same data)."
        )

    def handle(self, *args, deployments, seed, hotspots, **options):
        if deployments < 0:
            raise CommandError("--deployments must be zero or more")
        if hotspots is not None and hotspots < 0:
            raise CommandError("--hotspots must be zero or more")
        try:
            created = synthetic_dataset_generate(
                deployments=deployments,
                seed=seed,
                hotspots=hotspots,
                log=lambda line: self.stdout.write(line) if options["verbosity"] > 1 else None,
            )
        except AlreadyGenerated as error:
            raise CommandError(f"{error}; use another --seed or a fresh database") from None
        self.stdout.write(f"Generated {created} synthetic deployments (seed {seed}).")
