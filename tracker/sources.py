"""Source checking: notice when a cited page changes, moves or dies.

A check has two halves so that callers can run many fetches at once and keep
database work in one place: ``source_fetch`` (network only, no database) and
``source_check_record`` (database only). ``source_check_claimed`` runs both,
for the Celery task. Work is claimed with a conditional UPDATE on
``Source.check_claimed_at`` (the claim's timestamp is its token): a check is
recorded only while its claim still holds, and recording releases it, so a
redelivered or duplicated task never records a second check for one round.
"""

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from html.parser import HTMLParser
from itertools import chain, zip_longest
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from . import fetch as fetcher
from .models import Citation, ReviewItem, Source, SourceCheck, SourceState

FAILURES_BEFORE_BROKEN = 3
GONE_STATUSES = frozenset({404, 410})
MAX_BACKOFF = timedelta(days=7)
# A claim older than this is presumed lost (its task died with its message).
CLAIM_TIMEOUT = timedelta(hours=1)
STORED_TEXT_CHARS = 4000
EXCERPT_CHARS = 600
ATTENTION_STATES = (
    SourceState.CHANGED,
    SourceState.BROKEN,
    SourceState.REDIRECTED,
    SourceState.BLOCKED,
)

# ---------------------------------------------------------------- readable text

_SKIPPED_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "iframe",
        "nav",
        "aside",
        "form",
        "menu",
        "button",
        "select",
        "head",
    }
)
_PAGE_CHROME_TAGS = frozenset({"header", "footer"})
_CONTENT_TAGS = frozenset({"article", "main"})
_VOID_TAGS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)
_NOISE_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "menu"})


class _ReadableText(HTMLParser):
    """Collects the text a reader sees, skipping scripts, styles and navigation chrome."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_stack: list[str] = []
        self.content_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in _VOID_TAGS:
            return
        if self.skip_stack:
            if tag == self.skip_stack[-1]:
                self.skip_stack.append(tag)
            return
        role = (dict(attrs).get("role") or "").lower()
        chrome = tag in _PAGE_CHROME_TAGS and not self.content_depth
        if tag in _SKIPPED_TAGS or chrome or role in _NOISE_ROLES:
            self.skip_stack.append(tag)
        elif tag in _CONTENT_TAGS:
            self.content_depth += 1

    def handle_endtag(self, tag):
        if self.skip_stack:
            if tag == self.skip_stack[-1]:
                self.skip_stack.pop()
            return
        if tag in _CONTENT_TAGS and self.content_depth:
            self.content_depth -= 1
        self.parts.append(" ")

    def handle_data(self, data):
        if not self.skip_stack:
            self.parts.append(data)


def normalise_text(text: str) -> str:
    """One space between words, none at the ends: layout changes are not content changes."""
    return " ".join(text.split())


def text_from_html(html: str) -> str:
    parser = _ReadableText()
    parser.feed(html)
    parser.close()
    return normalise_text("".join(parser.parts))


_CHARSET = re.compile(rb"""charset=["']?([\w.:-]+)""", re.I)


def _decode(body: bytes, content_type: str) -> str:
    match = _CHARSET.search(content_type.encode()) or _CHARSET.search(body[:2048])
    encoding = match.group(1).decode() if match else "utf-8"
    try:
        return body.decode(encoding, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def readable_text(body: bytes, content_type: str) -> str | None:
    """The text to fingerprint, or None for types fingerprinted by their bytes (PDF, images)."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type in ("text/html", "application/xhtml+xml") or (
        not media_type and body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html"))
    ):
        return text_from_html(_decode(body, content_type))
    if media_type.startswith("text/"):
        return normalise_text(_decode(body, content_type))
    return None


def fingerprint(*, text: str | None, body: bytes) -> str:
    """SHA-256 of the readable text, or of the bytes when there is no text to read."""
    data = text.encode() if text is not None else body
    return hashlib.sha256(data).hexdigest()


def change_excerpts(old: str, new: str) -> tuple[str, str]:
    """The stretch of each text around the first place they differ."""
    index = next(
        (i for i, (a, b) in enumerate(zip_longest(old, new)) if a != b), min(len(old), len(new))
    )
    start = max(0, index - EXCERPT_CHARS // 3)

    def cut(text):
        piece = text[start : start + EXCERPT_CHARS]
        return ("…" if start else "") + piece + ("…" if start + EXCERPT_CHARS < len(text) else "")

    return cut(old), cut(new)


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
        reason = Reason.BLOCKED if state != SourceState.BLOCKED else None
        return Decision(SourceState.BLOCKED, SourceState.BLOCKED, fingerprint, 0, reason)
    ok_status = fetched.status is not None and (
        200 <= fetched.status < 300 or fetched.status == 304
    )
    if not ok_status:
        failures = consecutive_failures + 1
        if fetched.status in GONE_STATUSES or failures >= FAILURES_BEFORE_BROKEN:
            reason = Reason.BROKEN if state != SourceState.BROKEN else None
            return Decision(SourceState.BROKEN, SourceState.BROKEN, fingerprint, failures, reason)
        # Not yet broken: the source keeps its state until failures repeat.
        return Decision(state, state, fingerprint, failures, None)
    new_fingerprint = fetched.fingerprint or fingerprint  # a 304 keeps the old one
    if _site(fetched.final_url or url) != _site(url):
        reason = Reason.REDIRECTED if state != SourceState.REDIRECTED else None
        return Decision(SourceState.REDIRECTED, SourceState.REDIRECTED, new_fingerprint, 0, reason)
    if fingerprint and new_fingerprint != fingerprint:
        return Decision(
            SourceState.CHANGED, SourceState.CHANGED, new_fingerprint, 0, Reason.CHANGED
        )
    # An unreviewed change stays flagged until a moderator marks it reviewed.
    after = SourceState.CHANGED if state == SourceState.CHANGED else SourceState.OK
    return Decision(SourceState.OK, after, new_fingerprint, 0, None)


def next_check_after(*, round_started: datetime, state: str, consecutive_failures: int):
    """When the source is next due: one interval on, broken ones backing off up to a week."""
    interval = settings.SOURCE_CHECK_INTERVAL
    if state == SourceState.BROKEN:
        interval = min(interval * 2 ** max(consecutive_failures - 1, 0), MAX_BACKOFF)
    return round_started + interval


# ---------------------------------------------------------------- claims and due sources


def _unclaimed(now: datetime) -> Q:
    return Q(check_claimed_at__isnull=True) | Q(check_claimed_at__lt=now - CLAIM_TIMEOUT)


def _due(now: datetime) -> Q:
    # A little slack so a sweep that fires a moment early still takes last round's sources.
    slack = min(settings.SOURCE_CHECK_INTERVAL / 10, timedelta(minutes=10))
    return Q(next_check_at__isnull=True) | Q(next_check_at__lte=now + slack)


def sources_due(*, now: datetime | None = None):
    """Sources due for a check: never checked, or their next check time has come."""
    now = now or timezone.now()
    return Source.objects.filter(_due(now))


def sources_claim(*, ids=None, due_only: bool = True, now: datetime | None = None):
    """Claim sources for one round with a single conditional UPDATE.

    Returns ``[(source_id, claim), ...]`` ordered so that consecutive checks go
    to different hosts. A source already claimed (and not stale) is left alone,
    so two sweeps, or a sweep and a command, never check it twice in a round.
    """
    now = now or timezone.now()
    candidates = Source.objects.filter(_unclaimed(now))
    if due_only:
        candidates = candidates.filter(_due(now))
    if ids is not None:
        candidates = candidates.filter(pk__in=list(ids))
    with transaction.atomic():
        candidates.update(check_claimed_at=now)
        claimed = list(Source.objects.filter(check_claimed_at=now).values_list("pk", "url"))
    return [(pk, now) for pk, _ in _interleave_hosts(claimed)]


def _interleave_hosts(rows):
    by_host = defaultdict(list)
    for row in sorted(rows):
        by_host[urlsplit(row[1]).hostname or ""].append(row)
    return [row for row in chain.from_iterable(zip_longest(*by_host.values())) if row]


def source_claim_release(*, source_id: int, claim: datetime) -> None:
    """Give a claim back unused (the check could not run), so the next round takes the source."""
    Source.objects.filter(pk=source_id, check_claimed_at=claim).update(check_claimed_at=None)


def source_check_claimed(*, source_id: int, claim: datetime) -> SourceCheck | None:
    """Check a claimed source: fetch it and record the result (what the Celery task runs).

    Returns None, doing nothing, when the claim no longer holds (the check was
    already recorded, or a later round took the source over).
    """
    source = Source.objects.filter(pk=source_id, check_claimed_at=claim).first()
    if source is None:
        return None
    fetched = source_fetch(url=source.url, etag=source.etag, last_modified=source.last_modified)
    return source_check_record(source_id=source_id, claim=claim, fetched=fetched)


def source_check_record(*, source_id: int, claim: datetime, fetched: Fetched):
    """Record one check and release its claim; None if the claim is gone."""
    return source_checks_record([(source_id, claim, fetched)]).get(source_id)


# One UPDATE for a whole batch (Django's bulk_update builds a CASE per row and field,
# which costs more Python time than the checks themselves).
_RECORD_SQL = """
UPDATE {table} AS s SET
    state = v.state, fingerprint = v.fingerprint, consecutive_failures = v.failures,
    last_checked_at = v.checked_at, http_status = v.http_status, final_url = v.final_url,
    etag = v.etag, last_modified = v.last_modified, last_changed_at = v.last_changed_at,
    next_check_at = v.next_check_at, check_claimed_at = NULL
FROM unnest(
    %s::bigint[], %s::text[], %s::text[], %s::int[], %s::timestamptz[], %s::int[], %s::text[],
    %s::text[], %s::text[], %s::timestamptz[], %s::timestamptz[]
) AS v(id, state, fingerprint, failures, checked_at, http_status, final_url, etag,
       last_modified, last_changed_at, next_check_at)
WHERE s.id = v.id
"""
_RECORD_COLUMNS = (
    "pk", "state", "fingerprint", "consecutive_failures", "last_checked_at", "http_status",
    "final_url", "etag", "last_modified", "last_changed_at", "next_check_at",
)  # fmt: skip


@transaction.atomic
def source_checks_record(results) -> dict[int, SourceCheck]:
    """Record checks ``[(source_id, claim, fetched), ...]`` and release their claims, in one
    transaction (a batch costs a handful of queries, not a handful per source).

    Each source row is locked, and recorded only if it still holds the claim the
    check was made under: a check already recorded, or superseded by a later
    round, is dropped. Returns ``{source_id: SourceCheck}`` for those recorded.
    """
    now = timezone.now()
    wanted = {source_id: (claim, fetched) for source_id, claim, fetched in results}
    locked = Source.objects.select_for_update().filter(pk__in=wanted).order_by("pk")
    held = [source for source in locked if source.check_claimed_at == wanted[source.pk][0]]
    decisions, checks = [], []
    for source in held:
        claim, fetched = wanted[source.pk]
        decision = source_check_outcome(
            url=source.url,
            state=source.state,
            fingerprint=source.fingerprint,
            consecutive_failures=source.consecutive_failures,
            fetched=fetched,
        )
        decisions.append(decision)
        checks.append(
            SourceCheck(
                source=source,
                checked_at=now,
                outcome=decision.outcome,
                http_status=fetched.status,
                final_url=fetched.final_url,
                fingerprint=fetched.fingerprint,
                bytes=fetched.bytes,
                duration_ms=fetched.duration_ms,
                error=fetched.error,
                text_excerpt=fetched.text[:STORED_TEXT_CHARS],
            )
        )
    SourceCheck.objects.bulk_create(checks)
    for source, decision, check in zip(held, decisions, checks, strict=True):
        claim, fetched = wanted[source.pk]
        if decision.review_reason:
            _raise_review_items(source=source, check=check, decision=decision, fetched=fetched)
        if decision.outcome == SourceState.CHANGED:
            source.last_changed_at = now
        if fetched.status is not None and 200 <= fetched.status < 300:
            source.etag, source.last_modified = fetched.etag, fetched.last_modified
        source.state = decision.state
        source.fingerprint = decision.fingerprint
        source.consecutive_failures = decision.consecutive_failures
        source.last_checked_at = now
        source.http_status = fetched.status
        source.final_url = fetched.final_url
        source.next_check_at = next_check_after(
            round_started=claim,
            state=decision.state,
            consecutive_failures=decision.consecutive_failures,
        )
        source.check_claimed_at = None
    if held:
        with connection.cursor() as cursor:
            cursor.execute(
                _RECORD_SQL.format(table=connection.ops.quote_name(Source._meta.db_table)),
                [[getattr(source, column) for source in held] for column in _RECORD_COLUMNS],
            )
    return {source.pk: check for source, check in zip(held, checks, strict=True)}


def _raise_review_items(*, source, check, decision, fetched):
    """One review item per citation (per entity citing the source), or one for the source."""
    old_excerpt = new_excerpt = ""
    if decision.review_reason == ReviewItem.Reason.CHANGED:
        previous = (
            source.checks.filter(fingerprint=source.fingerprint)
            .exclude(pk=check.pk)
            .values_list("text_excerpt", flat=True)
            .first()
        )
        old_excerpt, new_excerpt = change_excerpts(previous or "", fetched.text[:STORED_TEXT_CHARS])
        if not fetched.text:  # a PDF or other file: no text to show, only that it differs
            new_excerpt = (
                f"The file changed ({fetched.bytes} bytes now); its text is not extracted."
            )
    elif decision.review_reason == ReviewItem.Reason.REDIRECTED:
        old_excerpt, new_excerpt = source.url, fetched.final_url
    else:
        new_excerpt = fetched.error
    citations = list(Citation.objects.filter(source=source)) or [None]
    ReviewItem.objects.bulk_create(
        ReviewItem(
            source=source,
            citation=citation,
            source_check=check,
            reason=decision.review_reason,
            old_excerpt=old_excerpt,
            new_excerpt=new_excerpt,
        )
        for citation in citations
    )


# ---------------------------------------------------------------- moderation


def sources_needing_attention(*, include_reviewed: bool = False, history: int = 10):
    """Sources with review items no moderator has looked at yet (with ``include_reviewed``,
    also every source whose state is still unhealthy), newest first, each with
    ``open_items`` (and what cites it) and its ``recent_checks``."""
    open_items = ReviewItem.objects.filter(reviewed_at__isnull=True).select_related(
        "citation__deployment", "citation__agency", "citation__hotspot", "citation__rti_request"
    )
    wanted = Q(pk__in=ReviewItem.objects.filter(reviewed_at__isnull=True).values("source"))
    if include_reviewed:
        wanted |= Q(state__in=ATTENTION_STATES)
    return (
        Source.objects.filter(wanted)
        .order_by("-last_checked_at", "-id")
        .prefetch_related(
            Prefetch("review_items", queryset=open_items, to_attr="open_items"),
            Prefetch(
                "checks", queryset=SourceCheck.objects.all()[:history], to_attr="recent_checks"
            ),
        )
    )


@transaction.atomic
def source_mark_reviewed(*, source: Source, moderator) -> int:
    """Close the source's open review items; an accepted change becomes the new baseline."""
    closed = source.review_items.filter(reviewed_at__isnull=True).update(
        reviewed_at=timezone.now(), reviewed_by=moderator
    )
    Source.objects.filter(pk=source.pk, state=SourceState.CHANGED).update(state=SourceState.OK)
    return closed
