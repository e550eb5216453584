"""URL normalisation: one source URL, one row, however it was pasted."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
TRACKING_PARAMS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")


def normalise_url(url: str) -> str:
    """Lower-case scheme and host, drop default ports, fragments and tracking parameters.

    The path and the remaining query are kept as they are: servers may treat
    them case-sensitively, and two different articles must never merge.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host
    if parts.port and parts.port != DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{parts.port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not k.lower().startswith(TRACKING_PARAMS)
        ]
    )
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))
