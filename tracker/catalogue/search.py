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
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F

SEARCH_CONFIGS = ("english", "simple")
MAX_QUERY_LENGTH = 200  # longer text adds nothing a reader typed on purpose


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
