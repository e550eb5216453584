"""Check sources now, without a Celery worker (the same checks the tasks run)."""

import queue
import time
from collections import Counter, defaultdict, deque
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tracker.checking import outcomes as check_outcome
from tracker.checking import records as sources
from tracker.models import Source

MAX_WORKERS = 128
BATCH_SECONDS = 0.05


class Command(BaseCommand):
    help = (
        "Check sources synchronously: fetch them concurrently within the per-host limit, "
        "record each check, and print a summary of outcomes."
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
        rows = {
            pk: (url, etag, last_modified)
            for pk, url, etag, last_modified in Source.objects.filter(
                pk__in=[pk for pk, _ in claimed]
            ).values_list("pk", "url", "etag", "last_modified")
        }
        waiting = defaultdict(deque)  # host -> claimed sources not yet sent
        for pk, claim in claimed:
            waiting[urlsplit(rows[pk][0]).hostname].append((pk, claim))
        per_host = max(1, settings.FETCH_PER_HOST)
        workers = workers or min(MAX_WORKERS, max(1, len(waiting) * per_host))
        progress = Progress(self.stderr, total=len(claimed))
        # Each host gets at most its limit of fetches at a time, and the next as soon
        # as one ends: no thread sits waiting for a busy host while another host idles.
        # Threads only fetch; this thread records what has finished, a batch at a time,
        # so one database connection does all the writing in few queries.
        with ThreadPoolExecutor(max_workers=workers) as pool:
            pending = {}
            finished = queue.SimpleQueue()  # futures as they end, in O(1) each

            def send_next(host):
                if waiting[host]:
                    pk, claim = waiting[host].popleft()
                    url, etag, last_modified = rows[pk]
                    future = pool.submit(
                        check_outcome.source_fetch, url=url, etag=etag, last_modified=last_modified
                    )
                    pending[future] = (pk, claim, host)
                    future.add_done_callback(finished.put)

            for host in list(waiting):
                for _ in range(per_host):
                    send_next(host)
            batch, recorded_at = [], time.monotonic()
            while pending:
                done = [finished.get()]
                while not finished.empty():
                    done.append(finished.get())
                for future in done:
                    pk, claim, host = pending.pop(future)
                    send_next(host)
                    try:
                        batch.append((pk, claim, future.result()))
                    except Exception as exc:  # infrastructure (Redis, slot wait): next round
                        sources.source_claim_release(source_id=pk, claim=claim)
                        outcomes["not checked (error)"] += 1
                        self.stderr.write(f"\nsource {pk}: {exc}")
                    progress.advance()
                if batch and (not pending or time.monotonic() - recorded_at >= BATCH_SECONDS):
                    recorded = sources.source_checks_record(batch)
                    for pk, _, _ in batch:
                        check = recorded.get(pk)
                        outcomes[check.outcome if check else "skipped (claim lost)"] += 1
                    batch, recorded_at = [], time.monotonic()
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
