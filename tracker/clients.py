"""Who is asking: the client's address, the same for every limit the site keeps.

Behind ``API_NUM_PROXIES`` reverse proxies (``settings.NUM_PROXIES``), each of
which appends the address it saw to ``X-Forwarded-For`` (the documented nginx
replaces the header with the address it saw), the client is the entry that many
hops from the right; anything further left was written by the client itself and
is ignored. With no proxy the connection's own address counts and the header is
ignored. The API's throttles, the token-failure throttle, allauth's sign-in,
sign-up and reset limits, the admin's failed sign-ins (django-axes) and the
submission limits all count by this one address.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    """The client's address as the last trusted proxy reported it, in canonical form."""
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    proxies = settings.NUM_PROXIES
    found = remote
    if proxies > 0 and forwarded:
        hops = forwarded.split(",")
        found = hops[-min(proxies, len(hops))].strip()
    try:
        return str(ipaddress.ip_address(found))
    except ValueError:
        return remote
