"""Every sort option of the deployment and hotspot lists is served by an index: forwards,
reversed (a page read from the end) and sought from a key, no query sorts the rows."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection, transaction

from tests.support.data import long_lists
from tracker.catalogue import paging
from tracker.catalogue.filters import DeploymentFilter, HotspotFilter
from tracker.models import Deployment, Hotspot
from tracker.views.lists import DEPLOYMENTS, HOTSPOTS

pytestmark = pytest.mark.django_db

SAMPLE_VALUE = {
    "title": "Cameras 4",
    "name": "Market 4",
    "updated_at": datetime(2025, 6, 1, tzinfo=UTC),
    "announced_on": date(2020, 1, 2),
    "camera_count": 3,
}
CASES = [
    (model, filterset, ordering)
    for model, filterset, spec in (
        (Deployment, DeploymentFilter, DEPLOYMENTS),
        (Hotspot, HotspotFilter, HOTSPOTS),
    )
    for ordering, _label in spec.sort_options
]


def plan(queryset):
    """The plan PostgreSQL picks when sorting is as dear as it can make it: a full sort,
    and an incremental one after an index giving only the first key (which the planner
    may prefer, whatever indexes exist, once earlier tests' rows have changed the
    table's statistics)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_incremental_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        return queryset.explain()


@pytest.mark.parametrize(("model", "filterset", "ordering"), CASES)
def test_each_sort_option_pages_on_an_index(model, filterset, ordering):
    long_lists(count=6)
    params = {"ordering": ordering} if ordering else {}
    listed = filterset(params, queryset=model.objects.published()).qs
    keys = paging.sort_keys(listed)
    assert paging.seekable(keys), ordering
    reversed_keys = tuple(key.reversed() for key in keys)
    queries = {
        "forward": paging._ordered(listed, keys).values_list("pk")[:25],
        "reversed": paging._ordered(listed, reversed_keys).values_list("pk")[:25],
    }
    values = (SAMPLE_VALUE[keys[0].column], 1)
    for direction, seek_keys in (("after", keys), ("before", reversed_keys)):
        for n, (condition, order) in enumerate(paging._seek_parts(seek_keys, values)):
            part = paging._ordered(listed.filter(condition), order).values_list("pk")[:25]
            queries[f"{direction} part {n}"] = part
    for name, query in queries.items():
        explained = plan(query)
        assert "Sort" not in explained, f"{ordering or 'default'} {name}:\n{explained}"
        assert "Index" in explained, f"{ordering or 'default'} {name}:\n{explained}"
