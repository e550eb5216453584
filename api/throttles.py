"""Rate limits for anonymous and signed-in clients (429 with Retry-After).

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` when a request
arrives, not when the class is imported, so operators and tests can change them.
A client's requests are counted per window of the rate's period (a minute for
"120/min"): one counter, incremented in one cache round trip, instead of REST
framework's list of every request's time, which a generous rate makes long
(and read and written whole on every request).
"""

from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from tracker.catalogue.datacache import counted
from tracker.clients import client_address


class CurrentRateMixin:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        """The client behind API_NUM_PROXIES proxies, as every limit counts it."""
        return client_address(request)


class WindowCounterMixin:
    """At most ``num_requests`` per client in each window of ``duration`` seconds."""

    def window_counter(self, request, view):
        """(key, seconds to keep it) of the counter this request counts on, or None when
        it is not counted (no rate, or a client this throttle leaves to another)."""
        if self.rate is None:
            return None
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return None
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        return f"{self.key}:{window}", self.duration + 1

    def allow_count(self, count):
        """Whether the request that brought the counter to ``count`` may go on."""
        return count <= self.num_requests

    def allow_request(self, request, view):
        counter = self.window_counter(request, view)
        if counter is None:
            return True
        return self.allow_count(counted(*counter, store=self.cache))

    def wait(self):
        return max(1.0, self.window_ends - self.now)


class AnonymousThrottle(CurrentRateMixin, WindowCounterMixin, AnonRateThrottle):
    cache = cache


class SignedInThrottle(CurrentRateMixin, WindowCounterMixin, UserRateThrottle):
    """Counts signed-in users only: an anonymous client is counted by AnonymousThrottle,
    at its own (lower) rate, and a second count of it would cost two more cache round
    trips on every request."""

    cache = cache

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
