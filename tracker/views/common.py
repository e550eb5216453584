"""Helpers shared by the page families: filtering, paging, cached compressed documents."""

import gzip
import hashlib
import re
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..catalogue import paging
from ..catalogue.datacache import cache_key, cached
from ..catalogue.geography import state_name
from ..models import Agency, Deployment, PurposeClass, PurposeTag, State

PAGE_SIZE = 25
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def no_control_characters(value):
    """A validator for typed text (searches): no invisible control codes."""
    if CONTROL_CHARACTERS.search(value or ""):
        raise ValidationError(_("Text cannot contain control characters."), code="control")


def filtered(filterset_class, request, queryset, *, params=None):
    """Apply the shared FilterSet (the API's too) to ``queryset`` with the page's GET parameters
    (or ``params``).

    Returns the FilterSet; its ``.qs`` is empty and its ``.errors`` name the
    bad parameters when any value is invalid.
    """
    params = (request.GET if params is None else params).copy()
    for name in paging.PAGING_PARAMS:
        params.pop(name, None)
    return filterset_class(params, queryset=queryset, request=request)


def paginate(request, queryset, *, per_page=PAGE_SIZE, count=None, load=None, seek=False):
    """One page of ``queryset``; a page number past the end or not a number is a 404.

    ``count``, when the caller already knows it (cached), saves counting the rows again.
    The page's ids come first, read from the nearer end of the list
    (``catalogue.paging``), then ``load(ids)`` gives its rows in that order (by default
    the queryset's own). With ``seek``, the page also carries ``next_after`` and
    ``previous_before``: seek keys for its Next and Previous links, and a request that
    brings one valid for its page number reads that page from the key instead.
    """
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is never computed
    try:
        number = paginator.validate_number(request.GET.get("page") or 1)
    except InvalidPage as error:  # not a number, or past the end
        raise Http404(str(error)) from error
    offset = (number - 1) * per_page
    wanted = min(per_page, paginator.count - offset)
    keys = paging.sort_keys(queryset)
    token = paging.SeekToken(_list_scope(request), keys) if seek and paging.seekable(keys) else None
    found = _page_from_seek_link(request, queryset, token, number, wanted) if token else None
    if found is None:
        found = paging.page_ids(queryset, offset=offset, limit=per_page, count=paginator.count)
    load = load or (lambda ids: paging.rows_in_order(queryset, ids))
    page = Page(load(found.ids), number, paginator)
    page.next_after = page.previous_before = None
    if token and found.ids:
        if page.has_next():
            page.next_after = token.make("after", number + 1, found.last)
        if page.has_previous() and number > 2:  # page 1 needs no key
            page.previous_before = token.make("before", number - 1, found.first)
    return page


def _list_scope(request):
    """What a seek key is valid for: this list (path) with these filters and order."""
    params = sorted(
        (key, value)
        for key, values in request.GET.lists()
        if key not in paging.PAGING_PARAMS
        for value in values
    )
    return request.path + "?" + urlencode(params)


def _page_from_seek_link(request, queryset, token, number, wanted):
    """The page read from the seek key the link brought (``after`` the previous page's last
    row, or ``before`` the next page's first), or None when there is none valid for this
    page: then the page is found by offset, so a bad key never shows a wrong page."""
    links = [(name, request.GET.getlist(name)) for name in paging.SEEK_PARAMS]
    links = [(name, values) for name, values in links if values]
    if len(links) != 1 or len(links[0][1]) != 1 or wanted <= 0:
        return None
    direction, (raw,) = links[0]
    values = token.values(raw, direction, number)
    if values is None:
        return None
    keys = token.keys
    if direction == "before":
        keys = tuple(key.reversed() for key in keys)
    rows = paging.key_rows_after(queryset, keys, values, wanted)
    if len(rows) != wanted:  # the list changed under the key: count by offset instead
        return None
    if direction == "before":
        rows.reverse()
    return paging.page_of_key_rows(rows)


def state_choices():
    """(code, name in the reader's language) of every state and union territory, in the
    order of those names, for filter controls."""
    rows = State.objects.values_list("code", "name", "name_hi")
    return sorted(((code, state_name(name, name_hi)) for code, name, name_hi in rows), key=_second)


def _second(pair):
    return pair[1]


def deployment_filter_choices():
    """Choices for the home map's filter controls, cached until the data changes."""
    return cached("map-filter-choices", _deployment_filter_choices, get_language())


def _deployment_filter_choices():
    published = Deployment.objects.published()
    agencies = (
        Agency.objects.published()
        .filter(led_deployments__in=published)
        .distinct()
        .order_by("name")
        .values_list("pk", "name")
    )
    years = published.filter(announced_on__isnull=False).dates("announced_on", "year", order="DESC")
    return {
        "states": state_choices(),
        "agencies": [(str(pk), name) for pk, name in agencies],
        "years": [(str(d.year), str(d.year)) for d in years],
        "purposes": [*PurposeClass.choices, *PurposeTag.choices],
    }


GZIP_MIN_BYTES = 1024


def _packed(body):
    """(body as bytes, its gzip or None when too small to gain)."""
    body = body.encode() if isinstance(body, str) else body
    return body, (gzip.compress(body, 6) if len(body) >= GZIP_MIN_BYTES else None)


def _document_response(request, *, etag, stored, content_type, cache_control):
    """The 304, gzip or plain answer for a document known by ``etag``; ``stored()`` gives
    (body, packed) and is called only when a body is sent."""
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        body, packed = stored()
        if "gzip" in request.headers.get("Accept-Encoding", "") and packed is not None:
            response = HttpResponse(packed, content_type=content_type)
            response["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def cached_document(request, *, name, vary, build, content_type):
    """A document computed once per data version, compressed, and revalidated by ETag.

    ``build()`` returns the body (str or bytes). The body and its gzip are cached
    together under the data version (tracker.catalogue.datacache), so a
    repeated request costs a cache read and a reader whose copy is current gets
    ``304 Not Modified`` without any query. Public data only: no cookies, no
    per-user content, so BREACH-style attacks on compression have nothing to learn.
    """
    key = cache_key(name, get_language(), *vary)
    etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'

    def stored():
        found = cache.get(key)
        if found is None:
            found = _packed(build())
            cache.set(key, found, timeout=settings.DATA_CACHE_SECONDS)
        return found

    # Reuse, but ask: data may change any time.
    return _document_response(
        request,
        etag=etag,
        stored=stored,
        content_type=content_type,
        cache_control="public, no-cache",
    )


# Reference data (the gazetteer) changes only with a new release of the site.
REFERENCE_MAX_AGE = 24 * 3600


def reference_document(request, *, body, content_type):
    """A document made from reference data on every request (it costs less than a cache
    read), compressed, kept by browsers for a day and revalidated by its ETag."""
    packed = _packed(body)
    etag = '"' + hashlib.sha256(packed[0]).hexdigest()[:32] + '"'
    return _document_response(
        request,
        etag=etag,
        stored=lambda: packed,
        content_type=content_type,
        cache_control=f"public, max-age={REFERENCE_MAX_AGE}",
    )
