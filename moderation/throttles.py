"""Per-account and per-client limits on submissions, counted in the shared cache (Redis)."""

from django.conf import settings
from django.core.cache import cache


def _parse(rate: str):
    count, seconds = rate.split("/")
    return int(count), int(seconds)


def _hit(key, rate):
    limit, period = _parse(rate)
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period)
        count = 1
    return count <= limit


def submission_allowed(*, volunteer, client: str) -> bool:
    """Count one submission write for the account and its client's address (see
    ``tracker.clients.client_address``); False when over a limit."""
    account_ok = _hit(f"submit:user:{volunteer.pk}", settings.SUBMISSION_RATE_ACCOUNT)
    client_ok = _hit(f"submit:ip:{client}", settings.SUBMISSION_RATE_CLIENT)
    return account_ok and client_ok
