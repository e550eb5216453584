"""The outage guard: tell "this link is dead" from "we cannot reach the internet".

With no outside network every host fails to resolve or connect, and without
this guard every cited source would turn "Link broken" within three sweeps.
A round of checks (one claim time) notes in Redis which hosts answered and
which could not be reached. When most hosts of the round could not be
reached, or the canary page (FETCH_CANARY_URL) cannot be fetched, the checker
counts itself offline: those checks are recorded as ``unreachable`` and
leave every source as it was. A single host that fails among many that
answer is that source failing.
"""

import time

from django.conf import settings
from django.utils import timezone

from ..models import CheckerStatus
from . import fetch as fetcher
from . import host_limit as limits

# Fewer hosts than this say too little: the round is judged by what else is known.
MIN_HOSTS = 4
# This share (or more) of a round's hosts unreachable: the checker is offline.
OUTAGE_SHARE = 0.75
CANARY_CACHE_SECONDS = 60
ROUND_KEY_SECONDS = 24 * 3600
_REACHED = "panoptic:round-reached:"
_UNREACHED = "panoptic:round-unreached:"


def checker_is_offline(
    *, reached: int, unreached: int, canary_failed: bool, known_offline: bool
) -> bool:
    """The rule, as a pure function of what a round saw so far."""
    if canary_failed:
        return True
    if reached + unreached >= MIN_HOSTS:
        return unreached >= OUTAGE_SHARE * (reached + unreached)
    if reached:
        return False
    return known_offline  # a few silent hosts: an outage already seen goes on


def round_hosts_note(round_id: str, *, reached=(), unreached=()) -> tuple[int, int]:
    """Add hosts to the round's tally; returns (hosts reached, hosts never reached)."""
    client = limits.redis_client()
    pipe = client.pipeline(transaction=False)
    for prefix, hosts in ((_REACHED, reached), (_UNREACHED, unreached)):
        if hosts:
            pipe.sadd(prefix + round_id, *hosts)
            pipe.expire(prefix + round_id, ROUND_KEY_SECONDS)
    pipe.scard(_REACHED + round_id)
    pipe.sdiff(_UNREACHED + round_id, _REACHED + round_id)
    *_, reached_count, never_reached = pipe.execute()
    return reached_count, len(never_reached)


_canary = {"checked_at": 0.0, "failed": False}


def canary_failed() -> bool:
    """True when FETCH_CANARY_URL is set and cannot be fetched (checked once a minute)."""
    url = settings.FETCH_CANARY_URL
    if not url:
        return False
    if time.monotonic() - _canary["checked_at"] > CANARY_CACHE_SECONDS:
        try:
            result = fetcher.fetch(url, max_bytes=64 * 1024)
            failed = not 200 <= result.status < 400
        except fetcher.FetchError:
            failed = True
        _canary.update(checked_at=time.monotonic(), failed=failed)
    return _canary["failed"]


def checker_judge(round_id: str, *, reached=(), unreached=()) -> bool:
    """Note the hosts, decide whether the checker is offline, and record it; True if so."""
    reached_count, unreached_count = round_hosts_note(
        round_id, reached=reached, unreached=unreached
    )
    status = CheckerStatus.current()
    canary = bool(unreached) and canary_failed()
    offline = checker_is_offline(
        reached=reached_count,
        unreached=unreached_count,
        canary_failed=canary,
        known_offline=status.offline_since is not None,
    )
    now = timezone.now()
    if offline and status.offline_since is None:
        reason = (
            "the canary page cannot be fetched"
            if canary
            else f"{unreached_count} of {reached_count + unreached_count} hosts unreachable"
        )
        CheckerStatus.objects.filter(pk=status.pk, offline_since__isnull=True).update(
            offline_since=now, offline_reason=reason
        )
    elif not offline and reached_count:
        CheckerStatus.objects.filter(pk=status.pk).update(
            offline_since=None, offline_reason="", last_online_at=now
        )
    return offline
