"""Pages of a long ordered list at the cost of a first page, at any depth.

``OFFSET n`` makes PostgreSQL walk n entries of the order's index before the
page: at a million camera points a late page walked 750,000 of them. Two
remedies, both needing the list's order as columns that end in ``id``
(``sort_keys``; the search rank counts as one for reading from the end, not
for seeking); any other order is paged by plain offset:

- **From the nearer end** (``page_ids``): a page past the middle is read in the
  reversed order, its offset counted from the end (the caller knows the count:
  it is cached per filter set), then put back in order. The worst page is the
  middle one, and the last pages cost what the first cost.
- **Seek** (``key_rows_after``): the page after a known row starts at that row's
  key on the index (``WHERE key >= v ... ORDER BY key, id LIMIT n``), a
  constant cost at any depth. Its key travels in the site pager's Next and
  Previous links as a ``SeekToken``: bound by an HMAC to the list, its
  filters, the page it leads to and the data version, so a tampered, stale or
  borrowed key is simply not used (the page is then found by offset).

Each sort key's NULLs keep the place PostgreSQL gives them in the forward
order (last ascending, first descending, unless the order says otherwise);
the reversed order puts them at the other end, written out explicitly.
"""

import base64
import binascii
import hmac
import json
from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection, models
from django.db.models import F, OrderBy, Q
from django.utils.crypto import salted_hmac
from django.utils.dateparse import parse_date, parse_datetime

from .datacache import data_version
from .search import is_ranked, ranked_page_ids

SEEK_PARAMS = ("after", "before")  # a page's seek key, brought by its Next/Previous link
PAGING_PARAMS = ("page", *SEEK_PARAMS)  # where in a list, not which list
# A 300-character title of 4-byte characters, in base64, fits: a longer key is not one we made.
MAX_TOKEN_LENGTH = 2048
TEXT_FIELDS = (models.CharField, models.TextField)
INTEGER_FIELDS = (models.IntegerField, models.BigIntegerField, models.SmallIntegerField)


@dataclass(frozen=True)
class SortKey:
    """One term of an order: a column (or an annotation such as the search rank, which
    ``field`` None marks), its direction and where its NULLs go."""

    column: str
    descending: bool
    nulls_first: bool
    field: models.Field | None = None

    def reversed(self):
        return SortKey(self.column, not self.descending, not self.nulls_first, self.field)

    def order_by(self):
        """The explicit ORDER BY term (NULLS FIRST or LAST spelled out)."""
        return OrderBy(
            F(self.column),
            descending=self.descending,
            nulls_first=True if self.nulls_first else None,
            nulls_last=None if self.nulls_first else True,
        )

    def signature(self):
        return f"{self.column}:{'d' if self.descending else 'a'}{'f' if self.nulls_first else 'l'}"


def _sort_key(queryset, term):
    """The SortKey of one ``order_by`` term, or None when it is neither a plain column nor
    an annotation of the queryset."""
    model = queryset.model
    if isinstance(term, str):
        descending = term.startswith("-")
        name = term.lstrip("-")
        nulls_first = None
    elif isinstance(term, OrderBy) and isinstance(term.expression, F):
        descending = term.descending
        name = term.expression.name
        nulls_first = True if term.nulls_first else False if term.nulls_last else None
    elif isinstance(term, F):
        descending, name, nulls_first = False, term.name, None
    else:
        return None
    if nulls_first is None:  # PostgreSQL: NULLs sort as if larger than any value
        nulls_first = descending
    if name in queryset.query.annotations:  # the search rank: reversible, never sought
        return SortKey(name, descending, nulls_first)
    if name == "pk":
        name = model._meta.pk.name
    try:
        field = model._meta.get_field(name)
    except Exception:  # a relation path, "?"
        return None
    if field.is_relation or not field.concrete:
        return None
    if not isinstance(field, (*TEXT_FIELDS, *INTEGER_FIELDS, models.DateField)):
        return None  # DateTimeField is a DateField
    return SortKey(field.attname, descending, nulls_first, field)


def sort_keys(queryset):
    """The queryset's order as SortKeys ending in the primary key, or None when it is not
    made of columns and annotations or is not total (no ``id`` in it)."""
    query = queryset.query
    terms = list(query.order_by) or (
        list(queryset.model._meta.ordering) if query.default_ordering else []
    )
    if query.extra_order_by or not terms:
        return None
    keys = []
    for term in terms:
        key = _sort_key(queryset, term)
        if key is None:
            return None
        keys.append(key)
        if key.field is not None and key.field.primary_key:  # total: later terms change nothing
            return tuple(keys)
    return None


def _ordered(queryset, keys):
    return queryset.order_by(*(key.order_by() for key in keys))


def _key_rows(queryset, keys, offset, limit, *, ids_only=False):
    """The key values (ending in the id) of ``limit`` rows from ``offset`` in order ``keys``
    (``ids_only``: the id alone)."""
    rows = _ordered(queryset.prefetch_related(None), keys)
    columns = [keys[-1].column] if ids_only else [key.column for key in keys]
    return list(rows.values_list(*columns)[offset : offset + limit])


@dataclass(frozen=True)
class PageIds:
    """The ids of one page's rows, in order, and (when the order is made of columns) the
    key values of its first and last rows, for seek links."""

    ids: list
    first: tuple | None = None
    last: tuple | None = None


def page_of_key_rows(rows):
    """The page whose rows' key values (each ending in the id) are ``rows``, in order."""
    return PageIds(
        ids=[row[-1] for row in rows],
        first=rows[0] if rows else None,
        last=rows[-1] if rows else None,
    )


def page_ids(queryset, *, offset, limit, count, ids_only=False):
    """The ids of rows ``offset`` to ``offset + limit`` of the ordered ``queryset``, read
    from the nearer end of the list (``count`` is its length; None reads forwards).
    ``ids_only``: without the first and last rows' keys (no seek link will be made)."""
    if is_ranked(queryset):  # a search's first pages come from its cached ranking
        ids = ranked_page_ids(queryset, offset, limit)
        if ids is not None:
            return PageIds(ids=ids)
    keys = sort_keys(queryset)
    if keys is None or count is None:
        ids = queryset.prefetch_related(None).values_list("pk", flat=True)
        return PageIds(ids=list(ids[offset : offset + limit]))
    end = min(offset + limit, count)
    if offset >= end:
        return PageIds(ids=[])
    if offset <= count - end:  # at least as near the start as the end
        rows = _key_rows(queryset, keys, offset, end - offset, ids_only=ids_only)
    else:
        reversed_keys = tuple(key.reversed() for key in keys)
        rows = _key_rows(queryset, reversed_keys, count - end, end - offset, ids_only=ids_only)
        rows = rows[::-1]
    return PageIds(ids=[row[-1] for row in rows]) if ids_only else page_of_key_rows(rows)


def rows_in_order(queryset, ids):
    """The rows with ``ids``, in that order (one query by primary key)."""
    found = queryset.filter(pk__in=ids).order_by()
    rows = {row.pk: row for row in found}
    return [rows[pk] for pk in ids if pk in rows]


# Seek: the rows after a known row.


def _after_value(key, value):
    """Rows whose ``key`` comes strictly after ``value`` among the non-NULL values."""
    lookup = "lt" if key.descending else "gt"
    return Q(**{f"{key.column}__{lookup}": value})


def _from_value(key, value):
    lookup = "lte" if key.descending else "gte"
    return Q(**{f"{key.column}__{lookup}": value})


def _seek_parts(keys, values):
    """The rows after ``values`` in the order ``keys`` (one key then the id, or the id
    alone), as (filter, order) parts read one after another: each part starts on the
    order's index where the last one ended, so no part walks the rows before the key."""
    if len(keys) == 1:
        (pk_key,) = keys
        return [(_after_value(pk_key, values[0]), keys)]
    key, pk_key = keys
    value, pk = values
    null_part = Q(**{f"{key.column}__isnull": True})
    id_order = (pk_key,)
    if value is None:
        parts = [(null_part & _after_value(pk_key, pk), id_order)]
        if key.nulls_first:  # then every row with a value
            parts.append((Q(**{f"{key.column}__isnull": False}), keys))
        return parts
    ties_after = _after_value(key, value) | _after_value(pk_key, pk)
    parts = [(_from_value(key, value) & ties_after, keys)]
    if key.field.null and not key.nulls_first:
        parts.append((null_part, id_order))
    return parts


def key_rows_after(queryset, keys, values, limit):
    """The key values (ending in the id) of the ``limit`` rows after the row whose key is
    ``values``; with reversed ``keys``, of the rows before it, nearest first."""
    rows = []
    columns = [key.column for key in keys]
    for condition, order in _seek_parts(keys, values):
        wanted = limit - len(rows)
        if wanted <= 0:
            break
        part = _ordered(queryset.prefetch_related(None).filter(condition), order)
        rows += part.values_list(*columns)[:wanted]
    return rows


def seekable(keys):
    """Whether seek links can serve this order: one column then the id, or the id alone
    (not the search rank: a float read back from a link need not compare equal)."""
    if keys is None or len(keys) > 2 or any(key.field is None for key in keys):
        return False
    return keys[-1].field.primary_key


# Seek tokens: a row's key values in a link, bound to where they may be used.


def _encode(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _decoded_value(field, raw):
    """``raw`` as a value of ``field``, or raise ValueError: typed per sort key."""
    if raw is None:
        if field.null:
            return None
        raise ValueError("NULL in a non-nullable key")
    if isinstance(field, TEXT_FIELDS):
        if not isinstance(raw, str) or "\x00" in raw:
            raise ValueError("not text")
        if field.max_length and len(raw) > field.max_length:
            raise ValueError("longer than the column")
        return raw
    if isinstance(field, INTEGER_FIELDS):  # the id's AutoField too
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
            raise ValueError("not an integer of the column's range")
        return raw
    if isinstance(field, models.DateTimeField):
        parsed = parse_datetime(raw) if isinstance(raw, str) else None
        if parsed is None or parsed.tzinfo is None:
            raise ValueError("not a date-time with offset")
        return parsed
    if isinstance(field, models.DateField):
        parsed = parse_date(raw) if isinstance(raw, str) else None
        if parsed is None:
            raise ValueError("not a date")
        return parsed
    raise ValueError("unsupported key")


@dataclass(frozen=True)
class SeekToken:
    """Where a seek link may be used: a list (its path and filters), its order, the page
    number the link leads to, and the data version (any change to the data retires every
    token, so a key never points into a list that has moved since)."""

    scope: str
    keys: tuple

    def _mac(self, direction, page_number, payload):
        message = "\x1f".join(
            [
                self.scope,
                ",".join(key.signature() for key in self.keys),
                direction,
                str(page_number),
                data_version(),
                payload,
            ]
        )
        return salted_hmac("tracker.catalogue.paging.SeekToken", message).hexdigest()[:20]

    def make(self, direction, page_number, values):
        """The token of ``values`` for a link to ``page_number`` (``after`` or ``before``)."""
        payload = json.dumps(
            [_encode(v) for v in values], separators=(",", ":"), ensure_ascii=False
        )
        payload = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
        return f"{payload}.{self._mac(direction, page_number, payload)}"

    def values(self, token, direction, page_number):
        """The key values in ``token`` when it was made for this list, order, page and data;
        otherwise None (the caller then finds the page by offset)."""
        if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH or token.count(".") != 1:
            return None
        payload, mac = token.split(".")
        expected = self._mac(direction, page_number, payload)
        if not hmac.compare_digest(mac.encode(), expected.encode()):  # any text, in bytes
            return None
        try:
            raw = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            if not isinstance(raw, list) or len(raw) != len(self.keys):
                return None
            return tuple(_decoded_value(k.field, v) for k, v in zip(self.keys, raw, strict=True))
        except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):
            return None
