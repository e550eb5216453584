"""Claim-by-UPDATE: one check per source per round, however often a task runs."""

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from tests.factories import SourceFactory
from tests.support.servers import Reply, html_page
from tracker.checking import records as sources
from tracker.models import SourceCheck


@pytest.mark.django_db
def test_due_sources_are_never_checked_or_past_their_time():
    now = timezone.now()
    never = SourceFactory()
    overdue = SourceFactory(next_check_at=now - timedelta(minutes=1))
    SourceFactory(next_check_at=now + timedelta(hours=3))
    claimed = {source_id for source_id, _ in sources.sources_claim(now=now)}
    assert claimed == {never.pk, overdue.pk}


@pytest.mark.django_db
def test_two_sweeps_do_not_claim_the_same_source():
    SourceFactory.create_batch(3)
    first = sources.sources_claim()
    assert len(first) == 3
    assert sources.sources_claim() == []
    assert sources.sources_claim(due_only=False) == []


@pytest.mark.django_db
def test_a_stale_claim_is_taken_over_and_the_old_task_does_nothing(site):
    site.routes["/s"] = Reply(body=html_page("x"))
    source = SourceFactory(url=site.url("/s"))
    [(_, old_claim)] = sources.sources_claim()
    later = timezone.now() + sources.CLAIM_TIMEOUT + timedelta(minutes=1)
    [(_, new_claim)] = sources.sources_claim(now=later)
    assert sources.source_check_claimed(source_id=source.pk, claim=old_claim) is None
    assert site.requests == []
    assert sources.source_check_claimed(source_id=source.pk, claim=new_claim)
    assert source.checks.count() == 1


@pytest.mark.django_db
def test_a_redelivered_task_records_nothing_twice(site):
    site.routes["/s"] = Reply(body=html_page("x"))
    source = SourceFactory(url=site.url("/s"))
    [(source_id, claim)] = sources.sources_claim()
    assert sources.source_check_claimed(source_id=source_id, claim=claim)
    assert sources.source_check_claimed(source_id=source_id, claim=claim) is None
    assert source.checks.count() == 1
    assert len(site.requests) == 1
    source.refresh_from_db()
    assert source.check_claimed_at is None
    assert source.next_check_at == claim + settings.SOURCE_CHECK_INTERVAL


@pytest.mark.django_db(transaction=True)
def test_two_workers_running_one_claim_at_once_record_one_check(site):
    site.routes["/s"] = Reply(body=html_page("x"), delay=0.3)
    source = SourceFactory(url=site.url("/s"))
    [(source_id, claim)] = sources.sources_claim()
    results = []

    def run():
        try:
            results.append(sources.source_check_claimed(source_id=source_id, claim=claim))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(site.requests) == 2  # both fetched...
    assert sorted(r is None for r in results) == [False, True]  # ...one recorded
    assert SourceCheck.objects.filter(source=source).count() == 1


@pytest.mark.django_db
def test_claims_alternate_between_hosts():
    for n in range(3):
        SourceFactory(url=f"https://a.example.org/{n}")
        SourceFactory(url=f"https://b.example.org/{n}")
    hosts = [
        sources.Source.objects.get(pk=pk).url.split("/")[2] for pk, _ in sources.sources_claim()
    ]
    assert hosts == ["a.example.org", "b.example.org"] * 3
