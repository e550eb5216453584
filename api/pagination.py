"""Limit/offset pagination with a hard maximum and strict parameters.

A page is found by its ids first, read from the nearer end of the list
(``tracker.catalogue.paging``): ``offset=999950`` of a million rows costs what
``offset=0`` costs, and the middle of the list is the slowest page. Then only
the page's rows are read, with what the serializer shows. The API offers no seek
parameter: ``limit``/``offset`` is its contract, and ``ordering=updated_at`` with
``updated_since`` already walks a whole list at a constant cost per page.
"""

import re
from urllib import parse

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

from tracker.catalogue import paging, search
from tracker.catalogue.datacache import cached, cached_key

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
MAX_OFFSET = 10**9  # far beyond any table here, well inside PostgreSQL's bigint


class StrictLimitOffsetPagination(LimitOffsetPagination):
    """``limit`` (1..500, default 50) and ``offset`` (0..10**9).

    A bad value is a 400 naming the parameter, never a silently different page.
    Pages are stable: every list has a total order ending in ``id``.
    """

    default_limit = DEFAULT_PAGE_SIZE
    max_limit = MAX_PAGE_SIZE

    def _integer(self, request, name, minimum, maximum=None):
        raw = request.query_params.get(name)
        if raw in (None, ""):
            return None
        if not re.fullmatch(r"-?[0-9]+", raw):  # int() also takes " 5", "5_0", "٣"
            raise ValidationError({name: ["Enter a whole number."]})
        value = int(raw)
        if value < minimum or (maximum is not None and value > maximum):
            bound = f"between {minimum} and {maximum}" if maximum else f"at least {minimum}"
            raise ValidationError({name: [f"Must be {bound}."]})
        return value

    def get_limit(self, request):
        limit = self._integer(request, self.limit_query_param, 1, self.max_limit)
        return self.default_limit if limit is None else limit

    def get_offset(self, request):
        return self._integer(request, self.offset_query_param, 0, MAX_OFFSET) or 0

    def get_count(self, queryset, *, name="api-count"):
        """The number of matching rows, counted once per filter set until the data changes:
        every page of a list, and every reader, reuses it (counting 1,000,000 camera
        points per request would cost more than the page itself). ``name`` tells apart
        counts of different sets under the same filters (the rows with a location)."""
        if search.is_ranked(queryset):  # counted with its ranking, in one pass
            count, self.count_estimated = search.ranked_count(queryset)
            return count
        return cached(
            name,
            lambda: super(StrictLimitOffsetPagination, self).get_count(queryset),
            *self.count_vary(self.request, getattr(self, "vary", ())),
            ahead=getattr(self, "ahead", None),
        )

    def count_key(self, request, vary=(), *, name="api-count"):
        """Where the list's count is cached, for reading it ahead (``ahead``)."""
        return cached_key(name, *self.count_vary(request, tuple(map(str, vary))))

    def count_vary(self, request, vary):
        """What a count depends on: the path, the filters, the view's extras."""
        params = sorted(
            (key, value)
            for key, values in request.query_params.lists()
            if key not in (self.limit_query_param, self.offset_query_param, "format", "ordering")
            for value in values
        )
        return (request.path, params, *vary)

    def page_ids(self, queryset, request, *, count_name="api-count", count_always=True, vary=()):
        """The ids of the requested page of ``queryset``, in its order. Without
        ``count_always`` (a GeoJSON page shows no count) the first page is read without
        counting: only a later one needs the count, to know which end is nearer.
        ``vary``: what the list depends on besides the data (the view's cache extras,
        such as the RTI clock's key), which keys the cached count."""
        self.request = request
        self.vary = tuple(map(str, vary))
        self.offset, self.limit = self.page_bounds(request)
        self.count_estimated = False
        counted = count_always or self.offset
        self.count = self.get_count(queryset, name=count_name) if counted else None
        count = None if self.count_estimated else self.count  # an estimate places no page
        found = paging.page_ids(
            queryset, offset=self.offset, limit=self.limit, count=count, ids_only=True
        )
        self.page_length = len(found.ids)
        return found.ids

    def get_next_link(self):
        """None on the last page; with an estimated count, the last page is the first one
        that is not full (the estimate may be above or below the true number)."""
        if getattr(self, "count_estimated", False):
            last = self.page_length < self.limit
        else:
            last = self.offset + self.limit >= self.count
        return None if last else self.page_link(self.offset + self.limit)

    def get_previous_link(self):
        if self.offset <= 0:
            return None
        return self.page_link(self.offset - self.limit if self.offset > self.limit else None)

    def page_link(self, offset):
        """This request's URL with ``limit`` set and ``offset`` set (None: left out), its
        parameters sorted: what REST framework's links write, in one pass over the
        query string instead of two."""
        url = self.request.build_absolute_uri()
        scheme, netloc, path, query, fragment = parse.urlsplit(url)
        params = parse.parse_qs(query, keep_blank_values=True)
        params[self.limit_query_param] = [str(self.limit)]
        if offset is None:
            params.pop(self.offset_query_param, None)
        else:
            params[self.offset_query_param] = [str(offset)]
        query = parse.urlencode(sorted(params.items()), doseq=True)
        return parse.urlunsplit((scheme, netloc, path, query, fragment))

    def get_paginated_response(self, data):
        """The page; a search whose count is the planner's estimate says so with
        ``count_estimated``."""
        response = super().get_paginated_response(data)
        if getattr(self, "count_estimated", False):
            response.data["count_estimated"] = True
        return response

    def paginate_queryset(self, queryset, request, view=None):
        # What the view's answers depend on besides the data (the RTI clock) keys the count.
        extras = getattr(view, "list_cache_extras", None)
        ids = self.page_ids(queryset, request, vary=extras() if extras else ())
        return paging.rows_in_order(queryset, ids)

    def page_bounds(self, request):
        """(offset, limit) of the requested page, validated."""
        return self.get_offset(request), self.get_limit(request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["schema"].update(
                    {"minimum": 1, "maximum": self.max_limit, "default": self.default_limit}
                )
                parameter["description"] = (
                    f"Rows per page, 1 to {self.max_limit} (default {self.default_limit})."
                )
            elif parameter["name"] == self.offset_query_param:
                parameter["schema"].update({"minimum": 0, "maximum": MAX_OFFSET, "default": 0})
                parameter["description"] = "Number of rows to skip."
        return parameters

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        descriptions = {
            "count": "Number of rows matching the filters.",
            "next": "URL of the next page; null on the last page.",
            "previous": "URL of the previous page; null on the first page.",
            "results": "This page's rows.",
        }
        for name, description in descriptions.items():
            response["properties"][name]["description"] = description
        response["properties"]["count_estimated"] = {
            "type": "boolean",
            "description": (
                "Present and true when a search matches more rows than it ranks exactly: "
                "count is then the database's estimate, and the last page is the first one "
                "with fewer rows than the limit."
            ),
        }
        return response
