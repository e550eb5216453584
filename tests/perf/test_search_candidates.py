"""A search matching more rows than it ranks exactly: the candidates (the first matches in
storage order) are ranked, the count is an estimate and says so, and every page still
follows one order in which each match appears once."""

import pytest
from django.db import connection
from django.test import Client

from tests.factories import DeploymentFactory
from tracker.catalogue import search as search_module
from tracker.catalogue.search import search
from tracker.models import Deployment

pytestmark = pytest.mark.django_db

WORD = "quokkacam"
FILLER = "lorem ipsum " * 80  # wide rows (kept under 2 kB, never compressed): a few per block


@pytest.fixture
def many_matches(monkeypatch):
    """40 matches: the best one first (its title names the word twice), and one more,
    stored last, whose title names it three times."""
    monkeypatch.setattr(search_module, "RANKED_CANDIDATES", 12)
    monkeypatch.setattr(search_module, "RANKED_HEAD", 6)
    with connection.cursor() as cursor:  # a new, empty table: rows stored as they are made
        cursor.execute("TRUNCATE tracker_deployment CASCADE")
    made = [DeploymentFactory(title=f"{WORD} {WORD} north gate", summary=FILLER)]
    for n in range(38):
        made.append(DeploymentFactory(title=f"Camera {n}", summary=f"{WORD} {FILLER}"))
    made.append(DeploymentFactory(title=f"{WORD} {WORD} {WORD} depot", summary=FILLER))
    DeploymentFactory(title="Unrelated", summary=FILLER)
    with connection.cursor() as cursor:  # as at any size: the planner reads the whole table
        cursor.execute("ANALYZE tracker_deployment")
        cursor.execute("SELECT count(DISTINCT (ctid::text::point)[0]) FROM tracker_deployment")
        assert cursor.fetchone()[0] >= 5  # the matches lie in several blocks
    return made


def api_page(**params):
    response = Client().get("/api/v1/deployments/", {"q": WORD, **params})
    assert response.status_code == 200, response.content
    return response.json()


def test_the_count_is_an_estimate_and_says_so(many_matches):
    body = api_page(limit=5)
    assert body["count_estimated"] is True  # more than the candidates: never shown as exact
    assert body["count"] >= 12
    assert body["results"][0]["title"] == f"{WORD} {WORD} north gate"


def test_every_page_walked_meets_each_match_once_and_the_walk_ends(many_matches):
    titles, offset = [], 0
    while True:
        body = api_page(limit=4, offset=offset)
        titles += [row["title"] for row in body["results"]]
        if body["next"] is None:
            break
        offset += 4
        assert offset < 200, "the pages never end"
    expected = set(search(Deployment.objects.published(), WORD).values_list("title", flat=True))
    assert len(titles) == len(expected) == 40
    assert set(titles) == expected
    # The candidates come first, best first; a later match, however good, after them.
    assert titles[0] == f"{WORD} {WORD} north gate"
    assert titles.index(f"{WORD} {WORD} {WORD} depot") >= 6


def test_a_search_within_the_candidates_is_counted_exactly(many_matches, monkeypatch):
    monkeypatch.setattr(search_module, "RANKED_CANDIDATES", 100)
    body = api_page(limit=5)
    assert body["count"] == 40 and "count_estimated" not in body
    assert body["results"][0]["title"] == f"{WORD} {WORD} {WORD} depot"


def test_the_rest_of_a_transaction_plans_as_before_a_search(many_matches):
    """The search plans its bounded read without index scans for that read alone: a page
    answered inside one transaction plans its later queries as before."""
    from django.db import transaction

    from tracker.catalogue.search import STORAGE_ORDER_SETTINGS, ranked_head

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SHOW enable_indexscan")
        before = cursor.fetchone()[0]
        ranked_head(search(Deployment.objects.published(), WORD))
        for name in STORAGE_ORDER_SETTINGS:
            cursor.execute(f"SHOW {name}")
            assert cursor.fetchone()[0] != STORAGE_ORDER_SETTINGS[name], name
        cursor.execute("SHOW enable_indexscan")
        assert cursor.fetchone()[0] == before == "on"


def test_a_search_counts_its_facets_by_the_search_index(many_matches):
    """The facets of a search read its matches by the search index (the planner would
    test every stored document for a common word), count them all, and leave the rest of
    a transaction planned as before."""
    from django.db import transaction
    from django.db.models import F

    from tracker.catalogue.search import matches_read_by_search_index
    from tracker.catalogue.selectors.rows import counted_facets

    searched = search(Deployment.objects.published(), WORD)
    sql, params = searched.order_by().values("status").query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        with matches_read_by_search_index(searched):
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
    assert "Bitmap Index Scan" in plan and "search_document" in plan, plan
    assert "Seq Scan on tracker_deployment" not in plan, plan

    count, (statuses,) = counted_facets(searched, [(F("status"), None, None, 0)])
    assert count == 40
    assert sum(facet["count"] for facet in statuses) == 40

    page = Client().get("/deployments/", {"q": WORD})
    assert page.status_code == 200
    assert "40" in page.content.decode()
