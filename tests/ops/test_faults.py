"""Faults a small deployment meets: PostgreSQL restarting, Redis restarting, a worker dying.

Each test runs against servers of its own under a temporary folder, so
stopping them never disturbs the suite's database or broker. (A worker killed
mid-task is tests/sources/test_celery_source_checks.py's
``test_a_worker_killed_mid_sweep_leaves_every_source_checked_once``; here it
is combined with a Redis restart.)
"""

import os
import signal
import subprocess
import time

import pytest
from django.db import connection
from django.db.models import Count

from tests.support import wait_for
from tests.support.servers import (
    Gunicorn,
    Reply,
    TempPostgres,
    TempRedis,
    html_page,
    production_env,
)
from tests.support.services import broker_idle, queued_check_groups, unacknowledged_visible_again
from tracker.models import Source, SourceCheck

pytestmark = pytest.mark.faults


@pytest.fixture
def own_postgres(db):
    """A cluster of its own holding a copy of the test database (schema and reference rows)."""
    cluster = TempPostgres().init().start()
    cluster.psql("CREATE DATABASE panoptic_fault")
    source = connection.settings_dict
    dump = subprocess.run(
        [
            str(cluster.bin / "pg_dump"),
            "-h",
            source["HOST"],
            "-U",
            source.get("USER") or "postgres",
            "--no-owner",
            "--no-privileges",
            source["NAME"],
        ],
        capture_output=True,
        check=True,
    )
    subprocess.run(
        [
            str(cluster.bin / "psql"),
            "-h",
            str(cluster.dir),
            "-U",
            "postgres",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            "panoptic_fault",
        ],
        input=dump.stdout,
        capture_output=True,
        check=True,
    )
    yield cluster
    cluster.cleanup()


def test_a_database_restart_gives_503_then_recovers_without_restarting_the_site(
    own_postgres, static_root
):
    env = production_env(
        DATABASE_URL=own_postgres.url("panoptic_fault"),
        CONN_MAX_AGE=600,  # kept connections must notice the restart too
        STATIC_ROOT=static_root,
    )
    pages = ["/api/v1/deployments/", "/deployments/", "/states/"]
    # Counts and figures are cached until the data changes (tracker/catalogue/datacache.py),
    # so an empty list may be answered without the database: ask for pages not seen before.
    unseen = ["/api/v1/deployments/?status=pilot", "/deployments/?status=pilot", "/states/"]
    with Gunicorn(env, workers=2) as site:
        for path in pages:
            assert site.get(path)[0] == 200, path
        own_postgres.stop()
        started = time.monotonic()
        for path in unseen:
            status, headers, body = site.get(path)
            assert status == 503, (path, status, body[:300])
            assert headers["Retry-After"] == "30"
        status, _, body = site.get("/api/v1/deployments/?status=tender")
        assert body.startswith(b'{"detail"')
        status, _, body = site.get("/healthz")
        assert status == 503 and b'"database": false' in body
        failing_for = time.monotonic() - started
        assert failing_for < 10, "requests must fail fast, not hang"

        own_postgres.start()
        # Every request after the restart succeeds: no worker keeps a dead connection.
        started = time.monotonic()
        for _ in range(3):
            for path in pages:
                assert site.get(path)[0] == 200, path
        print(
            f"database down: 5 requests answered 503 in {failing_for:.2f} s; "
            f"after restart 9 requests 200 in {time.monotonic() - started:.2f} s"
        )
        assert site.proc.poll() is None
    assert "Traceback" not in site.output()


def fresh_connections(app):
    """Drop the app's pooled broker connections, so the next send uses the current URL."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def own_redis(settings, test_broker):
    """A broker of its own (written to disk like a production Redis) for this test's tasks."""
    from config.celery import app

    redis = TempRedis().start()
    app.conf.update(
        CELERY_BROKER_URL=redis.url,
        CELERY_BROKER_READ_URL=redis.url,
        CELERY_BROKER_WRITE_URL=redis.url,
    )
    settings.CELERY_BROKER_URL = redis.url
    fresh_connections(app)
    yield redis
    # Back to the suite's test broker, not app.conf.broker_url: with the CELERY_ namespace
    # that still names the development broker, and restoring it would send later tests'
    # tasks where their workers never look.
    app.conf.update(
        CELERY_BROKER_URL=test_broker,
        CELERY_BROKER_READ_URL=test_broker,
        CELERY_BROKER_WRITE_URL=test_broker,
    )
    fresh_connections(app)
    redis.cleanup()


@pytest.mark.celery_worker
def test_redis_restarted_and_a_worker_killed_mid_task_lose_no_check_and_repeat_none(
    celery_worker_process, make_site, own_redis, tmp_path
):
    """One sweep of a host's chunk more than a group holds sends two group tasks; with one
    worker process the second waits in Redis while the first runs. Redis restarts mid-group,
    the worker reconnects and takes the waiting group; it is killed mid-group, and a new
    worker runs that group again. Every source ends with exactly one check."""
    from tracker.checking.scheduler import GROUP_MAX_SOURCES, HOST_CHUNK
    from tracker.tasks import source_check_sweep

    hosts = [f"127.0.0.{n}" for n in range(2, 3 + GROUP_MAX_SOURCES // HOST_CHUNK)]
    sites = [make_site(host) for host in hosts]
    for site in sites:
        site.routes["/story"] = Reply(body=html_page("Forty cameras."), delay=0.3)
    Source.objects.bulk_create(
        Source(url=site.url(f"/story?n={n}"), title=f"Story {n}")
        for site in sites
        for n in range(HOST_CHUNK)
    )
    due = set(Source.objects.values_list("pk", flat=True))
    assert len(due) > GROUP_MAX_SOURCES
    env = {
        "CELERY_BROKER_URL": own_redis.url,
        "FETCH_ALLOW_HOSTS": ",".join(hosts),
        "FETCH_ALLOWED_PORTS": ",".join(str(site.port) for site in sites),
        "FETCH_PER_HOST": "2",
        "FETCH_READ_TIMEOUT": "3",
        # A short fetch budget keeps host-slot leases short (budget + 10 s): the slots a
        # killed worker held free themselves soon after (tracker.checking.host_limit).
        "FETCH_TOTAL_TIMEOUT": "4",
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "ARCHIVE_ROOT": str(tmp_path / "archive"),
    }
    worker = celery_worker_process(concurrency=1, env=env)  # one group at a time
    source_check_sweep.delay()
    wait_for(lambda: SourceCheck.objects.count() >= 5, timeout=60)
    [waiting] = queued_check_groups()  # the second group, queued in Redis

    def checked(sources):
        return SourceCheck.objects.filter(source__in=sources).values("source").distinct().count()

    # Redis goes away mid-group and comes back; the worker keeps running, reconnects
    # and takes the group that waited in Redis through the restart.
    own_redis.stop()
    down = time.monotonic()
    wait_for(lambda: "Connection to broker lost" in "".join(worker.output_lines), timeout=30)
    own_redis.start()
    back = time.monotonic()
    wait_for(lambda: checked(waiting) >= 5, timeout=120)
    print(
        f"Redis down {back - down:.1f} s (until the worker noticed): the waiting group's "
        f"first checks recorded {time.monotonic() - back:.1f} s after the restart"
    )
    assert worker.poll() is None, "the worker died with Redis instead of reconnecting"
    assert "Connection to broker lost" in "".join(worker.output_lines)

    # Then the worker is killed mid-group; its unacknowledged group comes back.
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)
    assert checked(waiting) < len(waiting), "the group ended before the kill; slow the sites"
    # Past the visibility timeout, the killed worker's group comes back to the next worker.
    wait_for(lambda: unacknowledged_visible_again(3), timeout=30)
    celery_worker_process(concurrency=1, env=env)
    wait_for(lambda: checked(waiting) == len(waiting), timeout=120)

    # A check given back unchecked while Redis was away (its lane could not renew the
    # host's slot) keeps its source due: beat's next sweep takes it.
    given_back = Source.objects.filter(
        check_claimed_at__isnull=True, last_checked_at__isnull=True
    ).count()
    source_check_sweep.delay()
    wait_for(lambda: checked(due) == len(due), timeout=120)
    print(f"{given_back} checks given back during the outage, done by the next sweep")
    wait_for(broker_idle, timeout=30)  # any late duplicate delivery has run: it recorded nothing
    per_source = dict(
        SourceCheck.objects.values_list("source").annotate(n=Count("id")).values_list("source", "n")
    )
    assert per_source == dict.fromkeys(due, 1)
    assert not Source.objects.filter(check_claimed_at__isnull=False).exists()
