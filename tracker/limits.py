"""At most FETCH_PER_HOST requests in flight per host, across every worker and process.

Celery's ``rate_limit`` counts per worker, so the limit lives in Redis (the
broker): one sorted set per host whose members are the slots in use, each
scored by the time its lease ends. A worker killed while holding a slot
cannot hold it for ever: the lease runs out and the slot frees itself.
"""

import random
import threading
import time
import uuid
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import redis
from django.conf import settings

KEY_PREFIX = "panoptic:fetch-slots:"
POLL_SECONDS = 0.01

# Drops expired leases, then takes a slot if fewer than the limit are in use.
# Redis' own clock scores the leases, so workers with skewed clocks agree.
_ACQUIRE_SCRIPT = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now_ms + tonumber(ARGV[3]), ARGV[2])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
  return 1
end
return 0
"""


class SlotTimeout(Exception):
    """No slot for the host came free in time: a transient condition, worth retrying."""


_clients: dict[str, redis.Redis] = {}
_clients_lock = threading.Lock()


def redis_client() -> redis.Redis:
    """A (cached, thread-safe) client for the broker's Redis, whatever form its URL takes."""
    url = settings.CELERY_BROKER_URL
    with _clients_lock:
        client = _clients.get(url)
        if client is None:
            client = _clients[url] = _client_for_url(url)
        return client


def _client_for_url(url: str) -> redis.Redis:
    parts = urlsplit(url)
    if parts.scheme in ("redis+socket", "socket", "unix"):
        query = parse_qs(parts.query)
        db = int((query.get("virtual_host") or query.get("db") or ["0"])[0] or 0)
        return redis.Redis(unix_socket_path=parts.path, db=db)
    return redis.Redis.from_url(url)


@contextmanager
def host_slot(host: str, *, lease_seconds: float, wait_seconds: float | None = None):
    """Hold one of the host's FETCH_PER_HOST slots; wait (not fail) while all are taken."""
    client = redis_client()
    key = KEY_PREFIX + host.lower()
    token = uuid.uuid4().hex
    limit = max(1, settings.FETCH_PER_HOST)
    lease_ms = int(lease_seconds * 1000)
    wait = settings.FETCH_SLOT_WAIT if wait_seconds is None else wait_seconds
    deadline = time.monotonic() + wait
    acquire = client.register_script(_ACQUIRE_SCRIPT)
    while not acquire(keys=[key], args=[limit, token, lease_ms]):
        if time.monotonic() >= deadline:
            raise SlotTimeout(f"no free request slot for {host} within {wait:.0f} s")
        time.sleep(POLL_SECONDS * (1 + random.random()))
    try:
        yield
    finally:
        client.zrem(key, token)
