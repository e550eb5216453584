"""Token authentication whose failures are counted and throttled per client.

The API reads need no authentication; only writing (a submission) needs a
user, who sends ``Authorization: Token <key>``. A wrong token costs one
indexed lookup, never a password hash, and a client (``tracker.clients``) that
keeps sending wrong ones gets 429 instead of 401 for the rest of the window
(``API_AUTH_FAILURES``, e.g. 10/min). A valid token always authenticates: the
failures of a guesser behind the same address never lock its owner out.
"""

from django.conf import settings
from django.core.cache import cache
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.throttling import SimpleRateThrottle

from tracker.clients import client_address


class AuthFailureThrottle(SimpleRateThrottle):
    """Counts failed authentications per client address in a fixed window."""

    scope = "auth_failure"

    def get_rate(self):
        return settings.API_AUTH_FAILURES

    def get_ident(self, request):
        return client_address(request)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def exhausted(self, request):
        return (cache.get(self.get_cache_key(request, None)) or 0) >= self.num_requests

    def record_failure(self, request):
        key = self.get_cache_key(request, None)
        cache.add(key, 0, self.duration)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, self.duration)


class ThrottledTokenAuthentication(TokenAuthentication):
    def authenticate(self, request):
        if not get_authorization_header(request):
            return None
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            throttle = AuthFailureThrottle()
            if throttle.exhausted(request):
                raise Throttled(
                    wait=throttle.duration, detail="Too many failed authentications."
                ) from None
            throttle.record_failure(request)
            raise
