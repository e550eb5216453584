"""The guarded fetcher: the only way the project makes outgoing HTTP requests.

Source URLs come from volunteers, so one could point at the server's own
network (a cloud metadata service, the database, an intranet). Every
destination is resolved once, each resolved address is classified, and the
socket is connected to the checked address itself, so a second DNS answer
(DNS rebinding) cannot slip past; redirects go through the same guard.
FETCH_ALLOW_HOSTS names hosts allowed anyway (tests, intranets).
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings

from . import host_limit as limits

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHUNK_BYTES = 64 * 1024

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_URL_SAFE = "/%:@!$&'()*+,;=-._~?"


class FetchError(Exception):
    """The request failed (network error, timeout, bad redirect): it says something about the
    source, unlike infrastructure errors such as ``limits.SlotTimeout``."""


class FetchBlocked(FetchError):
    """The guard refused the destination address."""


@dataclass
class FetchResult:
    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    truncated: bool = False
    duration_ms: int = 0
    redirects: list[str] = field(default_factory=list)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


def address_is_forbidden(ip) -> bool:
    """True for any address a fetch must not reach: loopback, private, link-local,
    multicast, unspecified, reserved or otherwise not globally routable, IPv4 or IPv6,
    including IPv4 addresses embedded in IPv6 (mapped, 6to4, Teredo, NAT64)."""
    if isinstance(ip, str):
        ip = ipaddress.ip_address(ip.split("%", 1)[0].strip("[]"))
    if ip.version == 6:
        if ip.ipv4_mapped is not None:  # ::ffff:a.b.c.d reaches a.b.c.d itself
            return address_is_forbidden(ip.ipv4_mapped)
        embedded = [ip.sixtofour]
        if ip.teredo:
            embedded.extend(ip.teredo)
        if ip in _NAT64:
            embedded.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if any(address_is_forbidden(v4) for v4 in embedded if v4 is not None):
            return True
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_unspecified
        or ip.is_reserved
        or not ip.is_global
    )


def host_is_allowed(host: str) -> bool:
    """Hosts in FETCH_ALLOW_HOSTS skip the address check (matched exactly, case-insensitively)."""
    allowed = {h.strip("[]") for h in settings.FETCH_ALLOW_HOSTS}
    return host.lower().strip("[]") in allowed


def resolve_checked(host: str, port: int) -> list[tuple]:
    """Resolve once and return addresses safe to connect to, or raise FetchBlocked.

    Any forbidden address among the answers refuses the host: a name that
    half-points inside the network is not one to trust.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve {host}: {exc.strerror or exc}") from exc
    if not infos:
        raise FetchError(f"cannot resolve {host}")
    if not host_is_allowed(host):
        for info in infos:
            address = info[4][0]
            if address_is_forbidden(address):
                raise FetchBlocked(f"{host} resolves to a forbidden address ({address})")
    return [(family, sockaddr) for family, _, _, _, sockaddr in infos]


def _connect(host: str, port: int, *, tls: bool, connect_timeout: float, read_timeout: float):
    """A socket connected to an address that passed the guard (and TLS-wrapped for https)."""
    last_error = None
    for family, sockaddr in resolve_checked(host, port):
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(connect_timeout)
        try:
            sock.connect(sockaddr)
        except OSError as exc:
            sock.close()
            last_error = exc
            continue
        # Belt and braces: what we are connected to is what we checked.
        peer = sock.getpeername()[0]
        if not host_is_allowed(host) and address_is_forbidden(peer):
            sock.close()
            raise FetchBlocked(f"{host} connected to a forbidden address ({peer})")
        sock.settimeout(read_timeout)
        if tls:
            context = ssl.create_default_context()
            try:
                sock = context.wrap_socket(sock, server_hostname=host)
            except (OSError, ssl.SSLError) as exc:
                sock.close()
                raise FetchError(f"TLS failed with {host}: {exc}") from exc
        return sock
    if isinstance(last_error, TimeoutError):
        raise FetchError(f"connecting to {host} timed out after {connect_timeout:g} s")
    raise FetchError(f"cannot connect to {host}: {last_error}")


def _get_once(url: str, headers: dict[str, str], *, max_bytes: int, deadline: float):
    """One GET without following redirects: (status, headers, body, truncated)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    tls = parts.scheme == "https"
    port = parts.port or (443 if tls else 80)
    sock = _connect(
        host,
        port,
        tls=tls,
        connect_timeout=settings.FETCH_CONNECT_TIMEOUT,
        read_timeout=settings.FETCH_READ_TIMEOUT,
    )
    conn_class = http.client.HTTPSConnection if tls else http.client.HTTPConnection
    conn = conn_class(host, port)
    conn.sock = sock
    try:
        # Non-ASCII paths (a Hindi headline in the URL, say) go out percent-encoded.
        path = quote(parts.path or "/", safe=_URL_SAFE)
        if parts.query:
            path += "?" + quote(parts.query, safe=_URL_SAFE)
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response_headers = {k.lower(): v for k, v in response.getheaders()}
        chunks, size, truncated = [], 0, False
        if response.status not in REDIRECT_STATUSES and response.status != 304:
            while True:
                if time.monotonic() > deadline:
                    raise FetchError("response took too long to arrive")
                chunk = response.read1(min(CHUNK_BYTES, max_bytes - size + 1))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    truncated = True
                    break
        body = b"".join(chunks)[:max_bytes]
        return response.status, response_headers, body, truncated
    except TimeoutError as exc:
        raise FetchError(f"no response within {settings.FETCH_READ_TIMEOUT:g} s") from exc
    except (http.client.HTTPException, OSError, ValueError) as exc:
        raise FetchError(f"HTTP error from {host}: {exc!r}") from exc
    finally:
        conn.close()


def fetch(url: str, *, etag: str = "", last_modified: str = "", max_bytes: int | None = None):
    """GET ``url`` through the guard, following at most MAX_REDIRECTS redirects.

    Sends the conditional headers of the last check, stops reading at
    ``max_bytes`` (FETCH_MAX_BYTES) and holds a per-host slot for each request.
    Raises FetchBlocked or FetchError; any HTTP status is a result, not an error.
    """
    max_bytes = settings.FETCH_MAX_BYTES if max_bytes is None else max_bytes
    headers = {
        "User-Agent": settings.FETCH_USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.8",
        "Accept-Encoding": "identity",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    # One request may take its connect timeout plus a few read timeouts (slow trickles).
    per_request = settings.FETCH_CONNECT_TIMEOUT + 3 * settings.FETCH_READ_TIMEOUT
    started = time.monotonic()
    current, redirects = url, []
    while True:
        parts = urlsplit(current)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"not an http(s) URL: {current}")
        try:
            parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
        except ValueError as exc:
            raise FetchError(f"bad port in {current}") from exc
        # The lease outlives any request, and frees the slot of a worker killed mid-request.
        with limits.host_slot(parts.hostname, lease_seconds=2 * per_request):
            status, response_headers, body, truncated = _get_once(
                current, headers, max_bytes=max_bytes, deadline=time.monotonic() + per_request
            )
        location = response_headers.get("location")
        if status in REDIRECT_STATUSES and location:
            if len(redirects) >= MAX_REDIRECTS:
                raise FetchError(f"more than {MAX_REDIRECTS} redirects")
            target = urljoin(current, location.strip())
            if target in redirects or target == url:
                raise FetchError(f"redirect loop at {target}")
            redirects.append(target)
            current = target
            continue
        return FetchResult(
            url=url,
            final_url=current,
            status=status,
            headers=response_headers,
            body=body,
            truncated=truncated,
            duration_ms=int((time.monotonic() - started) * 1000),
            redirects=redirects,
        )
