"""Rendered list pages, kept until what they show changes: never stale, never shared wrongly.

A list page costs a few queries and serialising some 3,000 values; readers and
crawlers ask for the same pages again and again. The rendered body of a
successful list page is therefore kept in the cache (Redis) under a key made of
everything the body depends on: the path, the query parameters (in a normal
order: the same order every parameter's values keep), the negotiated media type
(JSON or GeoJSON, with any ``indent``), the language, the scheme and host (the
``next``/``previous`` links) and the view's own extras (the RTI clock's key, so
that a deadline passing renders afresh).
Beside the body it stores the data and sources versions it was rendered under
(``tracker.catalogue.datacache``) and serves it only while both are current: any
change to published data, and every recorded source check, replaces one, so the
next request renders afresh. The versions and the entry come in one round trip.

Only the list action's 200 answers are kept: authentication, throttling and
parameter checks run before the cache is used, and an error is never stored. A
list request's rate counters are counted in the round trip that reads its entry
(``PublicViewSet.check_throttles``): a client over its rate gets 429 and nothing
of the entry.
Every list answer carries an ETag made of the same key and versions, so it is
known before anything is rendered: a request whose ``If-None-Match`` names it
gets ``304 Not Modified`` from Django's ``get_conditional_response`` without a
row read or a body rendered, whether the cache holds the page or not.

The cache shares Redis with the Celery broker, and anyone can ask for endless
distinct pages (``?q=`` with random words, a crawler walking every offset), so
what it may hold is bounded: a page is kept only the second time it is asked
for under the same versions (one-off questions leave a small marker, not a
body), bodies over ``API_CACHE_MAX_BYTES`` are not kept, entries expire after
``API_CACHE_SECONDS`` (0 turns the cache off), and at most
``API_CACHE_BUDGET_BYTES`` are stored per period of ``API_CACHE_SECONDS``, so
no more than twice that is ever held. Past the budget, pages are rendered as
if there were no cache.
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.translation import get_language

from tracker.catalogue.datacache import ReadAhead, versions_and_value

# Part of every key: change it when the stored entry's shape changes, so that
# entries written by the previous release are never read.
ENTRY_FORMAT = "2"


@dataclass
class ListCacheEntry:
    """Where a list request's answer lives, the versions it must be rendered under,
    and its ETag."""

    key: str
    versions: tuple
    etag: str
    response: HttpResponse | None  # the stored answer, when current
    ahead: ReadAhead | None = None  # cached entries read in the same round trip
    counts: tuple = ()  # the counters counted in the same round trip


def list_cache_key(request, extras=()):
    """The cache key of this list request (the versions are checked apart)."""
    # Filters read a parameter's last value, so the values of one parameter keep their
    # order; parameters themselves are sorted (``next`` and ``previous`` sort them too).
    query = sorted(request.query_params.lists(), key=lambda item: item[0])
    parts = (
        ENTRY_FORMAT,
        request.path,
        repr(query),
        request.accepted_media_type,
        get_language(),
        request.scheme,
        request.get_host(),
        *map(str, extras),
    )
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]
    return f"api:list:{digest}"


def list_cache_lookup(request, extras=(), read_ahead=(), counters=()):
    """The cache entry of this list request (None unless it is a GET or HEAD); its
    ``response`` is the stored answer when the cache holds a current one. The
    ``cached`` entries ``read_ahead`` (the list's count) come in the same round trip,
    in the entry's ``ahead``, and so are ``counters`` (the request's rate counters,
    ``(key, timeout)`` pairs) counted, in its ``counts``."""
    if request.method not in ("GET", "HEAD"):
        return None
    key = list_cache_key(request, extras)
    versions, stored, ahead, counts = versions_and_value(key, *read_ahead, counters=counters)
    digest = hashlib.blake2b(f"{key}{versions!r}".encode(), digest_size=16).hexdigest()
    response = None
    if settings.API_CACHE_SECONDS > 0 and stored is not None and stored[0] == versions:
        _, body, content_type = stored
        response = HttpResponse(body, content_type=content_type)
        response["ETag"] = f'"{digest}"'
    return ListCacheEntry(
        key=key,
        versions=versions,
        etag=f'"{digest}"',
        response=response,
        ahead=ahead,
        counts=tuple(counts),
    )


def list_response_before_rendering(request, entry):
    """``304 Not Modified`` when the client holds this page (or ``412`` when its
    ``If-Match`` fails), else the stored page, else None: render it."""
    answer = get_conditional_response(request, etag=entry.etag, response=entry.response)
    if answer is not None:
        answer["ETag"] = entry.etag
    return answer


def _asked_before(entry) -> bool:
    """Whether this page was rendered before under the same versions (else remember it)."""
    marker = f"{entry.key}:asked:{hashlib.sha256(repr(entry.versions).encode()).hexdigest()[:16]}"
    return not cache.add(marker, 1, timeout=settings.API_CACHE_SECONDS)


def _within_budget(size: int) -> bool:
    """Whether a body of ``size`` bytes may be kept (and, if so, count it against this
    period's budget). An entry outlives its period by at most one period."""
    if size > settings.API_CACHE_MAX_BYTES:
        return False
    period = settings.API_CACHE_SECONDS
    key = f"api:list:stored-bytes:{int(time.time() // period)}"
    cache.add(key, 0, timeout=2 * period)
    try:
        return cache.incr(key, size) <= settings.API_CACHE_BUDGET_BYTES
    except ValueError:  # the counter expired between add and incr
        return False


def list_response_finish(response, entry):
    """Give a freshly rendered 200 list answer its ETag, and keep it in ``entry`` (when
    the cache is on and the page small enough and asked for before)."""
    if entry is None or response.status_code != 200 or getattr(response, "streaming", False):
        return response
    if response is entry.response:  # from the cache already
        return response
    if hasattr(response, "render"):
        response.render()
    response["ETag"] = entry.etag
    if (
        settings.API_CACHE_SECONDS > 0
        and _asked_before(entry)
        and _within_budget(len(response.content))
    ):
        stored = (entry.versions, response.content, response["Content-Type"])
        cache.set(entry.key, stored, timeout=settings.API_CACHE_SECONDS)
    return response
