"""Django's Redis cache backend, with one client per connection pool instead of one per call,
and time limits on its sockets.

Django's ``RedisCacheClient`` makes a new ``redis.Redis`` for every cache call,
and redis-py fills some 170 response callbacks into each: about 0.1 ms of CPU,
more than the call itself. An API list page answered from the cache makes half
a dozen calls (throttle counters, versions, the page). A client is safe to share
between threads; its connection pool does the work, exactly as before.

A Redis that does not answer at all (its host down, a network cut) would hold a
request until gunicorn kills the worker; with these limits the request fails in
seconds, and the site answers 503 (``config/errors.py``). OPTIONS may override them.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


SOCKET_TIMEOUTS = {"socket_connect_timeout": 2, "socket_timeout": 5}


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
        self._options = {**SOCKET_TIMEOUTS, **self._options}

    def incr_expiring(self, key, timeout):
        """Add 1 to ``key`` (0 when missing) and let it expire ``timeout`` seconds after it
        was made: one round trip (a rate counter on every API request)."""
        (count,), _found = self.incr_expiring_and_get_many([(key, timeout)], [])
        return count

    def incr_expiring_and_get_many(self, counters, keys):
        """Each counter of ``counters`` ((key, timeout) pairs) counted as ``incr_expiring``
        counts it, and ``get_many(keys)``, in one round trip: (the counts, the values
        found). An API list request's rate counters and its cache entry (``api.caching``)."""
        pipe = self._cache.get_client(write=True).pipeline(transaction=False)
        for key, timeout in counters:
            key = self.make_and_validate_key(key)
            pipe.incr(key)
            pipe.expire(key, int(timeout), nx=True)
        made = {self.make_and_validate_key(key): key for key in keys}
        if made:
            pipe.mget(list(made))
        results = pipe.execute()
        counts = results[: 2 * len(counters) : 2]
        values = results[-1] if made else []
        loads = self._cache._serializer.loads
        found = {
            made[key]: loads(value)
            for key, value in zip(made, values, strict=True)
            if value is not None
        }
        return counts, found
