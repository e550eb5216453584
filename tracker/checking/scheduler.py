"""The one scheduler of source checks: ``check_sources`` and each Celery group task run it.

It fetches a group of claimed sources concurrently: each host gets at most
its FETCH_PER_HOST lanes, each holding one of the host's Redis slots (which
keep the limit across workers) and fetching the host's sources one after
another, so no thread waits on a busy host while another host idles. Threads only fetch; the
calling thread records what has finished, a batch at a time, so one database
connection does all the writing in few statements. Every check ends in a
recorded outcome: one that outlives its budget is recorded as an ``error``
(which releases its claim) and its thread is left to finish on its own, and
a Celery soft time limit records whatever is left the same way. Checks that
could not reach their host wait until every host of the group has answered
once, then go to the outage guard.
"""

import logging
import queue
import time
from collections import Counter, defaultdict, deque
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from ..models import Source
from . import host_limit as limits
from . import outage
from .outcomes import check_error, source_fetch
from .records import source_checks_record, source_claim_release

logger = logging.getLogger(__name__)

MAX_WORKERS = 128
RECORD_EVERY_SECONDS = 0.05
# Beyond the fetch's own budget (and a wait for a slot), time to read the page.
CHECK_GRACE_SECONDS = 10
# How the sweep splits a round into group tasks: at most this many sources of one host
# in a group (so a group's time stays bounded), at most this many sources in all.
HOST_CHUNK = 40
GROUP_MAX_SOURCES = 500


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def check_budget_seconds() -> float:
    """The longest one check may take before it is given up as an error (a lane's wait
    for its host's slot comes before, and is bounded by FETCH_SLOT_WAIT)."""
    return settings.FETCH_TOTAL_TIMEOUT + CHECK_GRACE_SECONDS


def check_groups(claimed_urls) -> list[list]:
    """Split ``[(source_id, claim, url)]`` into groups for one task each: a host's sources
    stay together (in chunks of HOST_CHUNK), groups hold up to GROUP_MAX_SOURCES."""
    by_host = defaultdict(list)
    for source_id, claim, url in claimed_urls:
        by_host[host_of(url)].append((source_id, claim))
    chunks = [
        sources[i : i + HOST_CHUNK]
        for sources in by_host.values()
        for i in range(0, len(sources), HOST_CHUNK)
    ]
    chunks.sort(key=len, reverse=True)
    count = max(1, -(-sum(map(len, chunks)) // GROUP_MAX_SOURCES))
    groups = [[] for _ in range(count)]
    for chunk in chunks:  # largest first, into the emptiest group: balanced groups
        min(groups, key=len).extend(chunk)
    return [group for group in groups if group]


def group_time_limits(group_size: int) -> tuple[int, int]:
    """(soft, hard) Celery time limits for a group of ``group_size`` sources."""
    rounds = -(-min(group_size, HOST_CHUNK) // max(1, settings.FETCH_PER_HOST))
    soft = int(rounds * (settings.FETCH_TOTAL_TIMEOUT + CHECK_GRACE_SECONDS)) + 60
    soft += int(settings.FETCH_SLOT_WAIT)
    return soft, soft + 30


def sources_check(claimed, *, workers: int | None = None, progress=None) -> Counter:
    """Check ``[(source_id, claim)]`` and record each check; a Counter of what happened.

    ``progress`` (if given) is called once per source finished.
    """
    rows = {
        pk: (url, etag, last_modified, fingerprint, claimed_at)
        for pk, url, etag, last_modified, fingerprint, claimed_at in Source.objects.filter(
            pk__in=[pk for pk, _ in claimed]
        ).values_list("pk", "url", "etag", "last_modified", "fingerprint", "check_claimed_at")
    }
    outcomes = Counter()
    waiting = defaultdict(deque)  # host -> claimed sources not yet sent
    for pk, claim in claimed:
        if pk in rows and rows[pk][4] == claim:
            waiting[host_of(rows[pk][0])].append((pk, claim))
        else:  # recorded already (a repeated delivery) or taken over by a later round
            outcomes["skipped (claim lost)"] += 1
            if progress:
                progress()
    if not waiting:
        return outcomes
    run = _Run(rows, waiting, outcomes, progress, round_id=claimed[0][1].isoformat())
    per_host = max(1, settings.FETCH_PER_HOST)
    workers = workers or min(MAX_WORKERS, max(1, len(waiting) * per_host))
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="source-check")
    try:
        run.go(pool, per_host)
    except SoftTimeLimitExceeded:
        run.give_up_all("stopped by the task's time limit")
        raise
    finally:
        # Threads given up on finish by themselves (every fetch has a deadline).
        pool.shutdown(wait=False, cancel_futures=True)
    return outcomes


class _Run:
    """The state of one ``sources_check`` call.

    Each host gets up to FETCH_PER_HOST lanes: a lane holds one of the host's
    Redis slots and fetches that host's sources one after another, so the
    per-host limit costs two Redis calls per lane rather than per fetch.
    """

    def __init__(self, rows, waiting, outcomes, progress, *, round_id):
        self.rows, self.waiting, self.outcomes = rows, waiting, outcomes
        self.progress, self.round_id = progress, round_id
        self.running = {}  # source id -> (claim, host, given up after, lane); lanes write it
        self.lanes = {}  # lane -> host, for lanes still running and not given up on
        self.abandoned, self.given_up = set(), set()
        self.next_lane = 0
        self.finished = queue.SimpleQueue()
        self.batch = []  # (pk, claim, fetched) ready to record
        self.unreached = []  # network failures, waiting for the outage guard
        self.silent_hosts = set(waiting)  # hosts not yet heard from once
        self.reached, self.failed_hosts = set(), set()
        self.offline = None  # the guard's judgement, once made

    def go(self, pool, per_host):
        self.pool = pool
        for host in list(self.waiting):
            for _ in range(min(per_host, len(self.waiting[host]))):
                self.start_lane(host)
        recorded_at = time.monotonic()
        while self.lanes:
            overdue = [give_up for _, _, give_up, _ in list(self.running.values())]
            wait = min(overdue, default=time.monotonic() + 1) - time.monotonic()
            try:
                done = [self.finished.get(timeout=max(0.0, min(wait, RECORD_EVERY_SECONDS)))]
            except queue.Empty:
                done = []
            while not self.finished.empty():
                done.append(self.finished.get())
            for message in done:
                self.take(*message)
            self.give_up_overdue()
            self.judge_unreached()
            if self.batch and (
                not self.lanes or time.monotonic() - recorded_at >= RECORD_EVERY_SECONDS
            ):
                self.record()
                recorded_at = time.monotonic()
        self.judge_unreached(final=True)
        if self.offline is None and self.reached:  # all answered: the checker is online
            outage.checker_judge(self.round_id, reached=self.reached)
        self.record()

    def start_lane(self, host):
        lane = self.next_lane = self.next_lane + 1
        self.lanes[lane] = host
        self.pool.submit(self.lane, host, lane)

    def lane(self, host, lane):
        """In a pool thread: fetch the host's waiting sources one by one, holding a slot."""
        try:
            lease = settings.FETCH_TOTAL_TIMEOUT + 10
            with limits.host_slot_held(host, lease_seconds=lease) as slot:
                while lane not in self.abandoned:
                    try:
                        pk, claim = self.waiting[host].popleft()
                    except IndexError:
                        break
                    url, etag, last_modified, fingerprint, _ = self.rows[pk]
                    give_up = time.monotonic() + check_budget_seconds()
                    self.running[pk] = (claim, host, give_up, lane)
                    try:
                        fetched = source_fetch(
                            url=url,
                            etag=etag,
                            last_modified=last_modified,
                            fingerprint=fingerprint,
                            held_slot=slot,
                        )
                    except Exception as exc:  # infrastructure (Redis, a slot for a redirect)
                        self.finished.put(("failed", lane, host, pk, claim, exc))
                    else:
                        self.finished.put(("result", lane, host, pk, claim, fetched))
        except Exception as exc:  # no slot for the host in time, or Redis down
            self.finished.put(("failed", lane, host, None, None, exc))
        finally:
            self.finished.put(("end", lane, host, None, None, None))

    def take(self, kind, lane, host, pk, claim, value):
        if kind == "end":
            self.lanes.pop(lane, None)
            if lane not in self.abandoned and self.waiting[host] and host not in self.lanes_of():
                self.release_waiting(host, "no lane left for the host")
            return
        if pk is None:  # the lane never got a slot: its sources wait for another lane
            logger.warning("no slot for %s: %s", host, value)
            return
        if pk in self.given_up:  # given up on already, and recorded as an error
            return
        self.running.pop(pk, None)
        self.silent_hosts.discard(host)
        if kind == "failed":
            self.release(pk, claim, value)
        elif value.network_failure:
            self.unreached.append((pk, claim, value))
            self.failed_hosts.add(host)
        else:
            if not value.blocked:
                self.reached.add(host)
            self.batch.append((pk, claim, value))

    def lanes_of(self):
        return set(self.lanes.values())

    def release(self, pk, claim, reason):
        """Give a claim back unchecked (not the source's fault): the next round takes it."""
        source_claim_release(source_id=pk, claim=claim)
        self.outcomes["not checked (error)"] += 1
        logger.warning("source %s not checked: %s", pk, reason)
        if self.progress:
            self.progress()

    def release_waiting(self, host, reason):
        while self.waiting[host]:
            pk, claim = self.waiting[host].popleft()
            self.release(pk, claim, reason)

    def give_up_overdue(self):
        now = time.monotonic()
        for pk, (claim, host, give_up, lane) in list(self.running.items()):
            if now >= give_up and pk not in self.given_up:
                self.given_up.add(pk)
                self.running.pop(pk, None)
                self.silent_hosts.discard(host)
                self.batch.append(
                    (pk, claim, check_error(f"gave up after {check_budget_seconds():g} s"))
                )
                # Its thread finishes on its own; a fresh lane takes the host's other sources.
                self.abandoned.add(lane)
                self.lanes.pop(lane, None)
                if self.waiting[host]:
                    self.start_lane(host)

    def give_up_all(self, reason):
        """Record every check not yet recorded as an error (the time limit is here)."""
        self.abandoned.update(self.lanes)
        self.lanes.clear()
        for pk, (claim, _, _, _) in list(self.running.items()):
            if pk not in self.given_up:
                self.given_up.add(pk)
                self.batch.append((pk, claim, check_error(reason)))
        self.running.clear()
        self.batch.extend((pk, claim, check_error(reason)) for pk, claim, _ in self.unreached)
        self.unreached = []
        for queued in self.waiting.values():
            while queued:
                pk, claim = queued.popleft()
                self.batch.append((pk, claim, check_error(reason)))
        self.record()

    def judge_unreached(self, final=False):
        """Once every host has answered once (or at the end), ask the outage guard about
        the checks that could not reach their host."""
        if not self.unreached or (self.silent_hosts and not final):
            return
        if self.offline is None or final:
            self.offline = outage.checker_judge(
                self.round_id, reached=self.reached, unreached=self.failed_hosts
            )
        for _, _, fetched in self.unreached:
            fetched.offline = self.offline
        self.batch.extend(self.unreached)
        self.unreached = []

    def record(self):
        if not self.batch:
            return
        batch, self.batch = self.batch, []
        try:
            recorded = source_checks_record(batch)
        except BaseException:  # e.g. the soft time limit, mid-statement: record them after
            self.batch = batch + self.batch
            raise
        for pk, _, _ in batch:
            check = recorded.get(pk)
            self.outcomes[check.outcome if check else "skipped (claim lost)"] += 1
            if self.progress:
                self.progress()
