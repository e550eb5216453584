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
by reading every matching row cost 250 to 800 ms: the rows lie on nearly every
page of the table, and a GIN index cannot count or rank without visiting them.
So a search ranks a bounded set of candidates: the first
``RANKED_CANDIDATES`` matches in id order (the primary key's order, read
until that many are found). When no more rows match, the ranking and the count
are exact, as before. When more do, the order is: the candidates best first,
then the later matches best first (the sort key is "beyond the candidates",
rank, id), so every page of the list follows one total order and a script
walking every page meets each row once; and the number of matches is the
planner's estimate, marked as one (``Head.estimated``), never shown as exact.
A broad word's best rows are many (every camera point named "… Lucknow"), so
the candidates' best are the list's best in practice.

The first ``RANKED_HEAD`` ids of a search, with its filters, are computed once
per data version and cached with the count (``ranked_head``, read by
``paging.page_ids`` and the API's count): the pages a reader or a script
actually turns through then cost what their own rows cost.
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import BooleanField, CharField, F
from django.db.models.expressions import RawSQL

from .datacache import cached
from .places import other_script_names

SEARCH_CONFIGS = ("english", "simple")
MAX_QUERY_LENGTH = 200  # longer text adds nothing a reader typed on purpose
RANKED_HEAD = 1000  # the site's first 40 pages; the API's first 2 pages of 500
RANKED_CANDIDATES = 10_000  # ranked at ~3 µs each; a broad word's exact count is estimated


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


def is_searched(queryset):
    """Whether ``queryset`` keeps only the rows matching a search (``search`` made it), in
    whatever order."""
    return "search_rank" in queryset.query.annotations


@dataclass(frozen=True)
class Head:
    """The first ``RANKED_HEAD`` ids of a ranked search, best first; how many rows match
    (the planner's estimate when ``estimated``); and, when more rows match than
    ``RANKED_CANDIDATES``, where the candidates end in the table (``boundary``, the row
    address of the first block not read whole): rows stored from it on come after
    every candidate."""

    ids: list
    count: int
    estimated: bool = False
    boundary: str | None = None


# One process reading the table from its start, by a bitmap scan of the search index (it
# visits only the matching rows, where a sequential scan tests every row on the way; an
# index scan would read in the index's order; a sequential scan, the last resort, starts
# from the table's start rather than joining one under way).
STORAGE_ORDER_SETTINGS = {
    "max_parallel_workers_per_gather": "0",
    "enable_indexscan": "off",
    "enable_indexonlyscan": "off",
    "enable_seqscan": "off",
    "synchronize_seqscans": "off",
}


@contextmanager
def _planner(cursor):
    """``STORAGE_ORDER_SETTINGS`` for this read, and as they were after it: within an
    outer transaction (``SET LOCAL`` lasts until it ends), the rest of the request must
    not plan without index scans."""
    names = list(STORAGE_ORDER_SETTINGS)
    cursor.execute(f"SELECT {', '.join(['current_setting(%s)'] * len(names))}", names)
    before = cursor.fetchone()
    _set_locally(cursor, STORAGE_ORDER_SETTINGS.items())
    try:
        yield
    finally:
        _set_locally(cursor, zip(names, before, strict=True))


@contextmanager
def matches_read_by_search_index(queryset):
    """Queries run within plan the matches of ``queryset``, when it is a search, as a
    bitmap scan of the search index (``STORAGE_ORDER_SETTINGS``), and anything else as
    usual. The planner prices ``@@`` like a plain comparison and, for a common word (a
    third of the table), chose to test every row; each test reads a stored document, and
    the facets of such a search took half as long again as by the index."""
    if not is_searched(queryset):
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor, _planner(cursor):
        yield


def _set_locally(cursor, settings):
    """Each (name, value) of ``settings`` for the rest of the transaction, at once."""
    settings = list(settings)
    calls = ", ".join(["set_config(%s, %s, true)"] * len(settings))
    cursor.execute(f"SELECT {calls}", [part for pair in settings for part in pair])


def _row_address(text):
    block, offset = text.strip("()").split(",")
    return int(block), int(offset)


def ranked_head(queryset):
    """The ``Head`` of a ranked search, computed once per data version for this exact
    query (its SQL, filters included, is the key).

    One bounded pass: the matches in the order they are stored, stopping after
    ``RANKED_CANDIDATES`` and one more (which tells whether there are others), each
    with its rank; the head is the best of them. Reading in storage order is what
    lets the scan stop early (a bitmap or sequential scan, one process, from the
    table's start). The rows come back with their addresses: the candidates are the
    matches of the blocks read whole (a block's rows may come in any order, as an
    updated row keeps its first address in the index), and should a plan read the
    blocks in any other order, a search with more matches than candidates is ranked
    whole instead."""
    table = queryset.model._meta.db_table
    address = RawSQL(f'"{table}".ctid::text', (), output_field=CharField())
    candidates = queryset.order_by().annotate(_address=address)
    candidates = candidates.values_list("pk", "search_rank", "_address")
    try:
        sql, params = candidates[: RANKED_CANDIDATES + 1].query.sql_with_params()
    except EmptyResultSet:  # an impossible filter: nothing matches
        return Head(ids=[], count=0)

    def compute():
        if queryset.query.distinct:  # rare (a join that repeats rows): ranked whole
            return _ranked_whole(queryset)
        with transaction.atomic(), connection.cursor() as cursor, _planner(cursor):
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if len(rows) <= RANKED_CANDIDATES:  # every match: ranked and counted exactly
            return Head(ids=_best(rows), count=len(rows))
        blocks = [_row_address(text)[0] for _pk, _rank, text in rows]
        if any(a > b for a, b in zip(blocks, blocks[1:], strict=False)):
            return _ranked_whole(queryset)
        # The candidates are the matches in the blocks read whole: all but the last one.
        end = blocks[-1]
        found = [row for row, block in zip(rows, blocks, strict=True) if block < end]
        if not found:  # every candidate in one block (tiny rows): nothing read whole
            return _ranked_whole(queryset)
        return Head(
            ids=_best(found),
            count=estimated_count(table, len(found), end),
            estimated=True,
            boundary=f"({end},0)",
        )

    return cached("search-head", compute, sql, params)


def _best(rows):
    """The ids of the ``RANKED_HEAD`` best of (id, rank, address) rows, ties by id."""
    return [pk for pk, _rank, _address in sorted(rows, key=lambda row: (-row[1], row[0]))][
        :RANKED_HEAD
    ]


def _ranked_whole(queryset):
    """The head and exact count of a search, every match ranked."""
    ids = list(queryset.values_list("pk", flat=True)[:RANKED_HEAD])
    return Head(ids=ids, count=queryset.count())


def estimated_count(table, found, end):
    """How many rows match, estimated from the candidates: ``found`` matches were stored
    in the table's first ``end`` blocks, so the whole table holds about that many times
    as many (a sample of the table's start; its first two figures only, since more
    would claim a precision an estimate lacks)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_relation_size(%s::regclass) / current_setting('block_size')::int",
            [table],
        )
        blocks = cursor.fetchone()[0]
    estimate = found * max(blocks, end) / max(end, 1)
    return max(found + 1, int(float(f"{estimate:.2g}")))


def ranked_order(queryset, head):
    """``queryset`` in the order its pages follow: its own ranking, or, when only the
    candidates were ranked, the candidates first (stored up to ``Head.boundary``)."""
    if head.boundary is None:
        return queryset
    table = queryset.model._meta.db_table
    beyond = RawSQL(f'"{table}".ctid >= %s::tid', (head.boundary,), output_field=BooleanField())
    return queryset.order_by(beyond.asc(), "-search_rank", "pk")


def ranked_page_ids(queryset, offset, limit):
    """The ids of rows ``offset`` to ``offset + limit`` of a ranked search: from its cached
    head, or for a later page of a search whose candidates were ranked, in that order.
    None for a later page of an exactly ranked search, which the caller reads from the
    database (``paging.page_ids``)."""
    head = ranked_head(queryset)
    if offset + limit <= RANKED_HEAD:
        return head.ids[offset : offset + limit]
    if head.boundary is None:
        return None
    rows = ranked_order(queryset, head).prefetch_related(None).values_list("pk", flat=True)
    return list(rows[offset : offset + limit])


def ranked_count(queryset):
    """How many rows a ranked search matches, from the same pass as its head, and
    whether that is an estimate."""
    head = ranked_head(queryset)
    return head.count, head.estimated
