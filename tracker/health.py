"""The two health checks: liveness (``/healthz``) and the full report (``/healthz/full``).

Liveness is for load balancers and the web unit's own watchdog: can this web
server answer pages, that is, reach its database and its cache? Nothing else
goes into it, so a dead Celery worker never pulls every web server out of a
balancer at once.

The full report is for monitoring: the database, the broker and the cache,
workers and beat, the source checker. Workers and beat write heartbeats (a
Unix time) into the cache, which lives in Redis: each worker for every queue
it consumes, beat each time it sends its per-minute heartbeat task. Reading
them is one round trip, so a monitor can poll every few seconds. A stale
heartbeat means nobody is running that part; the answer is then 503 so
monitoring notices.
"""

import time

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection

HEARTBEAT_KEY = "health:heartbeat:{}"
FORWARDED_SEEN_KEY = "health:forwarded-for-seen"


def heartbeat_record(part):
    """Note that ``part`` ("beat" or "worker:<queue>") is alive now."""
    cache.set(HEARTBEAT_KEY.format(part), time.time(), timeout=None)


def forwarded_for_seen():
    """A request arrived with X-Forwarded-For although API_NUM_PROXIES is 0."""
    cache.set(FORWARDED_SEEN_KEY, time.time(), timeout=24 * 3600)


def checker_offline_since():
    """When the source checker went offline (a Unix time), or None while it is online.

    The checker's outage guard (``tracker/checking/outage.py``) keeps this in
    ``CheckerStatus``; an unreadable database reads as online here (the
    database's own line of the report says what is wrong).
    """
    from .models import CheckerStatus

    try:
        since = CheckerStatus.objects.filter(pk=1).values_list("offline_since", flat=True).first()
    except Exception:
        return None
    return since.timestamp() if since else None


def _database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _broker_ok():
    """The Celery broker answers a PING within a second."""
    url = settings.CELERY_BROKER_URL
    try:
        if url.startswith("redis+socket://"):
            client = redis.Redis(
                unix_socket_path=url.removeprefix("redis+socket://").split("?")[0],
                socket_timeout=1,
                socket_connect_timeout=1,
            )
        else:
            client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        with client:
            return bool(client.ping())
    except redis.RedisError:
        return False


def _cache_ok():
    try:
        cache.get(HEARTBEAT_KEY.format("beat"))
        return True
    except Exception:
        return False


def liveness_report():
    """(alive, report): the JSON body of /healthz, database and cache only."""
    report = {"database": _database_ok(), "cache": _cache_ok()}
    alive = all(report.values())
    report["status"] = "ok" if alive else "failing"
    return alive, report


def health_report(now=None):
    """(healthy, report): the report is the JSON body of /healthz/full."""
    now = time.time() if now is None else now
    parts = ["beat", *(f"worker:{queue}" for queue in settings.WORKER_QUEUES)]
    report = {"database": _database_ok(), "redis": _broker_ok(), "warnings": []}
    try:
        stored = cache.get_many([HEARTBEAT_KEY.format(p) for p in parts] + [FORWARDED_SEEN_KEY])
        cache_ok = True
    except Exception:
        stored, cache_ok = {}, False
    report["cache"] = cache_ok
    max_age = settings.HEALTH_HEARTBEAT_MAX_AGE
    ages = {part: stored.get(HEARTBEAT_KEY.format(part)) for part in parts}
    ages = {part: None if beat is None else now - beat for part, beat in ages.items()}
    # Judged on the exact age; only the report is rounded.
    stale = [p for p, age in ages.items() if age is None or age > max_age]
    report["seconds_since_heartbeat"] = {
        part: None if age is None else round(age, 1) for part, age in ages.items()
    }
    offline = checker_offline_since() if report["database"] else None
    report["source_checker"] = (
        {"online": True} if offline is None else {"online": False, "offline_since": offline}
    )
    if stale:
        report["warnings"].append(f"no heartbeat for over {max_age} s from: {', '.join(stale)}")
    if FORWARDED_SEEN_KEY in stored and settings.NUM_PROXIES == 0:
        report["warnings"].append(
            "requests arrive with X-Forwarded-For but API_NUM_PROXIES is 0: every client "
            "behind the proxy shares one API throttle bucket; set API_NUM_PROXIES"
        )
    healthy = report["database"] and report["redis"] and cache_ok and not stale
    report["status"] = "ok" if healthy else "failing"
    return healthy, report
