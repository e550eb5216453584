"""A search's ranking is cached per data version: every page still matches the ranking the
database gives, beyond the cached head too, and a change shows at once."""

import re

import pytest
from django.test import Client

from tests.factories import DeploymentFactory
from tracker.catalogue import search as search_module
from tracker.catalogue.search import RANKED_CANDIDATES, search
from tracker.models import Deployment, Publication
from tracker.publication import entity_publish

pytestmark = pytest.mark.django_db

WORD = "zephyrcam"


def ranked_titles():
    """Every matching published title, best first, as the database ranks them (no cache)."""
    rows = search(Deployment.objects.published(), WORD)
    return list(rows.values_list("title", flat=True))


def api_titles(**params):
    response = Client().get("/api/v1/deployments/", {"q": WORD, **params})
    assert response.status_code == 200, response.content
    body = response.json()
    return body["count"], [row["title"] for row in body["results"]]


def site_titles(page):
    response = Client().get("/deployments/", {"q": WORD, "page": page})
    assert response.status_code == 200
    body = response.content.decode()
    table = body[body.index("<tbody>") : body.index("</tbody>")]
    count = int(re.search(r'class="match-count">(\d+) result', body).group(1))
    return count, re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', table)


@pytest.fixture
def matches():
    """Rows whose rank differs (the word in the title, the summary or both, repeated),
    plus ties (same text) that only the id orders, and rows that do not match."""
    made = []
    for n in range(34):
        title = f"{WORD} gate {n}" if n % 3 == 0 else f"Junction cameras {n}"
        summary = " ".join([WORD] * (n % 5)) + " other words"
        made.append(DeploymentFactory(title=title, summary=summary))
    DeploymentFactory(title="Unrelated system", summary="nothing here")
    DeploymentFactory(title=f"{WORD} draft", publication=Publication.DRAFT)
    return made


def test_every_page_follows_the_databases_ranking_past_the_cached_head(matches, monkeypatch):
    monkeypatch.setattr(search_module, "RANKED_HEAD", 7)
    expected = ranked_titles()
    assert len(expected) > 20 and f"{WORD} draft" not in expected
    pages = [api_titles(limit=5, offset=offset) for offset in range(0, len(expected) + 5, 5)]
    assert {count for count, _ in pages} == {len(expected)}
    assert [title for _, titles in pages for title in titles] == expected
    # The same page asked again (now from the cache) is the same page.
    assert api_titles(limit=5, offset=5) == pages[1]
    # A page straddling the cached head and the rest.
    assert api_titles(limit=6, offset=4)[1] == expected[4:10]


def test_site_pages_follow_the_ranking_and_count_the_matches(matches, monkeypatch):
    monkeypatch.setattr(search_module, "RANKED_HEAD", 30)
    expected = ranked_titles()
    first_count, first = site_titles(1)
    second_count, second = site_titles(2)
    assert first_count == second_count == len(expected)
    assert first + second == expected


def test_a_new_best_match_is_first_at_once_after_a_cached_search(matches):
    _, before = api_titles()
    site_titles(1)
    newcomer = DeploymentFactory(
        title=f"{WORD} {WORD} {WORD} control room",
        summary=f"{WORD} " * 8,
        publication=Publication.DRAFT,
    )
    assert api_titles()[1] == before  # a draft is never found
    entity_publish(entity=newcomer)
    count, after = api_titles()
    assert after[0] == newcomer.title
    assert count == len(ranked_titles())
    assert site_titles(1)[1][0] == newcomer.title


def test_a_geojson_page_of_a_search_keeps_the_ranking(matches):
    response = Client().get(
        "/api/v1/deployments/", {"q": WORD, "format": "geojson", "limit": 10, "offset": 3}
    )
    assert response.status_code == 200
    titles = [feature["properties"]["title"] for feature in response.json()["features"]]
    located = search(Deployment.objects.published().filter(location__isnull=False), WORD)
    assert titles == list(located.values_list("title", flat=True)[3:13])
    assert len(titles) == 10


def test_a_cold_api_search_reads_the_matches_once_for_its_count_and_ranking(matches):
    """Fewer matches than the candidates: one bounded read ranks and counts them exactly."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    expected = ranked_titles()
    with CaptureQueriesContext(connection) as queries:
        count, titles = api_titles(limit=5)
    assert count == len(expected) and titles == expected[:5]
    searching = [q["sql"] for q in queries if 'search_document" @@' in q["sql"]]
    assert len(searching) == 1 and searching[0].endswith(f"LIMIT {RANKED_CANDIDATES + 1}")
    with CaptureQueriesContext(connection) as queries:
        assert api_titles(limit=5, offset=5) == (count, expected[5:10])
    assert not [q for q in queries if "search_document" in q["sql"]]  # the cached head
