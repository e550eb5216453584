"""One check of one source: fetch it (network only) and decide its health (a pure rule)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from ..models import ReviewItem, SourceHealth
from . import fetch as fetcher
from .text import fingerprint, readable_text

FAILURES_BEFORE_BROKEN = 3
GONE_STATUSES = frozenset({404, 410})
MAX_BACKOFF = timedelta(days=7)

# ---------------------------------------------------------------- fetching


@dataclass
class Fetched:
    """What one fetch found; plain data, no database."""

    status: int | None = None
    final_url: str = ""
    fingerprint: str = ""
    text: str = ""
    bytes: int = 0
    duration_ms: int = 0
    error: str = ""
    blocked: bool = False
    etag: str = ""
    last_modified: str = ""


def source_fetch(*, url: str, etag: str = "", last_modified: str = "") -> Fetched:
    """Fetch a source URL and read it; failures become data, never exceptions
    (except ``limits.SlotTimeout``, which says nothing about the source)."""
    started = timezone.now()
    try:
        result = fetcher.fetch(url, etag=etag, last_modified=last_modified)
    except fetcher.FetchBlocked as exc:
        return Fetched(error=str(exc), blocked=True, duration_ms=_ms_since(started))
    except fetcher.FetchError as exc:
        return Fetched(error=str(exc), duration_ms=_ms_since(started))
    fetched = Fetched(
        status=result.status,
        final_url=result.final_url,
        bytes=len(result.body),
        duration_ms=result.duration_ms,
        etag=result.headers.get("etag", ""),
        last_modified=result.headers.get("last-modified", ""),
    )
    if 200 <= result.status < 300:
        text = readable_text(result.body, result.content_type)
        fetched.fingerprint = fingerprint(text=text, body=result.body)
        fetched.text = text or ""
        if result.truncated:
            fetched.error = f"stopped reading at {len(result.body)} bytes"
    elif result.status != 304:
        fetched.error = f"HTTP {result.status}"
    return fetched


def _ms_since(started: datetime) -> int:
    return int((timezone.now() - started).total_seconds() * 1000)


# ---------------------------------------------------------------- outcome rules


@dataclass
class Decision:
    outcome: str  # what this check found (SourceCheck.outcome)
    state: str  # the source's state afterwards
    fingerprint: str
    consecutive_failures: int
    review_reason: str | None  # raise review items for this reason, or not


def _site(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def source_check_outcome(
    *, url: str, state: str, fingerprint: str, consecutive_failures: int, fetched: Fetched
) -> Decision:
    """The rules, as a pure function of the source's health before and what the fetch found."""
    Reason = ReviewItem.Reason
    if fetched.blocked:
        reason = Reason.BLOCKED if state != SourceHealth.BLOCKED else None
        return Decision(SourceHealth.BLOCKED, SourceHealth.BLOCKED, fingerprint, 0, reason)
    ok_status = fetched.status is not None and (
        200 <= fetched.status < 300 or fetched.status == 304
    )
    if not ok_status:
        failures = consecutive_failures + 1
        if fetched.status in GONE_STATUSES or failures >= FAILURES_BEFORE_BROKEN:
            reason = Reason.BROKEN if state != SourceHealth.BROKEN else None
            return Decision(SourceHealth.BROKEN, SourceHealth.BROKEN, fingerprint, failures, reason)
        # Not yet broken: the source keeps its state until failures repeat.
        return Decision(state, state, fingerprint, failures, None)
    new_fingerprint = fetched.fingerprint or fingerprint  # a 304 keeps the old one
    if _site(fetched.final_url or url) != _site(url):
        reason = Reason.REDIRECTED if state != SourceHealth.REDIRECTED else None
        return Decision(SourceHealth.REDIRECTED, SourceHealth.REDIRECTED, new_fingerprint, 0, reason)
    if fingerprint and new_fingerprint != fingerprint:
        return Decision(
            SourceHealth.CHANGED, SourceHealth.CHANGED, new_fingerprint, 0, Reason.CHANGED
        )
    # An unreviewed change stays flagged until a moderator marks it reviewed.
    after = SourceHealth.CHANGED if state == SourceHealth.CHANGED else SourceHealth.OK
    return Decision(SourceHealth.OK, after, new_fingerprint, 0, None)


def next_check_after(*, round_started: datetime, state: str, consecutive_failures: int):
    """When the source is next due: one interval on, broken ones backing off up to a week."""
    interval = settings.SOURCE_CHECK_INTERVAL
    if state == SourceHealth.BROKEN:
        interval = min(interval * 2 ** max(consecutive_failures - 1, 0), MAX_BACKOFF)
    return round_started + interval
