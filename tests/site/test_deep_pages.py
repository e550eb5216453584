"""Every page of every list, read by offset, from the nearer end or through the pager's
seek links, holds exactly the rows of the plain forward order, ties and NULLs included."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import HotspotFactory
from tracker.catalogue.paging import SeekToken, sort_keys
from tracker.catalogue.search import search
from tracker.models import Agency, Deployment, Hotspot, RTIRequest
from tracker.views.common import PAGE_SIZE
from tracker.views.lists import AGENCIES, DEPLOYMENTS, HOTSPOTS
from tracker.views.rti import OVERDUE, RTI_REQUESTS

# (path, model, the list's sort options plus other orders its ``ordering`` accepts)
LISTS = [
    ("/deployments/", Deployment, DEPLOYMENTS, ["cost_inr", "-cost_inr", "-id", "-title"]),
    ("/agencies/", Agency, AGENCIES, ["-name", "updated_at", "id"]),
    ("/hotspots/", Hotspot, HOTSPOTS, ["identified_on", "-identified_on", "camera_count"]),
    ("/rti/", RTIRequest, RTI_REQUESTS, ["decision_due_on", "-decision_due_on", "-filed_on"]),
    ("/rti/overdue/", RTIRequest, OVERDUE, []),
]
CASES = [
    (path, model, ordering)
    for path, model, spec, extra in LISTS
    for ordering in [value for value, _label in spec.sort_options] + extra
]
DEFAULT_ORDER = {"/rti/overdue/": "overdue_since"}


@pytest.fixture
def lists(long_lists_once, db):
    return long_lists_once


def forward_ids(path, model, ordering):
    """The list's rows in the plain forward order (PostgreSQL's own NULL placement)."""
    rows = model.objects.published()
    if path == "/rti/overdue/":
        rows = rows.filter(overdue_since__lte=timezone.now())
    ordering = ordering or DEFAULT_ORDER.get(path, "")
    terms = ordering.split(",") if ordering else list(model._meta.ordering)
    return list(rows.order_by(*terms, "id").values_list("pk", flat=True))


def row_ids(response):
    assert response.status_code == 200
    body = response.content.decode()
    table = body[body.index("<tbody>") : body.index("</tbody>")]
    return [int(pk) for pk in re.findall(r'<th scope="row"><a href="[^"]*/(\d+)-[^"]*">', table)]


def link(response, rel):
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', response.content.decode())
    return found and found.group(1).replace("&amp;", "&")


def get(client, path, ordering, **params):
    return client.get(path, {**({"ordering": ordering} if ordering else {}), **params})


@pytest.mark.parametrize(("path", "model", "ordering"), CASES)
def test_every_page_by_offset_and_by_link_is_the_forward_order(
    client, lists, path, model, ordering
):
    expected = forward_ids(path, model, ordering)
    pages = -(-len(expected) // PAGE_SIZE)
    assert pages >= 2, "the data must span pages"

    by_offset = [row_ids(get(client, path, ordering, page=n)) for n in range(1, pages + 1)]
    assert sum(by_offset, []) == expected

    # Next links from the first page, then Previous links back from the last.
    with CaptureQueriesContext(connection) as queries:
        response, forward = get(client, path, ordering), []
        while True:
            forward.append(row_ids(response))
            if not (href := link(response, "next")):
                break
            assert "after=" in href
            response = client.get(path + href)
        backward = [forward[-1]]
        while href := link(response, "prev"):
            response = client.get(path + href)
            backward.insert(0, row_ids(response))
    assert forward == by_offset
    assert backward == by_offset
    # A page reached by a link seeks to its key: no query walks the rows before it.
    assert not [q["sql"] for q in queries if " OFFSET " in q["sql"]]


def test_the_page_number_shown_stays_right_through_links(client, lists):
    response = client.get("/hotspots/")
    for number in (2, 3):
        response = client.get("/hotspots/" + link(response, "next"))
        assert f"Page {number} of 3" in response.content.decode()


def key_of(ordering, page, direction, values, **params):
    """A key for /hotspots/ signed as the pager signs them, of values of our choosing."""
    from django.test import RequestFactory

    from tracker.views.common import _list_scope

    request = RequestFactory().get("/hotspots/", {"ordering": ordering, **params})
    keys = sort_keys(Hotspot.objects.order_by(*ordering.split(","), "id"))
    return SeekToken(_list_scope(request), keys).make(direction, page, values)


HOSTILE_KEYS = {
    "garbage": {"after": "not-a-key"},
    "empty": {"after": ""},
    "huge": {"after": "A" * 100_000 + ".0123456789abcdef0123"},
    "bad base64": {"after": "@@@.0123456789abcdef0123"},
    "two dots": {"after": "a.b.c"},
    "NUL": {"after": "\x00.\x00"},
    "not ASCII": {"after": "WzEsMV0.é"},
    "not ASCII payload": {"before": "ज़्यादा.0123456789abcdef0123"},
    "both directions": {"after": "x.y", "before": "x.y"},
    "repeated": {"after": ["x.y", "z.w"]},
}


@pytest.mark.parametrize("params", HOSTILE_KEYS.values(), ids=HOSTILE_KEYS.keys())
def test_hostile_keys_give_the_right_page(client, lists, params):
    expected = row_ids(client.get("/hotspots/", {"ordering": "-camera_count", "page": 2}))
    response = client.get("/hotspots/", {"ordering": "-camera_count", "page": 2, **params})
    assert row_ids(response) == expected


def test_keys_made_for_another_page_order_or_list_are_not_used(client, lists):
    page_two = client.get("/hotspots/", {"ordering": "-camera_count"})
    after = re.search(r"after=([^&\"]+)", link(page_two, "next")).group(1)
    expected = {
        (ordering, page): row_ids(get(client, "/hotspots/", ordering, page=page))
        for ordering in ("-camera_count", "name")
        for page in (2, 3)
    }
    assert (
        row_ids(get(client, "/hotspots/", "-camera_count", page=3, after=after))
        == (expected["-camera_count", 3])
    )
    assert row_ids(get(client, "/hotspots/", "name", page=2, after=after)) == (expected["name", 2])
    assert (
        row_ids(get(client, "/hotspots/", "-camera_count", page=2, before=after))
        == (expected["-camera_count", 2])
    )
    box = {"in_bbox": "80.9,26.8,81.0,26.9"}  # Lucknow: leaves out the hotspots in Delhi
    in_box = row_ids(get(client, "/hotspots/", "-camera_count", page=2, **box))
    assert in_box != expected["-camera_count", 2]
    assert row_ids(get(client, "/hotspots/", "-camera_count", page=2, after=after, **box)) == in_box
    tampered = after[:-1] + ("0" if after[-1] != "0" else "1")
    assert (
        row_ids(get(client, "/hotspots/", "-camera_count", page=2, after=tampered))
        == (expected["-camera_count", 2])
    )


WRONG_VALUES = {
    "text for a number": ("-camera_count", ["many", 5]),
    "boolean for a number": ("-camera_count", [True, 5]),
    "beyond the column's range": ("-camera_count", [2**40, 5]),
    "float id": ("-camera_count", [3, 5.5]),
    "NULL id": ("-camera_count", [3, None]),
    "a list": ("-camera_count", [[1], 5]),
    "too few": ("-camera_count", [5]),
    "too many": ("-camera_count", [5, 5, 5]),
    "number for a date": ("identified_on", [20240101, 5]),
    "impossible date": ("identified_on", ["2024-13-45", 5]),
    "time without offset": ("-updated_at", ["2025-06-01T00:00:00", 5]),
    "NULL in a column without": ("-updated_at", [None, 5]),
    "longer than the column": ("name", ["x" * 1000, 5]),
}


@pytest.mark.parametrize(("ordering", "values"), WRONG_VALUES.values(), ids=WRONG_VALUES.keys())
def test_signed_keys_of_the_wrong_type_give_the_right_page(client, lists, ordering, values):
    """Even a key the server signed is checked, value by value, against its column."""
    expected = row_ids(get(client, "/hotspots/", ordering, page=2))
    after = key_of(ordering, 2, "after", values)
    assert row_ids(get(client, "/hotspots/", ordering, page=2, after=after)) == expected


def test_a_key_from_before_the_data_changed_is_not_used(client, lists):
    first = client.get("/hotspots/")
    stale = link(first, "next")
    HotspotFactory(name="Market 0")  # sorts on page 1: every later row moves on by one
    expected = row_ids(client.get("/hotspots/", {"page": 2}))
    assert row_ids(client.get("/hotspots/" + stale)) == expected


def test_a_page_past_the_end_or_not_a_number_is_a_404_whatever_the_key(client, lists):
    after = key_of("-camera_count", 4, "after", [None, 1])
    query = {"ordering": "-camera_count", "after": after}
    assert client.get("/hotspots/", {**query, "page": 4}).status_code == 404
    assert client.get("/hotspots/", {**query, "page": "x"}).status_code == 404


def test_paging_keys_stay_out_of_other_links(client, lists):
    response = client.get("/hotspots/" + link(client.get("/hotspots/"), "next"))
    response = client.get("/hotspots/" + link(response, "next"))
    hrefs = re.findall(r'href="([^"]+)"', response.content.decode())
    with_key = {h.replace("&amp;", "&") for h in hrefs if "after=" in h or "before=" in h}
    assert with_key == {link(response, "prev"), link(response, "next")} - {None}
    assert 'name="after"' not in response.content.decode()


@pytest.mark.parametrize(
    ("path", "model", "words"),
    [("/hotspots/", Hotspot, "market"), ("/deployments/", Deployment, "cameras lucknow")],
)
def test_searched_pages_by_relevance_are_the_forward_order(client, lists, path, model, words):
    """Ranked by relevance, a late page is read from the end too; its links use offsets."""
    expected = list(search(model.objects.published(), words).values_list("pk", flat=True))
    pages = -(-len(expected) // PAGE_SIZE)
    assert pages >= 2
    by_offset = [row_ids(client.get(path, {"q": words, "page": n})) for n in range(1, pages + 1)]
    assert sum(by_offset, []) == expected
    next_link = link(client.get(path, {"q": words}), "next")
    assert "after=" not in next_link
    assert row_ids(client.get(path + next_link)) == by_offset[1]


def test_keys_of_names_in_any_script_are_sought(client, db):
    for i in range(30):
        HotspotFactory(name=f"बाज़ार चौराहा {i % 3} " + "क" * 150)  # long, and not ASCII
    second_page = row_ids(client.get("/hotspots/", {"page": 2}))
    next_link = link(client.get("/hotspots/"), "next")
    assert "after=" in next_link
    with CaptureQueriesContext(connection) as queries:
        assert row_ids(client.get("/hotspots/" + next_link)) == second_page
    assert not [q["sql"] for q in queries if " OFFSET " in q["sql"]]
