"""Rate limits for anonymous and signed-in clients (429 with Retry-After).

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` when a request
arrives, not when the class is imported, so operators and tests can change them.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class CurrentRateMixin:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonymousThrottle(CurrentRateMixin, AnonRateThrottle):
    pass


class SignedInThrottle(CurrentRateMixin, UserRateThrottle):
    """Counts signed-in users only: an anonymous client is counted by AnonymousThrottle,
    at its own (lower) rate, and a second count of it would cost two more cache round
    trips on every request."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
