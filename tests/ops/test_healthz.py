"""/healthz/full: database, Redis, worker and beat heartbeats, the checker, the proxy warning;
/healthz: database and cache only."""

import json
import logging
import time
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.core.cache import cache

from tests.support import wait_for
from tracker import health
from tracker.tasks import beat_heartbeat

PARTS = ["beat", *(f"worker:{q}" for q in settings.WORKER_QUEUES)]


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


def all_alive():
    for part in PARTS:
        health.heartbeat_record(part)


@pytest.mark.django_db
def test_healthy_when_everything_answers(client):
    all_alive()
    response = client.get("/healthz/full")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] is True and body["redis"] is True
    assert set(body["seconds_since_heartbeat"]) == set(PARTS)
    assert all(0 <= age < 5 for age in body["seconds_since_heartbeat"].values())
    assert body["source_checker"] == {"online": True}
    assert body["warnings"] == []
    assert not response.cookies


@pytest.mark.django_db
def test_no_worker_heartbeat_is_503_naming_the_queue(client):
    health.heartbeat_record("beat")
    health.heartbeat_record("worker:default")
    response = client.get("/healthz/full")
    assert response.status_code == 503
    body = response.json()
    assert body["seconds_since_heartbeat"]["worker:checks"] is None
    assert "worker:checks" in body["warnings"][0]


@pytest.mark.django_db
def test_stale_heartbeat_is_503(client, settings):
    all_alive()
    cache.set(health.HEARTBEAT_KEY.format("worker:checks"), time.time() - 181)
    response = client.get("/healthz/full")
    assert response.status_code == 503
    assert response.json()["seconds_since_heartbeat"]["worker:checks"] >= 181


@pytest.mark.django_db
def test_checker_offline_is_reported(client):
    all_alive()
    from tracker.models import CheckerStatus

    CheckerStatus.objects.update_or_create(
        pk=1, defaults={"offline_since": datetime.fromtimestamp(1700000000.0, tz=UTC)}
    )
    body = client.get("/healthz/full").json()
    assert body["source_checker"] == {"online": False, "offline_since": 1700000000.0}


@pytest.mark.django_db
def test_forwarded_for_without_num_proxies_warns(client, settings):
    all_alive()
    settings.NUM_PROXIES = 0
    client.get("/about/", HTTP_X_FORWARDED_FOR="198.51.100.4")
    body = client.get("/healthz/full").json()
    assert any("API_NUM_PROXIES" in w for w in body["warnings"])
    settings.NUM_PROXIES = 1
    assert not any("API_NUM_PROXIES" in w for w in client.get("/healthz/full").json()["warnings"])


def test_sending_the_beat_heartbeat_task_is_beats_heartbeat(test_broker):
    beat_heartbeat.apply_async()
    assert cache.get(health.HEARTBEAT_KEY.format("beat")) is not None


@pytest.mark.celery_worker
def test_a_running_worker_beats_and_logs_each_task_as_json(celery_worker_process):
    worker = celery_worker_process()
    for part in ("worker:default", "worker:checks"):
        wait_for(lambda part=part: cache.get(health.HEARTBEAT_KEY.format(part)), timeout=30)
    beat_heartbeat.apply_async()

    def task_lines():
        lines = []
        for line in list(worker.output_lines):
            if line.startswith("{"):
                entry = json.loads(line)
                if entry.get("task") == "tracker.beat_heartbeat":
                    lines.append(entry)
        return lines

    wait_for(task_lines, timeout=30)
    (entry,) = task_lines()
    assert entry["state"] == "SUCCESS" and entry["duration_ms"] >= 0


@pytest.mark.django_db
def test_a_stopped_redis_is_reported_at_once_and_recovery_too(client, own_redis):
    all_alive()
    assert client.get("/healthz/full").status_code == 200
    own_redis.stop()
    response = client.get("/healthz/full")
    assert response.status_code == 503
    assert response.json()["redis"] is False
    assert response.json()["cache"] is False
    own_redis.start()
    assert client.get("/healthz/full").status_code == 200


@pytest.mark.django_db
def test_one_json_log_line_per_request_without_personal_data(client, caplog):
    from config.logging import JSONFormatter

    with caplog.at_level(logging.INFO, logger="panoptic.request"):
        client.get(
            "/deployments/?q=secret+search",
            HTTP_X_FORWARDED_FOR="198.51.100.4",
            HTTP_USER_AGENT="Agent/1.0",
            REMOTE_ADDR="192.0.2.55",
        )
    records = [r for r in caplog.records if r.name == "panoptic.request"]
    assert len(records) == 1
    line = JSONFormatter().format(records[0])
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["path"] == "/deployments/" and entry["status"] == 200
    assert entry["view"] == "tracker:deployment-list"
    assert isinstance(entry["duration_ms"], float)
    for private in ("198.51.100.4", "192.0.2.55", "Agent/1.0", "secret"):
        assert private not in line


@pytest.mark.django_db
def test_liveness_ignores_workers_and_beat(client):
    """A dead worker is monitoring's business: load balancers keep every web server."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": True, "cache": True, "status": "ok"}
    assert client.get("/healthz/full").status_code == 503  # no heartbeat from anyone
    assert not response.cookies


@pytest.mark.django_db
def test_liveness_fails_while_the_cache_is_away(client, own_redis):
    assert client.get("/healthz").status_code == 200
    own_redis.stop()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": True, "cache": False, "status": "failing"}
    own_redis.start()
    assert client.get("/healthz").status_code == 200
