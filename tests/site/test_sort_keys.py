"""How a list's order is read as sort keys: which orders can be read from the end or
sought, and where each key's NULLs go forwards and reversed."""

import pytest
from django.db.models import F

from tracker.catalogue.paging import seekable, sort_keys
from tracker.catalogue.search import search
from tracker.models import Deployment, Hotspot

# (queryset, keys as (column, descending, NULLs first), seekable)
CASES = {
    "descending: NULLs first": (
        lambda: Hotspot.objects.order_by("-camera_count", "id"),
        [("camera_count", True, True), ("id", False, False)],
        True,
    ),
    "ascending: NULLs last": (
        lambda: Hotspot.objects.order_by("identified_on", "-id"),
        [("identified_on", False, False), ("id", True, True)],
        True,
    ),
    "NULLs placed by the order itself": (
        lambda: Hotspot.objects.order_by(F("camera_count").desc(nulls_last=True), "pk"),
        [("camera_count", True, False), ("id", False, False)],
        True,
    ),
    "the model's own order": (
        lambda: Deployment.objects.all(),
        [("updated_at", True, True), ("id", False, False)],
        True,
    ),
    "terms after the id change nothing": (
        lambda: Hotspot.objects.order_by("id", "name"),
        [("id", False, False)],
        True,
    ),
    "several columns: reversible, not sought": (
        lambda: Deployment.objects.order_by("title", "-camera_count", "id"),
        [("title", False, False), ("camera_count", True, True), ("id", False, False)],
        False,
    ),
    "search rank: reversible, not sought": (
        lambda: search(Hotspot.objects.all(), "market"),
        [("search_rank", True, True), ("id", False, False)],
        False,
    ),
    "no id: not a total order": (lambda: Hotspot.objects.order_by("name"), None, False),
    "a relation": (lambda: Hotspot.objects.order_by("state", "id"), None, False),
    "a related column": (lambda: Hotspot.objects.order_by("state__name", "id"), None, False),
    "random": (lambda: Hotspot.objects.order_by("?", "id"), None, False),
    "a location": (lambda: Hotspot.objects.order_by("location", "id"), None, False),
}


@pytest.mark.parametrize(("queryset", "expected", "can_seek"), CASES.values(), ids=CASES.keys())
def test_sort_keys(db, queryset, expected, can_seek):
    # db: a search reads the place names it also matches (the gazetteer) from the database.
    keys = sort_keys(queryset())
    if expected is None:
        assert keys is None
    else:
        assert [(k.column, k.descending, k.nulls_first) for k in keys] == expected
        reversed_keys = [key.reversed() for key in keys]
        assert [(k.descending, k.nulls_first) for k in reversed_keys] == [
            (not descending, not nulls_first) for _column, descending, nulls_first in expected
        ]
    assert seekable(keys) is can_seek
