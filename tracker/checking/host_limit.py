"""At most FETCH_PER_HOST requests in flight per host, across every worker and process.

Celery's ``rate_limit`` counts per worker, so the limit lives in Redis (the
broker): one sorted set per host whose members are the slots in use, each
scored by the time its lease ends. A worker killed while holding a slot
cannot hold it for ever: the lease runs out and the slot frees itself.
"""

import threading
import time
import uuid
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import redis
from django.conf import settings

KEY_PREFIX = "panoptic:fetch-slots:"
WAKE_PREFIX = "panoptic:fetch-wake:"
# A waiter blocks on the host's wake list at most this long before trying again,
# so a slot freed by an expired lease (its holder died) is still noticed.
MAX_BLOCK_SECONDS = 0.5

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


# Gives the slot back and wakes one waiter; the wake list stays short and expires.
_RELEASE_SCRIPT = """
if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then
  redis.call('LPUSH', KEYS[2], '1')
  redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[2]) - 1)
  redis.call('PEXPIRE', KEYS[2], 60000)
end
return 0
"""


@contextmanager
def host_slot(host: str, *, lease_seconds: float, wait_seconds: float | None = None):
    """Hold one of the host's FETCH_PER_HOST slots; wait (not fail) while all are taken.

    Waiters block on the host's wake list (BLPOP) rather than polling, so a
    hundred waiting threads cost Redis and the workers nothing until a slot
    is given back; each release wakes one waiter.
    """
    client = redis_client()
    key = KEY_PREFIX + host.lower()
    wake_key = WAKE_PREFIX + host.lower()
    token = uuid.uuid4().hex
    limit = max(1, settings.FETCH_PER_HOST)
    lease_ms = int(lease_seconds * 1000)
    wait = settings.FETCH_SLOT_WAIT if wait_seconds is None else wait_seconds
    deadline = time.monotonic() + wait
    acquire = _script(client, _ACQUIRE_SCRIPT)
    while not acquire(keys=[key], args=[limit, token, lease_ms]):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise SlotTimeout(f"no free request slot for {host} within {wait:.0f} s")
        # BLPOP takes whole or fractional seconds; never 0, which would block for ever.
        client.blpop([wake_key], timeout=max(min(remaining, MAX_BLOCK_SECONDS), 0.01))
    try:
        yield token
    finally:
        _script(client, _RELEASE_SCRIPT)(keys=[key, wake_key], args=[token, limit])


# Moves a held slot's lease on (only if it is still held: an expired one is not revived).
_RENEW_SCRIPT = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local renewed = redis.call('ZADD', KEYS[1], 'XX', 'CH', now_ms + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return renewed
"""


class HeldSlot:
    """A slot held across several requests to one host (see ``host_slot_held``)."""

    def __init__(self, host: str, token: str, lease_seconds: float):
        self.host = host.lower()
        self.token, self.lease_seconds = token, lease_seconds
        self.renewed_at = time.monotonic()

    def keep(self):
        """Move the lease on before a request, at most every third of a lease (so a run of
        quick requests costs Redis nothing)."""
        if time.monotonic() - self.renewed_at > self.lease_seconds / 3:
            _script(redis_client(), _RENEW_SCRIPT)(
                keys=[KEY_PREFIX + self.host], args=[self.token, int(self.lease_seconds * 1000)]
            )
            self.renewed_at = time.monotonic()


@contextmanager
def host_slot_held(host: str, *, lease_seconds: float, wait_seconds: float | None = None):
    """Hold one of the host's slots for a run of requests, one after another, renewing
    its lease as they go: two Redis calls per run instead of two per request. A holder
    that dies stops renewing, and the slot frees itself when the lease runs out."""
    with host_slot(host, lease_seconds=lease_seconds, wait_seconds=wait_seconds) as token:
        yield HeldSlot(host, token, lease_seconds)


_scripts: dict[tuple[int, str], object] = {}


def _script(client, source):
    """A registered Lua script, hashed once per client rather than once per request."""
    script = _scripts.get((id(client), source))
    if script is None:
        script = _scripts[(id(client), source)] = client.register_script(source)
    return script
