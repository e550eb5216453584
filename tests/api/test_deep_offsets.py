"""An API page at any offset, read from the nearer end of the list, holds exactly the rows
the plain forward order has there, whatever the ordering, ties and NULLs included."""

import pytest
from django.utils import timezone

from tracker.catalogue.filters import (
    AgencyFilter,
    DeploymentFilter,
    HotspotFilter,
    RTIRequestFilter,
)
from tracker.catalogue.search import search
from tracker.models import Agency, Deployment, Hotspot, RTIRequest

ENDPOINTS = [
    ("deployments", Deployment, DeploymentFilter),
    ("agencies", Agency, AgencyFilter),
    ("hotspots", Hotspot, HotspotFilter),
    ("rti-requests", RTIRequest, RTIRequestFilter),
]
MIXED = {
    "deployments": ["title,-camera_count", "-announced_on,cost_inr", "camera_count,-id"],
    "agencies": ["-name,updated_at"],
    "hotspots": ["name,-identified_on", "-camera_count,-updated_at"],
    "rti-requests": ["-overdue_since,filed_on", "decision_due_on,-id"],
}


def orderings(name, filterset):
    """No ordering, every field both ways, and orders of several fields."""
    fields = [f for f in filterset.base_filters["ordering"].param_map]
    return ["", *fields, *(f"-{f}" for f in fields), *MIXED[name]]


CASES = [
    (name, model, ordering)
    for name, model, filterset in ENDPOINTS
    for ordering in orderings(name, filterset)
]


@pytest.fixture
def lists(long_lists_once, db):
    return long_lists_once


def forward_ids(model, ordering, **where):
    terms = ordering.split(",") if ordering else list(model._meta.ordering)
    rows = model.objects.published().filter(**where).order_by(*terms, "id")
    return list(rows.values_list("pk", flat=True))


def ids(client, name, **params):
    response = client.get(f"/api/v1/{name}/", params)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.parametrize(("name", "model", "ordering"), CASES)
def test_every_offset_holds_the_forward_rows(client, lists, name, model, ordering):
    expected = forward_ids(model, ordering)
    count = len(expected)
    assert count >= 60
    query = {"ordering": ordering} if ordering else {}
    by_offset = [
        ids(client, name, limit=7, offset=offset, **query) for offset in range(0, count, 7)
    ]
    assert sum(by_offset, []) == expected
    for offset in (count - 1, count - 4, count - 7, count - 25, count // 2 + 1):
        assert ids(client, name, limit=7, offset=offset, **query) == expected[offset : offset + 7]
    assert ids(client, name, limit=7, offset=count, **query) == []
    assert ids(client, name, limit=7, offset=count + 1000, **query) == []


@pytest.mark.parametrize("ordering", ["", "-camera_count", "announced_on", "title,-cost_inr"])
def test_geojson_pages_near_the_end_hold_the_forward_rows(client, lists, ordering):
    expected = forward_ids(Deployment, ordering, location__isnull=False)
    count = len(expected)
    assert count < Deployment.objects.published().count()  # some rows have no location
    query = {"ordering": ordering} if ordering else {}
    for offset in (0, count // 2, count - 3, count):
        response = client.get(
            "/api/v1/deployments/", {"format": "geojson", "limit": 5, "offset": offset, **query}
        )
        assert response.status_code == 200
        got = [feature["id"] for feature in response.json()["features"]]
        assert got == expected[offset : offset + 5]


def test_a_filtered_list_is_paged_from_its_own_end(client, lists):
    now = timezone.now()
    expected = forward_ids(RTIRequest, "overdue_since", overdue_since__lte=now)
    count = len(expected)
    got = ids(
        client, "rti-requests", overdue="true", ordering="overdue_since", limit=5, offset=count - 5
    )
    assert got == expected[-5:]


@pytest.mark.parametrize(
    ("name", "model", "words"),
    [("hotspots", Hotspot, "market"), ("deployments", Deployment, "cameras lucknow")],
)
def test_searched_offsets_near_the_end_hold_the_ranked_rows(client, lists, name, model, words):
    expected = list(search(model.objects.published(), words).values_list("pk", flat=True))
    count = len(expected)
    assert count >= 60
    for offset in (0, count // 2 - 2, count - 6, count - 1):
        assert ids(client, name, q=words, limit=5, offset=offset) == expected[offset : offset + 5]
