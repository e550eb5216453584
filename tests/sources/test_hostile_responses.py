"""A hostile or broken response still ends in a recorded check, and never costs another
source its result."""

import time

import pytest
from django.utils import timezone

from tests.factories import SourceFactory
from tests.support.servers import Reply, html_page
from tests.support.services import check
from tracker.checking import records as sources
from tracker.checking.outcomes import Fetched
from tracker.models import SourceCheck, SourceHealth

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("charset", ["idna", "undefined", "x-no-such-thing"])
def test_a_bad_charset_is_read_and_recorded(site, charset):
    site.routes["/s"] = Reply(
        body=html_page("Forty cameras."), headers={"Content-Type": f"text/html; charset={charset}"}
    )
    source = SourceFactory(url=site.url("/s"))
    recorded = check(source)
    assert recorded.outcome == SourceHealth.OK
    assert "Forty cameras." in recorded.text_excerpt
    assert source.health == SourceHealth.OK and source.check_claimed_at is None


def test_an_8_kb_etag_is_dropped_not_stored(site):
    site.routes["/s"] = Reply(
        body=html_page("x"), headers={"Content-Type": "text/html", "ETag": '"' + "e" * 8000 + '"'}
    )
    source = SourceFactory(url=site.url("/s"))
    assert check(source).outcome == SourceHealth.OK
    assert source.etag == ""  # a cut validator would never match; none is sent next time


def test_a_3000_character_redirect_url_is_followed_and_cut_to_fit(site):
    long_path = "/landing?" + "q" * 3000
    site.routes["/s"] = Reply(status=302, headers={"Location": long_path})
    site.routes["/landing"] = Reply(body=html_page("arrived"))
    source = SourceFactory(url=site.url("/s"))
    recorded = check(source)
    assert recorded.outcome == SourceHealth.OK
    assert len(source.final_url) == 2000 and source.final_url.startswith(site.url("/landing?q"))
    assert "too long" in recorded.error


def test_500_kb_of_comment_openers_is_read_in_time(site):
    site.routes["/s"] = Reply(body=b"<html><body>" + b"<!--" * 125_000)
    source = SourceFactory(url=site.url("/s"))
    started = time.monotonic()
    recorded = check(source)
    assert time.monotonic() - started < 5
    assert recorded.outcome == SourceHealth.OK


def test_a_status_outside_http_is_a_failure_not_a_crash(site):
    site.routes["/s"] = lambda handler: Reply(status=99999, body=b"?")
    source = SourceFactory(url=site.url("/s"))
    recorded = check(source)
    assert recorded.error and source.consecutive_failures == 1


def test_a_value_the_database_refuses_costs_only_its_own_source():
    good, bad = SourceFactory(), SourceFactory()
    claimed = dict(sources.sources_claim(ids=[good.pk, bad.pk], due_only=False))
    ok = Fetched(status=200, final_url=good.url, fingerprint="a" * 64, text="fine")
    # More than a smallint holds: the database refuses the whole statement.
    refused = Fetched(status=70000, final_url=bad.url, fingerprint="b" * 64)
    recorded = sources.source_checks_record(
        [(good.pk, claimed[good.pk], ok), (bad.pk, claimed[bad.pk], refused)]
    )
    assert recorded[good.pk].outcome == SourceHealth.OK
    assert recorded[bad.pk].outcome == "error"
    assert "could not store" in recorded[bad.pk].error
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.health == SourceHealth.OK and good.fingerprint == "a" * 64
    assert bad.health == SourceHealth.UNCHECKED and bad.check_claimed_at is None
    assert bad.next_check_at > timezone.now()
    assert SourceCheck.objects.count() == 2
