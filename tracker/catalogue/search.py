"""Full-text search shared by the public lists and the API's ``q``.

Each searchable table carries its document in a ``search_document`` column
with a GIN index, written by database triggers (migration
``0008_search_documents``) whenever the row, or a related name in it, changes:
renaming an agency rewrites its deployments' documents in the same
transaction. Building the document per row at query time took 20 seconds at
100,000 deployments; the index answers in milliseconds.

A document holds English stems (``english``) and the words as written
(``simple``), so English matches "camera" for "cameras" and any other
language, Hindi included, matches by exact word. Weights: A title or name,
B agencies and vendors, C the rest; names of unpublished entities are never
in a document, and drafts are excluded by the published querysets searched.

Ranking a broad word ("lucknow" matches 121,000 of a million camera points)
reads every matching row, 60 to 230 ms. The best ``RANKED_HEAD`` ids of a
search, with its filters, are therefore computed once per data version and
cached (``SearchHits``, read by ``paging.page_ids``): the pages a reader or
a script actually turns through then cost what their own rows cost.
"""

from collections.abc import Sequence

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import EmptyResultSet
from django.db.models import F

from .datacache import cached

SEARCH_CONFIGS = ("english", "simple")
MAX_QUERY_LENGTH = 200  # longer text adds nothing a reader typed on purpose
RANKED_HEAD = 1000  # the site's first 40 pages; the API's first 2 pages of 500


def search_query(q):
    """The tsquery for ``q`` in web-search syntax, in both configurations (either may match)."""
    first, *others = [
        SearchQuery(q, search_type="websearch", config=config) for config in SEARCH_CONFIGS
    ]
    for other in others:
        first |= other
    return first


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


class SearchHits(Sequence):
    """The ids of a ranked search's rows, best first, for a paginator to slice.

    Slices within the first ``RANKED_HEAD`` come from a cached list computed once
    per data version for this exact query (its SQL, filters included, is the
    key); deeper slices ask the database. ``count`` is the number of matching
    rows, when the caller knows it (it is cached with the list's facets).
    """

    def __init__(self, queryset, count=None):
        self.ids = queryset.values_list("pk", flat=True)
        self.count = count

    def __len__(self):
        if self.count is None:
            self.count = self.ids.count()
        return self.count

    def head(self):
        try:
            sql, params = self.ids.query.sql_with_params()
        except EmptyResultSet:  # an impossible filter: nothing matches
            return []
        return cached("search-head", lambda: list(self.ids[:RANKED_HEAD]), sql, params)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1 or None][0]
        start, stop, step = index.start or 0, index.stop, index.step or 1
        if not (0 <= start and stop is not None and 0 <= stop and step == 1):
            start, stop, step = index.indices(len(self))  # negative or open: count first
        if stop <= RANKED_HEAD:
            return self.head()[start:stop:step]
        return list(self.ids[start:stop])[::step]
