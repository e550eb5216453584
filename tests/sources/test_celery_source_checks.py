"""Source checks through a real Celery worker, real Redis and beat's schedule."""

import os
import signal

import pytest
from django.db.models import Count

from tests.factories import CitationFactory, SourceFactory
from tests.support import wait_for
from tests.support.servers import Reply, html_page
from tests.support.services import broker_idle, unacknowledged_visible_again
from tracker.models import Source, SourceCheck, SourceHealth
from tracker.tasks import source_check_sweep

pytestmark = pytest.mark.celery_worker

WORKER_ENV = {
    "FETCH_ALLOW_HOSTS": "127.0.0.1",
    "FETCH_CONNECT_TIMEOUT": "1",
    "FETCH_READ_TIMEOUT": "1",
}


def test_beat_sweeps_and_the_worker_checks_every_source(celery_worker_process, make_site):
    site = make_site("127.0.0.1")
    site.routes["/story"] = Reply(body=html_page("Forty cameras."))
    site.routes["/gone"] = Reply(status=410)
    healthy = [SourceFactory(url=site.url(f"/story?n={n}")) for n in range(4)]
    gone = SourceFactory(url=site.url("/gone"))
    CitationFactory(source=gone)

    # Beat runs inside the worker (-B) with a short sweep interval.
    env = {**WORKER_ENV, "SOURCE_CHECK_INTERVAL": "2", "FETCH_ALLOWED_PORTS": f"{site.port}"}
    celery_worker_process("-B", env=env)

    def all_checked():
        return not Source.objects.filter(last_checked_at__isnull=True).exists()

    wait_for(all_checked, timeout=60)
    for source in healthy:
        source.refresh_from_db()
        assert source.health == SourceHealth.OK
        assert source.checks.first().http_status == 200
    gone.refresh_from_db()
    assert gone.health == SourceHealth.BROKEN
    assert gone.review_items.get().reason == "broken"
    assert all(s.check_claimed_at is None or s.last_checked_at for s in Source.objects.all())


def test_a_worker_killed_mid_sweep_leaves_every_source_checked_once(
    celery_worker_process, make_site
):
    site = make_site("127.0.0.1")
    site.routes["/story"] = Reply(body=html_page("Forty cameras."), delay=0.3)
    due = [SourceFactory(url=site.url(f"/story?n={n}")) for n in range(24)]
    env = {
        **WORKER_ENV,
        "FETCH_PER_HOST": "2",
        "CELERY_VISIBILITY_TIMEOUT": "2",
        "FETCH_ALLOWED_PORTS": f"{site.port}",
    }
    worker = celery_worker_process(concurrency=2, env=env)

    source_check_sweep.delay()
    wait_for(lambda: SourceCheck.objects.count() >= 4, timeout=60)
    os.killpg(worker.pid, signal.SIGKILL)  # the worker and its pool, mid-check
    worker.wait(timeout=10)
    checked_at_kill = SourceCheck.objects.count()
    assert checked_at_kill < len(due), "the sweep finished before the kill; slow the site down"

    # Past the visibility timeout, the unacknowledged tasks come back to the next worker.
    wait_for(lambda: unacknowledged_visible_again(2), timeout=30)
    celery_worker_process(concurrency=2, env=env)

    def all_recorded():
        return SourceCheck.objects.values("source").distinct().count() == len(due)

    wait_for(all_recorded, timeout=90)
    wait_for(broker_idle, timeout=30)  # any late duplicate delivery has run: it recorded nothing
    per_source = dict(
        SourceCheck.objects.values_list("source").annotate(n=Count("id")).values_list("source", "n")
    )
    assert per_source == {source.pk: 1 for source in due}
    assert not Source.objects.filter(check_claimed_at__isnull=False).exists()
    assert len(site.requests) >= len(due)


def test_a_group_past_its_soft_time_limit_records_errors_and_frees_its_claims(
    celery_worker_process, make_site
):
    """Prefork: Celery's soft time limit reaches the task, which records what is left."""
    from tracker.checking import records
    from tracker.tasks import source_check_group

    site = make_site("127.0.0.1")
    site.routes["/slow"] = Reply(body=html_page("late"), delay=0.8)
    group = [SourceFactory(url=site.url(f"/slow?n={n}")) for n in range(6)]  # 4.8 s in a row
    claimed = records.sources_claim(ids=[s.pk for s in group], due_only=False)
    env = {
        **WORKER_ENV,
        "FETCH_PER_HOST": "1",
        "FETCH_READ_TIMEOUT": "5",
        "FETCH_ALLOWED_PORTS": f"{site.port}",
    }
    celery_worker_process(env=env)  # the default pool: prefork

    source_check_group.apply_async(
        ([[pk, claim.isoformat()] for pk, claim in claimed],), soft_time_limit=3, time_limit=20
    )

    def all_recorded():
        return SourceCheck.objects.filter(source__in=group).count() == len(group)

    wait_for(all_recorded, timeout=30)
    outcomes = set(SourceCheck.objects.values_list("outcome", flat=True))
    assert "error" in outcomes and outcomes <= {"ok", "error"}  # the rest: not in time
    errors = SourceCheck.objects.filter(outcome="error")
    assert all("time limit" in check.error for check in errors)
    assert not Source.objects.filter(check_claimed_at__isnull=False).exists()
