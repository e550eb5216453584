"""Source checking: notice when a cited page changes, moves or dies.

A check has two halves so that callers can run many fetches at once and keep
database work in one place: ``source_fetch`` (network only, no database) and
``source_check_record`` (database only). ``source_check_claimed`` runs both,
for the Celery task. Work is claimed with a conditional UPDATE on
``Source.check_claimed_at`` (the claim's timestamp is its token): a check is
recorded only while its claim still holds, and recording releases it, so a
redelivered or duplicated task never records a second check for one round.
"""

import logging
from collections import defaultdict
from datetime import datetime, timedelta
from itertools import chain, zip_longest
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DataError, IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from ..catalogue.datacache import sources_changed
from ..models import (
    Citation,
    ReviewItem,
    Source,
    SourceCheck,
    SourceCheckOutcome,
    SourceHealth,
)
from .archive import Capture, versions_archive
from .outcomes import (
    Fetched,
    check_error,
    clean,
    next_check_after,
    source_check_outcome,
    source_fetch,
)
from .text import change_excerpts

logger = logging.getLogger(__name__)

# A claim older than this is presumed lost (its task died with its message).
CLAIM_TIMEOUT = timedelta(hours=1)
# The start of a page's text kept with each check, and compared with the last one's for the
# moderators' before-and-after excerpts (the evidence archive keeps the whole text).
STORED_TEXT_CHARS = 4000

# ---------------------------------------------------------------- claims and due sources


def _unclaimed(now: datetime) -> Q:
    return Q(check_claimed_at__isnull=True) | Q(check_claimed_at__lt=now - CLAIM_TIMEOUT)


def _due(now: datetime) -> Q:
    # A little slack so a sweep that fires a moment early still takes last round's sources.
    slack = min(settings.SOURCE_CHECK_INTERVAL / 10, timedelta(minutes=10))
    return Q(next_check_at__isnull=True) | Q(next_check_at__lte=now + slack)


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
    fetched = source_fetch(
        url=source.url,
        etag=source.etag,
        last_modified=source.last_modified,
        fingerprint=source.fingerprint,
    )
    return source_check_record(source_id=source_id, claim=claim, fetched=fetched)


def source_check_record(*, source_id: int, claim: datetime, fetched: Fetched):
    """Record one check and release its claim; None if the claim is gone."""
    return source_checks_record([(source_id, claim, fetched)]).get(source_id)


# One UPDATE for a whole batch (Django's bulk_update builds a CASE per row and field,
# which costs more Python time than the checks themselves).
_RECORD_SQL = """
UPDATE {table} AS s SET
    health = v.health, fingerprint = v.fingerprint, consecutive_failures = v.failures,
    last_checked_at = v.checked_at, http_status = v.http_status, final_url = v.final_url,
    etag = v.etag, last_modified = v.last_modified, last_changed_at = v.last_changed_at,
    next_check_at = v.next_check_at, check_claimed_at = NULL
FROM unnest(
    %s::bigint[], %s::text[], %s::text[], %s::int[], %s::timestamptz[], %s::int[], %s::text[],
    %s::text[], %s::text[], %s::timestamptz[], %s::timestamptz[]
) AS v(id, health, fingerprint, failures, checked_at, http_status, final_url, etag,
       last_modified, last_changed_at, next_check_at)
WHERE s.id = v.id
"""
_RECORD_COLUMNS = (
    "pk", "health", "fingerprint", "consecutive_failures", "last_checked_at", "http_status",
    "final_url", "etag", "last_modified", "last_changed_at", "next_check_at",
)  # fmt: skip


def source_checks_record(results) -> dict[int, SourceCheck]:
    """Record checks ``[(source_id, claim, fetched), ...]`` and release their claims: a
    group's outcomes in one transaction and a handful of statements, not a handful per
    source.

    Each source row is locked, and recorded only if it still holds the claim the
    check was made under: a check already recorded, or superseded by a later
    round, is dropped. If the database refuses the group (a value it cannot
    hold), each check is recorded on its own, and one it still refuses is
    recorded as an ``error``: one bad source never loses another's result.
    Returns ``{source_id: SourceCheck}`` for those recorded.
    """
    results = list(results)
    try:
        with transaction.atomic():
            return _record(results)
    except (DataError, IntegrityError, ValueError) as exc:
        if len(results) == 1:
            source_id, claim, _ = results[0]
            logger.warning("source %s: check not stored (%s)", source_id, exc)
            failed = check_error(f"could not store the check: {type(exc).__name__}")
            with transaction.atomic():
                return _record([(source_id, claim, failed)])
    recorded = {}
    for one in results:
        recorded.update(source_checks_record([one]))
    return recorded


def _record(results) -> dict[int, SourceCheck]:
    now = timezone.now()
    wanted = {source_id: (claim, fetched) for source_id, claim, fetched in results}
    locked = Source.objects.select_for_update().filter(pk__in=wanted).order_by("pk")
    held = [source for source in locked if source.check_claimed_at == wanted[source.pk][0]]
    decisions, checks, captures = [], [], {}
    for source in held:
        claim, fetched = wanted[source.pk]
        decision = source_check_outcome(
            url=source.url,
            health=source.health,
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
                error=clean(fetched.error, 2000),
                text_excerpt=clean(fetched.text[:STORED_TEXT_CHARS], STORED_TEXT_CHARS),
            )
        )
        new_text = fetched.fingerprint and decision.fingerprint == fetched.fingerprint
        if new_text and fetched.fingerprint != source.fingerprint and fetched.head:
            captures[source.pk] = Capture(
                url=fetched.final_url or source.url,
                status=fetched.status,
                head=fetched.head,
                body=fetched.body,
                text=clean(fetched.text, len(fetched.text)),
                content_type=fetched.content_type,
            )
    SourceCheck.objects.bulk_create(checks)
    for source, decision, check in zip(held, decisions, checks, strict=True):
        claim, fetched = wanted[source.pk]
        if decision.review_reason:
            _raise_review_items(source=source, check=check, decision=decision, fetched=fetched)
        if decision.outcome == SourceHealth.CHANGED:
            source.last_changed_at = now
        ok_status = fetched.status is not None and 200 <= fetched.status < 300
        if ok_status and decision.outcome != SourceCheckOutcome.ERROR:
            source.etag, source.last_modified = fetched.etag, fetched.last_modified
        if decision.outcome not in (SourceCheckOutcome.ERROR, SourceCheckOutcome.UNREACHABLE):
            source.http_status = fetched.status
            source.final_url = fetched.final_url
        source.health = decision.health
        source.fingerprint = decision.fingerprint
        source.consecutive_failures = decision.consecutive_failures
        source.last_checked_at = now
        source.next_check_at = next_check_after(
            round_started=claim,
            health=decision.health,
            consecutive_failures=decision.consecutive_failures,
        )
        source.check_claimed_at = None
    if held:
        with connection.cursor() as cursor:
            cursor.execute(
                _RECORD_SQL.format(table=connection.ops.quote_name(Source._meta.db_table)),
                [[getattr(source, column) for source in held] for column in _RECORD_COLUMNS],
            )
        sources_changed()  # the API's lists show each citation's source health
    if captures:
        _archive(captures, {check.source_id: check for check in checks}, now)
    return {source.pk: check for source, check in zip(held, checks, strict=True)}


def _archive(captures, checks, now):
    """Keep the evidence; an archive that cannot be written never loses the checks."""
    try:
        with transaction.atomic():
            versions_archive(captures, checks, when=now)
    except (OSError, DataError, IntegrityError, ValueError) as exc:
        logger.error("archive: %d version(s) not kept: %s", len(captures), exc)


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


# ---------------------------------------------------------------- closing review items


@transaction.atomic
def source_mark_reviewed(*, source: Source, moderator) -> int:
    """Close the source's open review items; an accepted change becomes the new baseline."""
    closed = source.review_items.filter(reviewed_at__isnull=True).update(
        reviewed_at=timezone.now(), reviewed_by=moderator
    )
    if Source.objects.filter(pk=source.pk, health=SourceHealth.CHANGED).update(
        health=SourceHealth.OK
    ):
        sources_changed()
    return closed
