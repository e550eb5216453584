"""Rendered list pages, kept until what they show changes: never stale, never shared wrongly.

A list page costs a few queries and serialising some 3,000 values; readers and
crawlers ask for the same pages again and again. The rendered body of a
successful list page is therefore kept in the cache (Redis) under a key made of
everything the body depends on: the path, the query parameters (in a normal
order: the same order every parameter's values keep), the negotiated media type
(JSON or GeoJSON, with any ``indent``), the language, the scheme and host (the
``next``/``previous`` links) and the view's own extras (the RTI calendar's day).
Beside the body it stores the data and sources versions it was rendered under
(``tracker.catalogue.datacache``) and serves it only while both are current: any
change to published data, and every recorded source check, replaces one, so the
next request renders afresh. The versions and the entry come in one round trip.

Only the list action's 200 answers are kept: authentication, throttling and
parameter checks run before the cache is asked, and an error is never stored.
Every list answer carries an ETag (a digest of its body), and a request whose
``If-None-Match`` names it gets ``304 Not Modified`` without the body.

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
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import parse_etags
from django.utils.translation import get_language

from tracker.catalogue.datacache import versions_and_value


@dataclass
class ListCacheEntry:
    """Where a list request's answer lives, and the versions it must be rendered under."""

    key: str
    versions: tuple
    response: HttpResponse | None  # the stored answer, when current


def list_cache_key(request, extras=()):
    """The cache key of this list request (the versions are checked apart)."""
    # Filters read a parameter's last value, so the values of one parameter keep their
    # order; parameters themselves are sorted (``next`` and ``previous`` sort them too).
    query = sorted(request.query_params.lists(), key=lambda item: item[0])
    parts = (
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


def list_cache_lookup(request, extras=()):
    """The cache entry of this list request, or None when list pages are not cached."""
    if settings.API_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return None
    key = list_cache_key(request, extras)
    versions, stored = versions_and_value(key)
    response = None
    if stored is not None and stored[0] == versions:
        _, body, content_type, etag = stored
        response = HttpResponse(body, content_type=content_type)
        response["ETag"] = etag
    return ListCacheEntry(key=key, versions=versions, response=response)


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


def body_etag(body: bytes) -> str:
    return f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'


def list_response_finish(request, response, entry):
    """Give a rendered 200 list answer its ETag, keep it in ``entry`` (when small enough)
    and answer 304 when the client already holds it."""
    if response.status_code != 200 or getattr(response, "streaming", False):
        return response
    if not response.has_header("ETag"):  # just rendered, not from the cache
        if hasattr(response, "render"):
            response.render()
        response["ETag"] = body_etag(response.content)
        if entry is not None and _asked_before(entry) and _within_budget(len(response.content)):
            stored = (entry.versions, response.content, response["Content-Type"], response["ETag"])
            cache.set(entry.key, stored, timeout=settings.API_CACHE_SECONDS)
    held = [tag.removeprefix("W/") for tag in parse_etags(request.headers.get("If-None-Match", ""))]
    if "*" in held or response["ETag"] in held:
        not_modified = HttpResponseNotModified()
        for header in ("ETag", "Vary", "Allow"):
            if response.has_header(header):
                not_modified[header] = response[header]
        return not_modified
    return response
