"""One check of one source: fetch it (network only) and decide its health (a pure rule)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from ..models import ReviewItem, SourceCheckOutcome, SourceHealth
from . import fetch as fetcher
from .text import fingerprint as text_fingerprint
from .text import readable_text

FAILURES_BEFORE_BROKEN = 3
GONE_STATUSES = frozenset({404, 410})
MAX_BACKOFF = timedelta(days=7)
# What the database holds; a longer value is dropped (ETag, Last-Modified: a truncated
# validator would never match) or cut (URL, error).
ETAG_CHARS = 500
LAST_MODIFIED_CHARS = 100
URL_CHARS = 2000
ERROR_CHARS = 500

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
    # The host never answered (no DNS answer, no connection): an outage looks like this.
    network_failure: bool = False
    # The check could not judge the source (unreadable page, storage or time limit).
    check_error: bool = False
    # Set by the outage guard: the checker itself was offline during this check.
    offline: bool = False
    # Kept only when the text differs from the last check's, for the evidence archive.
    head: bytes = b""
    body: bytes = b""
    content_type: str = ""


def check_error(message: str, *, duration_ms: int = 0) -> Fetched:
    """A check that ended without judging its source; recorded as ``error``."""
    return Fetched(error=clean(message, ERROR_CHARS), check_error=True, duration_ms=duration_ms)


def clean(value: str, limit: int) -> str:
    """Text as the database can hold it: no NUL characters, at most ``limit`` characters."""
    return value.replace("\x00", "")[:limit]


def source_fetch(
    *, url: str, etag: str = "", last_modified: str = "", fingerprint: str = "", held_slot=None
) -> Fetched:
    """Fetch a source URL and read it; failures become data, never exceptions
    (except ``limits.SlotTimeout``, which says nothing about the source).

    ``fingerprint`` is the last check's: a response whose text differs keeps
    its raw bytes for the archive. ``held_slot``: see ``fetch``.
    """
    started = timezone.now()
    try:
        result = fetcher.fetch(url, etag=etag, last_modified=last_modified, held_slot=held_slot)
    except fetcher.FetchBlocked as exc:
        return Fetched(error=clean(str(exc), ERROR_CHARS), blocked=True, duration_ms=_ms(started))
    except fetcher.FetchError as exc:
        return Fetched(
            error=clean(str(exc), ERROR_CHARS),
            network_failure=not exc.reached_host,
            duration_ms=_ms(started),
        )
    try:
        return _read(result, previous_fingerprint=fingerprint)
    except Exception as exc:  # a page we cannot read must still end in a recorded check
        return check_error(f"could not read the page: {type(exc).__name__}: {exc}")


def _read(result, *, previous_fingerprint: str) -> Fetched:
    etag = result.headers.get("etag", "")
    last_modified = result.headers.get("last-modified", "")
    fetched = Fetched(
        status=result.status,
        final_url=clean(result.final_url, URL_CHARS),
        bytes=len(result.body),
        duration_ms=result.duration_ms,
        etag=etag if len(etag) <= ETAG_CHARS else "",
        last_modified=last_modified if len(last_modified) <= LAST_MODIFIED_CHARS else "",
        content_type=clean(result.content_type, 200),
    )
    if fetched.final_url != result.final_url:  # too long to store: keep what says where
        fetched.error = "the final URL was too long to store in full"
    if 200 <= result.status < 300:
        text = readable_text(result.body, result.content_type)
        fetched.fingerprint = text_fingerprint(text=text, body=result.body)
        fetched.text = text or ""
        if fetched.fingerprint != previous_fingerprint:
            fetched.head, fetched.body = result.head, result.body
        if result.truncated:
            fetched.error = f"stopped reading at {len(result.body)} bytes"
    elif result.status != 304:
        fetched.error = f"HTTP {result.status}"
    return fetched


def _ms(started: datetime) -> int:
    return int((timezone.now() - started).total_seconds() * 1000)


# ---------------------------------------------------------------- outcome rules


@dataclass
class Decision:
    outcome: str  # what this check found (SourceCheck.outcome)
    health: str  # the source's health afterwards
    fingerprint: str
    consecutive_failures: int
    review_reason: str | None  # raise review items for this reason, or not


def _site(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def source_check_outcome(
    *, url: str, health: str, fingerprint: str, consecutive_failures: int, fetched: Fetched
) -> Decision:
    """The rules, as a pure function of the source's health before and what the fetch found."""
    Reason = ReviewItem.Reason
    unchanged = (health, fingerprint, consecutive_failures, None)
    if fetched.check_error:  # says nothing about the source
        return Decision(SourceCheckOutcome.ERROR, *unchanged)
    if fetched.offline and fetched.network_failure:  # nor does our own outage
        return Decision(SourceCheckOutcome.UNREACHABLE, *unchanged)
    if fetched.blocked:
        reason = Reason.BLOCKED if health != SourceHealth.BLOCKED else None
        return Decision(SourceHealth.BLOCKED, SourceHealth.BLOCKED, fingerprint, 0, reason)
    ok_status = fetched.status is not None and (
        200 <= fetched.status < 300 or fetched.status == 304
    )
    if not ok_status:
        failures = consecutive_failures + 1
        if fetched.status in GONE_STATUSES or failures >= FAILURES_BEFORE_BROKEN:
            reason = Reason.BROKEN if health != SourceHealth.BROKEN else None
            return Decision(SourceHealth.BROKEN, SourceHealth.BROKEN, fingerprint, failures, reason)
        # Not yet broken: the source keeps its health until failures repeat.
        return Decision(health, health, fingerprint, failures, None)
    new_fingerprint = fetched.fingerprint or fingerprint  # a 304 keeps the old one
    if _site(fetched.final_url or url) != _site(url):
        reason = Reason.REDIRECTED if health != SourceHealth.REDIRECTED else None
        return Decision(
            SourceHealth.REDIRECTED, SourceHealth.REDIRECTED, new_fingerprint, 0, reason
        )
    if fingerprint and new_fingerprint != fingerprint:
        return Decision(
            SourceHealth.CHANGED, SourceHealth.CHANGED, new_fingerprint, 0, Reason.CHANGED
        )
    # An unreviewed change stays flagged until a moderator marks it reviewed.
    after = SourceHealth.CHANGED if health == SourceHealth.CHANGED else SourceHealth.OK
    return Decision(SourceHealth.OK, after, new_fingerprint, 0, None)


def next_check_after(*, round_started: datetime, health: str, consecutive_failures: int):
    """When the source is next due: one interval on, broken ones backing off up to a week."""
    interval = settings.SOURCE_CHECK_INTERVAL
    if health == SourceHealth.BROKEN:
        interval = min(interval * 2 ** max(consecutive_failures - 1, 0), MAX_BACKOFF)
    return round_started + interval
