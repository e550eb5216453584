"""A list page's next and previous links (``api.pagination``), written in one pass, are
the links REST framework's own pagination writes, for any query string a client sends."""

import pytest
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from api.pagination import StrictLimitOffsetPagination

QUERIES = [
    "",
    "state=IN-MH&status=in_use&limit=50",
    "offset=100&limit=25&q=face+recognition&q=second",
    "q=%E0%A4%AE%E0%A5%81%E0%A4%82%E0%A4%AC%E0%A4%88&blank=&ordering=-updated_at",
    "q=%FF%FEbroken&limit=10&offset=7",  # bytes that are not UTF-8
    "z=1&a=2&offset=30&limit=10&a=3",
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize(
    ("offset", "limit", "count"),
    [(0, 10, 100), (30, 10, 100), (5, 10, 100), (90, 10, 100), (10, 10, 15)],
)
def test_links_are_rest_frameworks(query, offset, limit, count):
    request = Request(APIRequestFactory().get(f"/api/v1/deployments/?{query}"))
    ours, theirs = StrictLimitOffsetPagination(), LimitOffsetPagination()
    for pagination in (ours, theirs):
        pagination.request, pagination.offset, pagination.limit = request, offset, limit
        pagination.count = count
    ours.count_estimated = False
    assert ours.get_next_link() == theirs.get_next_link()
    assert ours.get_previous_link() == theirs.get_previous_link()
