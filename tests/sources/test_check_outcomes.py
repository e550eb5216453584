"""What one check of a source concludes, against a real local server."""

import pytest

from tests.factories import CitationFactory, DeploymentFactory, SourceFactory
from tests.support.servers import Reply, html_page
from tests.support.services import check
from tracker.models import ReviewItem, SourceHealth

pytestmark = pytest.mark.django_db


def test_stable_page_is_ok_and_the_second_check_is_conditional(site):
    def stable(handler):
        if handler.headers.get("If-None-Match") == '"v1"':
            return Reply(status=304, headers={"ETag": '"v1"'})
        return Reply(body=html_page("Forty cameras."), headers={"ETag": '"v1"'})

    site.routes["/story"] = stable
    source = SourceFactory(url=site.url("/story"))

    first = check(source)
    assert (first.outcome, first.http_status) == (SourceHealth.OK, 200)
    assert source.health == SourceHealth.OK and source.etag == '"v1"'
    assert len(source.fingerprint) == 64

    second = check(source)
    assert site.requests[1][1]["If-None-Match"] == '"v1"'
    assert (second.outcome, second.http_status) == (SourceHealth.OK, 304)
    assert source.health == SourceHealth.OK
    assert source.checks.count() == 2
    assert not ReviewItem.objects.exists()


def test_changed_text_raises_a_review_item_on_every_citing_entity(site):
    site.routes["/story"] = Reply(body=html_page("The city installed forty cameras."))
    source = SourceFactory(url=site.url("/story"))
    first, second = DeploymentFactory(), DeploymentFactory()
    CitationFactory(source=source, deployment=first)
    CitationFactory(source=source, deployment=second)
    check(source)

    site.routes["/story"] = Reply(body=html_page("The city installed four hundred cameras."))
    result = check(source)

    assert result.outcome == SourceHealth.CHANGED
    assert source.health == SourceHealth.CHANGED and source.last_changed_at
    items = ReviewItem.objects.filter(source=source, reason=ReviewItem.Reason.CHANGED)
    assert {item.citation.deployment for item in items} == {first, second}
    item = items.first()
    assert "forty cameras" in item.old_excerpt
    assert "four hundred cameras" in item.new_excerpt
    assert item.source_check == result

    # Unchanged since: still flagged for a moderator, no new review items.
    assert check(source).outcome == SourceHealth.OK
    assert source.health == SourceHealth.CHANGED
    assert items.count() == 2


@pytest.mark.parametrize(
    "second_page",
    [
        html_page("Forty cameras.", script="var adSlot = 'b7';"),
        html_page("Forty   cameras.\n\n", head="<style>p{color:red}</style>"),
    ],
    ids=["script", "whitespace-and-style"],
)
def test_script_or_whitespace_changes_are_not_changes(site, second_page):
    site.routes["/story"] = Reply(body=html_page("Forty cameras.", script="var adSlot = 'a1';"))
    source = SourceFactory(url=site.url("/story"))
    check(source)
    site.routes["/story"] = Reply(body=second_page)
    assert check(source).outcome == SourceHealth.OK
    assert source.health == SourceHealth.OK


@pytest.mark.parametrize("status", [404, 410])
def test_gone_pages_are_broken_at_once(site, status):
    site.routes["/story"] = Reply(status=status, body=b"gone")
    source = SourceFactory(url=site.url("/story"))
    CitationFactory(source=source)
    result = check(source)
    assert (result.outcome, result.http_status) == (SourceHealth.BROKEN, status)
    assert source.health == SourceHealth.BROKEN
    assert ReviewItem.objects.get(source=source).reason == ReviewItem.Reason.BROKEN


def test_server_errors_break_a_source_after_three_failures_and_it_recovers(site):
    site.routes["/story"] = Reply(body=html_page("Forty cameras."))
    source = SourceFactory(url=site.url("/story"))
    check(source)
    site.routes["/story"] = Reply(status=500, body=b"oops")

    assert check(source).error == "HTTP 500"
    assert (source.health, source.consecutive_failures) == (SourceHealth.OK, 1)
    check(source)
    assert (source.health, source.consecutive_failures) == (SourceHealth.OK, 2)
    third = check(source)
    assert third.outcome == SourceHealth.BROKEN
    assert (source.health, source.consecutive_failures) == (SourceHealth.BROKEN, 3)
    assert ReviewItem.objects.filter(source=source, reason="broken").count() == 1

    site.routes["/story"] = Reply(body=html_page("Forty cameras."))
    assert check(source).outcome == SourceHealth.OK
    assert (source.health, source.consecutive_failures) == (SourceHealth.OK, 0)


def test_a_pdf_is_fingerprinted_by_content(site):
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
    site.routes["/order.pdf"] = Reply(body=pdf, headers={"Content-Type": "application/pdf"})
    source = SourceFactory(url=site.url("/order.pdf"))
    first = check(source)
    assert first.outcome == SourceHealth.OK and first.bytes == len(pdf)
    site.routes["/order.pdf"] = Reply(
        body=pdf.replace(b"1.4", b"1.5"), headers={"Content-Type": "application/pdf"}
    )
    assert check(source).outcome == SourceHealth.CHANGED
    assert "The file changed" in ReviewItem.objects.get(source=source).new_excerpt


def test_a_redirect_to_another_site_marks_the_source_redirected(make_site, settings):
    old, new = make_site("127.0.0.1"), make_site("127.0.0.2")
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.1", "127.0.0.2"]
    new.routes["/moved"] = Reply(body=html_page("Forty cameras."))
    old.routes["/story"] = Reply(status=301, headers={"Location": new.url("/moved")})
    source = SourceFactory(url=old.url("/story"))
    result = check(source)
    assert result.outcome == SourceHealth.REDIRECTED
    assert source.final_url == new.url("/moved")
    item = ReviewItem.objects.get(source=source)
    assert (item.reason, item.new_excerpt) == ("redirected", new.url("/moved"))


def test_a_redirect_within_the_site_is_ok(site):
    site.routes["/old"] = Reply(status=301, headers={"Location": "/new"})
    site.routes["/new"] = Reply(body=html_page("Forty cameras."))
    source = SourceFactory(url=site.url("/old"))
    assert check(source).outcome == SourceHealth.OK
    assert source.final_url == site.url("/new")


def test_a_blocked_source_is_recorded_and_reported(make_site, settings):
    internal = make_site("127.0.0.2")
    settings.FETCH_ALLOW_HOSTS = []
    source = SourceFactory(url=internal.url("/admin"))
    result = check(source)
    assert result.outcome == SourceHealth.BLOCKED and "forbidden address" in result.error
    assert source.health == SourceHealth.BLOCKED
    assert internal.requests == []
    assert ReviewItem.objects.get(source=source).reason == "blocked"


def test_a_huge_page_is_checked_up_to_the_cap(site, settings):
    site.routes["/huge"] = Reply(
        stream_bytes=50 * 1024 * 1024, headers={"Content-Type": "text/plain"}
    )
    source = SourceFactory(url=site.url("/huge"))
    result = check(source)
    assert result.outcome == SourceHealth.OK
    assert result.bytes == settings.FETCH_MAX_BYTES
    assert "stopped reading" in result.error


def test_a_timeout_counts_as_a_failure(site, settings):
    settings.FETCH_READ_TIMEOUT = 0.3
    site.routes["/slow"] = Reply(body=b"late", delay=1)
    source = SourceFactory(url=site.url("/slow"))
    result = check(source)
    assert result.http_status is None and "no response" in result.error
    assert source.consecutive_failures == 1
