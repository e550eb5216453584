"""Full-text search shared by the public lists and the API's ``q``.

Each searchable table carries its document in a ``search_document`` column
with a GIN index, written by database triggers (migration
``0008_search_documents``) whenever the row, or a related name in it, changes:
renaming an agency rewrites its deployments' documents in the same
transaction. Building the document per row at query time took 20 seconds at
100,000 deployments; the index answers in milliseconds.

A document holds English stems (``english``) and the words as written
(``simple``), so English matches "camera" for "cameras" and any other
language, Hindi included, matches by exact word; a place or state named in
Devanagari also matches its English name, and the reverse, through the
gazetteer (``places``). Weights: A title or name,
B agencies and vendors, C the rest; names of unpublished entities are never
in a document, and drafts are excluded by the published querysets searched.

Ranking a broad word ("lucknow" matches 121,000 of a million camera points)
reads every matching row, 60 to 230 ms. The best ``RANKED_HEAD`` ids of a
search, with its filters, are therefore computed once per data version and
cached, with the number of matches counted in the same pass (``ranked_head``,
read by ``paging.page_ids`` and the API's count): the pages a reader or a
script actually turns through then cost what their own rows cost.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import EmptyResultSet
from django.db.models import Count, F, Window

from .datacache import cached
from .places import other_script_names

SEARCH_CONFIGS = ("english", "simple")
MAX_QUERY_LENGTH = 200  # longer text adds nothing a reader typed on purpose
RANKED_HEAD = 1000  # the site's first 40 pages; the API's first 2 pages of 500


# Web-search syntax a reader may use: quoted phrases, "or", and "-" before a word.
WEBSEARCH_OPERATORS = re.compile(r'"|(^|\s)-\S|\sor\s', re.IGNORECASE)


def _either_config(text, search_type):
    first, *others = [
        SearchQuery(text, search_type=search_type, config=config) for config in SEARCH_CONFIGS
    ]
    for other in others:
        first |= other
    return first


def search_query(q):
    """The tsquery for ``q`` in web-search syntax, in both configurations (either may match).

    A place or state the gazetteer knows in both scripts matches by any of its
    names (``places.other_script_names``): लखनऊ finds "Lucknow", and Lucknow
    finds "लखनऊ". A query using web-search operators is taken as written.
    """
    if WEBSEARCH_OPERATORS.search(q):
        return _either_config(q, "websearch")
    rest, named = other_script_names(q)
    if not named:
        return _either_config(q, "websearch")
    query = _either_config(rest, "websearch") if rest else None
    for names in named:
        any_name = _either_config(names[0], "phrase")
        for name in names[1:]:
            any_name |= _either_config(name, "phrase")
        query = any_name if query is None else query & any_name
    return query


def search(queryset, q):
    """Rows matching the words in ``q`` (web-search syntax), best first."""
    q = (q or "").strip()[:MAX_QUERY_LENGTH]
    if not q:
        return queryset
    query = search_query(q)
    return (
        queryset.filter(search_document=query)
        .annotate(search_rank=SearchRank(F("search_document"), query))
        .order_by("-search_rank", "id")
    )


def is_ranked(queryset):
    """Whether ``queryset`` is a search ordered best first (``search`` made it)."""
    order = queryset.query.order_by
    return bool(order) and order[0] == "-search_rank"


def ranked_head(queryset):
    """(the first ``RANKED_HEAD`` ids of a ranked search, best first; how many rows match),
    computed once per data version for this exact query (its SQL, filters included, is
    the key). One pass over the matches gives both: the count is a window beside the
    ranking, where a separate COUNT(*) read every match a second time."""
    ids = queryset.values_list("pk", flat=True)
    try:
        sql, params = ids.query.sql_with_params()
    except EmptyResultSet:  # an impossible filter: nothing matches
        return [], 0

    def compute():
        if queryset.query.distinct:  # a window would count the rows before DISTINCT
            return list(ids[:RANKED_HEAD]), queryset.count()
        rows = list(
            queryset.annotate(_matches=Window(Count("*"))).values_list("pk", "_matches")[
                :RANKED_HEAD
            ]
        )
        return [pk for pk, _ in rows], rows[0][1] if rows else 0

    return cached("search-head-and-count", compute, sql, params)


def ranked_page_ids(queryset, offset, limit):
    """The ids of rows ``offset`` to ``offset + limit`` of a ranked search, best first,
    from its cached head (``ranked_head``). None for a page beyond it, which the caller
    reads from the database (``paging.page_ids``)."""
    if offset + limit > RANKED_HEAD:
        return None
    return ranked_head(queryset)[0][offset : offset + limit]


def ranked_count(queryset):
    """How many rows a ranked search matches, from the same pass as its head."""
    return ranked_head(queryset)[1]
