"""Check sources now, without a Celery worker (the same checks the tasks run)."""

import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from tracker.checking import records as sources
from tracker.checking import scheduler
from tracker.models import Source


class Command(BaseCommand):
    help = (
        "Check sources synchronously: fetch them concurrently within the per-host limit, "
        "record each check, and print a summary of outcomes (the scheduler the Celery "
        "tasks use, with the same time budget per check)."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--due", action="store_true", help="sources due for a check (default)")
        which.add_argument("--all", action="store_true", help="every source, due or not")
        which.add_argument(
            "--id",
            type=int,
            action="append",
            dest="ids",
            metavar="N",
            help="this source (repeatable)",
        )
        parser.add_argument(
            "--workers", type=int, help="concurrent fetches (default: hosts × FETCH_PER_HOST)"
        )

    def handle(self, *args, due=False, all=False, ids=None, workers=None, **options):
        if workers is not None and workers < 1:
            raise CommandError("--workers must be at least 1")
        if ids:
            missing = sorted(
                set(ids) - set(Source.objects.filter(pk__in=ids).values_list("pk", flat=True))
            )
            if missing:
                raise CommandError(f"no source with id {', '.join(map(str, missing))}")
        claimed = sources.sources_claim(ids=ids, due_only=not (all or ids))
        outcomes = Counter()
        if ids:
            outcomes["skipped (being checked elsewhere)"] = len(set(ids)) - len(claimed)
        if claimed:
            self._check(claimed, workers, outcomes)
        self._summary(outcomes)

    def _check(self, claimed, workers, outcomes):
        progress = Progress(self.stderr, total=len(claimed))
        outcomes.update(
            scheduler.sources_check(claimed, workers=workers, progress=progress.advance)
        )
        progress.finish()

    def _summary(self, outcomes):
        total = sum(outcomes.values())
        rows = [(name, count) for name, count in sorted(outcomes.items()) if count]
        width = max([len("outcome"), *(len(name) for name, _ in rows)])
        self.stdout.write(f"{'outcome':<{width}}  {'sources':>7}")
        for name, count in rows:
            self.stdout.write(f"{name:<{width}}  {count:>7}")
        self.stdout.write(f"{'total':<{width}}  {total:>7}")


class Progress:
    """A one-line text progress bar, redrawn at most ten times a second."""

    WIDTH = 30

    def __init__(self, out, *, total):
        self.out, self.total, self.done = out, total, 0
        self.started = self.drawn_at = time.monotonic()
        self.interactive = out.isatty()

    def advance(self, count=1):
        self.done += count
        now = time.monotonic()
        if self.interactive and (now - self.drawn_at >= 0.1 or self.done == self.total):
            self.drawn_at = now
            self._draw()

    def _draw(self, end=""):
        filled = int(self.WIDTH * self.done / self.total) if self.total else self.WIDTH
        bar = "#" * filled + "." * (self.WIDTH - filled)
        elapsed = time.monotonic() - self.started
        self.out.write(f"\r[{bar}] {self.done}/{self.total} {elapsed:.1f} s", ending=end)
        self.out.flush()

    def finish(self):
        self._draw(end="\n")
