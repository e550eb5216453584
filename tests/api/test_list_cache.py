"""API list pages come from a cache that is never stale and never shared between different
questions; errors, throttling and authentication behave as without it (api/caching.py)."""

import pytest
from django.core.cache import cache

from tests.factories import SourceFactory, UserFactory
from tracker.catalogue.datacache import cached
from tracker.checking import records
from tracker.checking.outcomes import Fetched
from tracker.models import Deployment, Source, SourceHealth
from tracker.publication import entity_publish, entity_restore, entity_withdraw

LIST = "/api/v1/deployments/"


def kept(client, url, **headers):
    """Ask twice: a page is kept the second time it is asked for (api.caching)."""
    client.get(url, **headers)
    return client.get(url, **headers)


def titles(response):
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


def cited_source(response, deployment_id):
    row = next(row for row in response.json()["results"] if row["id"] == deployment_id)
    return row["citations"][0]["source"]


def test_a_list_page_is_served_from_the_cache(client, world):
    """A write that sends no signal (an UPDATE) does not show: the page was kept. (This
    is what makes the tests below mean something: without a cache they pass trivially.)"""
    first = kept(client, LIST)
    Deployment.objects.filter(pk=world.lucknow.pk).update(title="Changed behind its back")
    again = client.get(LIST)
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]


def test_an_edit_shows_at_once(client, world):
    kept(client, LIST)
    world.lucknow.title = "Face recognition at Lucknow markets, extended"
    world.lucknow.save()
    assert "Face recognition at Lucknow markets, extended" in titles(client.get(LIST))


def test_publishing_withdrawing_and_restoring_show_at_once(client, world):
    assert world.draft.title not in titles(kept(client, LIST))
    entity_publish(entity=world.draft)
    assert world.draft.title in titles(client.get(LIST))
    entity_withdraw(entity=world.lucknow, reason="Duplicate entry")
    assert world.lucknow.title not in titles(client.get(LIST))
    entity_restore(entity=world.lucknow)
    assert world.lucknow.title in titles(client.get(LIST))


def test_a_recorded_source_check_shows_at_once_and_keeps_the_cached_figures(client, world):
    before = cited_source(kept(client, LIST), world.lucknow.pk)
    kept(client, "/api/v1/sources/")
    assert before["health"] == SourceHealth.UNCHECKED and before["http_status"] is None
    figures = cached("figure-for-test", lambda: "computed once")
    claimed = dict(records.sources_claim(ids=[world.news.pk], due_only=False))
    fetched = Fetched(status=200, final_url=world.news.url, fingerprint="f" * 64, text="story")
    records.source_checks_record([(world.news.pk, claimed[world.news.pk], fetched)])

    after = cited_source(client.get(LIST), world.lucknow.pk)
    assert after["health"] == SourceHealth.OK
    assert after["http_status"] == 200 and after["last_checked_at"] is not None
    sources_page = client.get("/api/v1/sources/").json()["results"]
    assert [s["health"] for s in sources_page if s["id"] == world.news.pk] == [SourceHealth.OK]
    # Source checks never throw away the costly figures (stats, facets): same data version.
    assert cached("figure-for-test", lambda: "computed again") == figures


def test_a_moderator_accepting_a_changed_source_shows_at_once(client, world):
    Source.objects.filter(pk=world.news.pk).update(health=SourceHealth.CHANGED)
    assert cited_source(kept(client, LIST), world.lucknow.pk)["health"] == SourceHealth.CHANGED
    records.source_mark_reviewed(source=world.news, moderator=UserFactory())
    assert cited_source(client.get(LIST), world.lucknow.pk)["health"] == SourceHealth.OK


def test_a_new_citation_shows_at_once(client, world):
    kept(client, LIST)
    world.delhi.citations.create(source=SourceFactory(title="Delhi report"), claim="Announced.")
    row = next(r for r in client.get(LIST).json()["results"] if r["id"] == world.delhi.pk)
    assert [c["source"]["title"] for c in row["citations"]] == ["Delhi report"]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("?state=IN-UP", "?state=IN-MH"),
        ("?limit=1", "?limit=2"),
        ("?limit=1&limit=2", "?limit=2&limit=1"),  # the last value counts
        ("", "?format=geojson"),
        ("?ordering=title", "?ordering=-title"),
    ],
)
def test_different_questions_never_share_an_answer(client, world, one, other):
    first, second = client.get(LIST + one), client.get(LIST + other)
    assert first.status_code == second.status_code == 200
    assert first.content != second.content
    assert client.get(LIST + one).content == first.content
    assert client.get(LIST + other).content == second.content


def test_the_same_question_in_another_order_shares_one_answer(client, world):
    first = kept(client, LIST + "?state=IN-UP&limit=1")
    Deployment.objects.filter(pk=world.lucknow.pk).update(title="Changed behind its back")
    assert client.get(LIST + "?limit=1&state=IN-UP").content == first.content


def test_formats_by_accept_header_and_hosts_are_kept_apart(client, world):
    as_json = client.get(LIST, HTTP_ACCEPT="application/json")
    as_geojson = client.get(LIST, HTTP_ACCEPT="application/geo+json")
    assert as_json["Content-Type"] == "application/json"
    assert as_geojson["Content-Type"] == "application/geo+json"
    assert as_geojson.json()["type"] == "FeatureCollection"
    assert client.get(LIST, HTTP_ACCEPT="application/json")["Content-Type"] == "application/json"
    # ``next`` is an absolute link: another host name gets its own page.
    local = client.get(LIST + "?limit=1", HTTP_HOST="localhost")
    assert local.json()["next"].startswith("http://localhost/")
    other = client.get(LIST + "?limit=1", HTTP_HOST="127.0.0.1")
    assert other.json()["next"].startswith("http://127.0.0.1/")


def test_a_bad_parameter_is_a_400_every_time_and_never_cached(client, world):
    for _ in range(2):
        response = client.get(LIST + "?limit=abc")
        assert response.status_code == 400
        assert response.json() == {"limit": ["Enter a whole number."]}
        assert not response.has_header("ETag")
    empty = client.get(LIST + "?state=")
    assert empty.status_code == 400 and "state" in empty.json()
    assert client.get(LIST + "?state=").status_code == 400


def test_a_throttled_reader_gets_429_even_for_a_cached_page(settings, client, world):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "5/min"},
    }
    cache.clear()
    statuses = [client.get(LIST).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert int(client.get(LIST)["Retry-After"]) > 0


def test_a_wrong_token_is_refused_even_for_a_cached_page(client, world):
    assert client.get(LIST).status_code == 200
    refused = client.get(LIST, HTTP_AUTHORIZATION="Token not-a-real-token")
    assert refused.status_code == 401


def test_a_known_etag_gets_304_until_the_page_changes(client, world):
    first = client.get(LIST)
    etag = first["ETag"]
    not_modified = client.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified["ETag"] == etag
    assert client.get(LIST, HTTP_IF_NONE_MATCH=f'W/{etag}, "other"').status_code == 304
    assert client.get(LIST, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    world.lucknow.title = "Renamed"
    world.lucknow.save()
    changed = client.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_a_body_over_the_limit_is_not_kept(settings, client, world):
    settings.API_CACHE_MAX_BYTES = 100
    kept(client, LIST)
    Deployment.objects.filter(pk=world.lucknow.pk).update(title="Changed behind its back")
    assert "Changed behind its back" in titles(client.get(LIST))


def test_the_cache_can_be_turned_off(settings, client, world):
    settings.API_CACHE_SECONDS = 0
    kept(client, LIST)
    Deployment.objects.filter(pk=world.lucknow.pk).update(title="Changed behind its back")
    assert "Changed behind its back" in titles(client.get(LIST))


def test_cached_entries_expire(settings, client, world):
    kept(client, LIST)
    keys = [k for k in cache._cache.get_client().keys("*api:list:*") if b"stored-bytes" not in k]
    assert keys
    ttl = cache._cache.get_client().ttl(keys[0])
    assert 0 < ttl <= settings.API_CACHE_SECONDS


def test_pages_past_the_storage_budget_are_rendered_uncached(settings, client, world):
    """Anyone can ask for endless distinct pages: the bytes stored per period are capped."""
    settings.API_CACHE_BUDGET_BYTES = len(client.get(LIST + "?limit=1").content) + 10
    cache.clear()
    kept(client, LIST + "?limit=1")  # within the budget: kept
    kept(client, LIST + "?limit=2")  # past it: not kept
    Deployment.objects.filter(pk=world.delhi.pk).update(title="Changed behind its back")
    assert "Changed behind its back" not in titles(client.get(LIST + "?limit=1"))
    assert "Changed behind its back" in titles(client.get(LIST + "?limit=2"))


def test_head_answers_like_get_from_the_cache(client, world):
    got = client.get(LIST)
    head = client.head(LIST)
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == got["ETag"] and head["Content-Type"] == got["Content-Type"]


def test_rti_pages_are_kept_until_the_rti_clock_moves_on(client, world, monkeypatch):
    """Deadline states are judged as of now in India: a new day, or a deadline passing,
    renders afresh."""
    from api import views
    from tracker.models import RTIRequest

    monkeypatch.setattr(views, "rti_time_key", lambda: "2025-03-01|-|-")
    kept(client, "/api/v1/rti-requests/")
    RTIRequest.objects.filter(pk=world.rti.pk).update(title="Changed behind its back")
    assert "Changed behind its back" not in titles(client.get("/api/v1/rti-requests/"))
    monkeypatch.setattr(views, "rti_time_key", lambda: "2025-03-02|-|-")
    assert "Changed behind its back" in titles(client.get("/api/v1/rti-requests/"))


def test_a_page_asked_for_once_is_not_kept(client, world):
    """A crawler walking every offset, or random searches, leave markers, not bodies."""
    client.get(LIST + "?offset=0")
    Deployment.objects.filter(pk=world.delhi.pk).update(title="Changed behind its back")
    assert "Changed behind its back" in titles(client.get(LIST + "?offset=0"))


@pytest.mark.parametrize("cache_seconds", [300, 0])
def test_a_304_reads_no_row_and_renders_nothing(
    settings, client, world, monkeypatch, django_assert_num_queries, cache_seconds
):
    """The ETag comes from the cache key and the versions, known before rendering: with
    the page not kept (asked for once, or the cache off), a 304 still costs no query."""
    from rest_framework.renderers import JSONRenderer

    settings.API_CACHE_SECONDS = cache_seconds
    etag = client.get(LIST + "?state=IN-UP")["ETag"]
    rendered = []
    render = JSONRenderer.render
    monkeypatch.setattr(
        JSONRenderer, "render", lambda self, *a, **k: rendered.append(1) or render(self, *a, **k)
    )
    with django_assert_num_queries(0):
        not_modified = client.get(LIST + "?state=IN-UP", HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and not_modified["ETag"] == etag
    assert not_modified.content == b"" and rendered == []
    assert "Accept" in not_modified["Vary"]  # as the full answer says
    # Another question has another ETag, and is rendered.
    other = client.get(LIST + "?state=IN-MH", HTTP_IF_NONE_MATCH=etag)
    assert other.status_code == 200 and other["ETag"] != etag and rendered == [1]


@pytest.mark.parametrize("cache_seconds", [300, 0])
def test_counts_read_with_the_page_entry_follow_the_data(settings, client, world, cache_seconds):
    """A list's count is read in the page entry's round trip (``read_ahead``): each filter
    set keeps its own count, and publishing a row shows in the very next count."""
    settings.API_CACHE_SECONDS = cache_seconds
    everything, in_up = client.get(LIST).json(), client.get(LIST + "?state=IN-UP").json()
    assert everything["count"] == len(everything["results"]) > in_up["count"] >= 1
    assert client.get(LIST + "?state=IN-UP&limit=1").json()["count"] == in_up["count"]
    entity_publish(entity=world.draft)
    assert client.get(LIST).json()["count"] == everything["count"] + 1
    assert client.get(LIST + "?state=IN-UP").json()["count"] == in_up["count"] + (
        world.draft.state_id == "IN-UP"
    )
