"""The guarded fetcher: the only way the project makes outgoing HTTP requests.

Source URLs come from volunteers, so one could point at the server's own
network (a cloud metadata service, the database, an intranet). Every
destination is resolved once, each resolved address is classified, and the
socket is connected to the checked address itself, so a second DNS answer
(DNS rebinding) cannot slip past; redirects go through the same guard.
FETCH_ALLOW_HOSTS names hosts allowed anyway (tests, intranets); only the
ports in FETCH_ALLOWED_PORTS are ever dialled.

A site can also be hostile or broken in time: slow header bytes, a chunk
size line sent a byte a second, a TLS handshake that never ends, a flood of
``100 Continue``. So the socket is ours: h11 parses HTTP/1.1 without doing any
I/O, and every phase (DNS, connect, TLS, status line and headers, chunk
framing, body) runs under one wall-clock deadline, FETCH_TOTAL_TIMEOUT, that
every socket operation is bounded by; every byte received before the body,
interim responses included, counts against a cap, and the body stops at
FETCH_MAX_BYTES.
"""

import ipaddress
import os
import socket
import ssl
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import nullcontext
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit

import h11
from django.conf import settings

from . import host_limit as limits

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RECV_BYTES = 64 * 1024
# One response head (status line and headers) at most; a longer one is refused.
MAX_HEAD_BYTES = 64 * 1024
MAX_HEADERS = 200
MAX_INTERIM_RESPONSES = 20
# At most this many resolved addresses are tried, each within the connect timeout.
MAX_ADDRESSES = 4

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_URL_SAFE = "/%:@!$&'()*+,;=-._~?"

# Tests replace this with a function that fails for chosen names, so no DNS packet leaves.
resolver = socket.getaddrinfo


class FetchError(Exception):
    """The request failed (network error, timeout, bad response): it says something about the
    source, unlike infrastructure errors such as ``limits.SlotTimeout``.

    ``kind`` says how far it got: "resolve" and "connect" never reached the
    host (what an outage looks like), "timeout", "tls" and "http" did.
    """

    def __init__(self, message: str, *, kind: str = "http"):
        super().__init__(message)
        self.kind = kind

    @property
    def reached_host(self) -> bool:
        return self.kind not in ("resolve", "connect")


class FetchBlocked(FetchError):
    """The guard refused the destination address or port."""

    def __init__(self, message: str):
        super().__init__(message, kind="blocked")


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
    head: bytes = b""  # the final response's status line and headers, as received

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


def address_is_forbidden(ip) -> bool:
    """True for any address a fetch must not reach: loopback, private, link-local,
    site-local, multicast, unspecified, reserved or otherwise not globally routable,
    IPv4 or IPv6, including IPv4 addresses embedded in IPv6 (mapped, 6to4, Teredo, NAT64)."""
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
        if ip.is_site_local:  # fec0::/10: deprecated, yet routed inside some networks
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


class Deadline:
    """One wall-clock budget; every blocking call asks it how long it may wait."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.ends = time.monotonic() + seconds

    def remaining(self, phase: str) -> float:
        left = self.ends - time.monotonic()
        if left <= 0:
            raise FetchError(f"gave up after {self.seconds:g} s ({phase})", kind="timeout")
        return left


# ---------------------------------------------------------------- DNS and connecting

_dns_pool = None
_dns_pool_pid = None
_dns_lock = threading.Lock()


def _dns_executor():
    """Threads for lookups, so a lookup can be abandoned at the deadline (one per process:
    a forked worker child starts its own)."""
    global _dns_pool, _dns_pool_pid
    with _dns_lock:
        if _dns_pool is None or _dns_pool_pid != os.getpid():
            _dns_pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="fetch-dns")
            _dns_pool_pid = os.getpid()
        return _dns_pool


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


def resolve_checked(host: str, port: int, deadline: Deadline | None = None) -> list[tuple]:
    """Resolve once and return addresses safe to connect to, or raise FetchBlocked.

    Any forbidden address among the answers refuses the host: a name that
    half-points inside the network is not one to trust.
    """
    deadline = deadline or Deadline(settings.FETCH_TOTAL_TIMEOUT)
    try:
        if _is_ip_literal(host):  # no lookup to wait for
            infos = resolver(host, port, type=socket.SOCK_STREAM)
        else:
            wait = min(settings.FETCH_CONNECT_TIMEOUT, deadline.remaining("DNS"))
            lookup = _dns_executor().submit(resolver, host, port, type=socket.SOCK_STREAM)
            infos = lookup.result(timeout=wait)
    except FutureTimeout:
        raise FetchError(f"looking up {host} timed out", kind="resolve") from None
    except (socket.gaierror, UnicodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise FetchError(f"cannot resolve {host}: {reason}", kind="resolve") from exc
    if not infos:
        raise FetchError(f"cannot resolve {host}", kind="resolve")
    if not host_is_allowed(host):
        for info in infos:
            address = info[4][0]
            if address_is_forbidden(address):
                raise FetchBlocked(f"{host} resolves to a forbidden address ({address})")
    return [(family, sockaddr) for family, _, _, _, sockaddr in infos]


_tls_contexts: dict[tuple, ssl.SSLContext] = {}


def _tls_context() -> ssl.SSLContext:
    """One verifying context per process (loading the CA bundle costs milliseconds),
    remade if the bundle's location in the environment changes."""
    key = (os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))
    context = _tls_contexts.get(key)
    if context is None:
        context = _tls_contexts[key] = ssl.create_default_context()
    return context


def _connect(host: str, port: int, *, tls: bool, deadline: Deadline) -> socket.socket:
    """A socket connected to an address that passed the guard (and TLS-wrapped for https)."""
    last_error = None
    for family, sockaddr in resolve_checked(host, port, deadline)[:MAX_ADDRESSES]:
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(min(settings.FETCH_CONNECT_TIMEOUT, deadline.remaining("connect")))
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
        if tls:
            sock = _tls_context().wrap_socket(
                sock, server_hostname=host, do_handshake_on_connect=False
            )
            try:
                # One timeout for the whole handshake: CPython bounds it as a deadline.
                sock.settimeout(deadline.remaining("TLS handshake"))
                sock.do_handshake()
            except (OSError, ssl.SSLError) as exc:
                sock.close()
                if isinstance(exc, TimeoutError):
                    message = f"TLS handshake with {host} timed out"
                    raise FetchError(message, kind="timeout") from exc
                raise FetchError(f"TLS failed with {host}: {exc}", kind="tls") from exc
            except FetchError:
                sock.close()
                raise
        return sock
    if isinstance(last_error, TimeoutError):
        raise FetchError(
            f"connecting to {host} timed out after {settings.FETCH_CONNECT_TIMEOUT:g} s",
            kind="connect",
        )
    raise FetchError(f"cannot connect to {host}: {last_error}", kind="connect")


# ---------------------------------------------------------------- the HTTP exchange


class _Exchange:
    """One HTTP/1.1 request (a GET, or a webhook's POST) on a connected socket. h11 writes
    the request and parses the response; this feeds it bytes, each wait bounded by the
    deadline, and counts them."""

    def __init__(self, sock, deadline: Deadline, *, cap: int):
        self.sock, self.deadline, self.cap = sock, deadline, cap
        self.http = h11.Connection(h11.CLIENT, max_incomplete_event_size=MAX_HEAD_BYTES)
        self.received = 0
        self.closed = False  # the server has closed its side

    def send(self, target: str, host: str, headers: dict[str, str], *, method="GET", body=b""):
        fields = [("Host", host), ("Connection", "close"), *headers.items()]
        if method != "GET":
            fields.append(("Content-Length", str(len(body))))
        data = self.http.send(h11.Request(method=method, target=target, headers=fields))
        if body:
            data += self.http.send(h11.Data(data=body))
        data += self.http.send(h11.EndOfMessage())
        self.sock.settimeout(min(settings.FETCH_READ_TIMEOUT, self.deadline.remaining("request")))
        self.sock.sendall(data)

    def _next(self, phase: str):
        while (event := self.http.next_event()) is h11.NEED_DATA:
            read_timeout = settings.FETCH_READ_TIMEOUT
            self.sock.settimeout(min(read_timeout, self.deadline.remaining(phase)))
            try:
                data = self.sock.recv(RECV_BYTES)
            except TimeoutError:
                self.deadline.remaining(phase)  # raises if the whole budget is spent
                message = f"no response within {read_timeout:g} s ({phase})"
                raise FetchError(message, kind="timeout") from None
            self.received += len(data)
            self.closed = not data
            self.http.receive_data(data)
        return event

    def response(self) -> tuple[int, dict[str, str], bytes]:
        """The final response's status, headers (names lower-cased, repeats joined)
        and head (status line and headers, for the archive)."""
        for _ in range(MAX_INTERIM_RESPONSES + 1):
            event = self._next("status line and headers")
            if self.received > self.cap:
                raise FetchError(f"more than {self.cap} bytes before the body")
            if isinstance(event, h11.Response):
                break
        else:
            raise FetchError(f"more than {MAX_INTERIM_RESPONSES} informational responses")
        if event.status_code > 599:
            raise FetchError(f"not an HTTP status: {event.status_code}")
        if len(event.headers) > MAX_HEADERS:
            raise FetchError("response headers too long")
        headers = {}
        lines = [b"HTTP/%s %d %s\r\n" % (event.http_version, event.status_code, event.reason)]
        for raw_name, value in event.headers.raw_items():
            name, text = raw_name.decode("latin-1").lower(), value.decode("latin-1")
            headers[name] = f"{headers[name]}, {text}" if name in headers else text
            lines.append(raw_name + b": " + value + b"\r\n")
        head = b"".join(lines) + b"\r\n"
        if len(head) > MAX_HEAD_BYTES:  # h11 bounds only a head still arriving
            raise FetchError("response headers too long")
        return event.status_code, headers, head

    def body(self, limit: int) -> tuple[bytes, bool]:
        """The body, de-chunked, and whether it was cut at ``limit`` bytes."""
        chunks, size = [], 0
        while not isinstance(event := self._next("body"), h11.EndOfMessage):
            chunks.append(event.data)
            size += len(event.data)
            if size > limit:
                return b"".join(chunks)[:limit], True
        return b"".join(chunks), False


def _target(parts) -> tuple[str, str]:
    """The request target and Host header of a URL."""
    # Non-ASCII paths (a Hindi headline in the URL, say) go out percent-encoded.
    target = quote(parts.path or "/", safe=_URL_SAFE)
    if parts.query:
        target += "?" + quote(parts.query, safe=_URL_SAFE)
    host = parts.hostname.encode("idna").decode() if not _is_ip_literal(parts.hostname) else None
    netloc = host or (f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname)
    if parts.port:
        netloc += f":{parts.port}"
    return target, netloc


def _exchange_once(
    url: str,
    headers: dict[str, str],
    *,
    max_bytes: int,
    deadline: Deadline,
    method: str = "GET",
    body: bytes = b"",
):
    """One request without following redirects: (status, headers, body, truncated, head)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    tls = parts.scheme == "https"
    port = parts.port or (443 if tls else 80)
    try:
        target, host_header = _target(parts)
    except UnicodeError as exc:  # a malformed name, not a sign of an outage
        raise FetchError(f"bad host name {host[:100]!r}") from exc
    sock = _connect(host, port, tls=tls, deadline=deadline)
    # Interim responses and heads count against the cap before the body.
    exchange = _Exchange(sock, deadline, cap=max_bytes + MAX_HEAD_BYTES)
    try:
        exchange.send(target, host_header, headers, method=method, body=body)
        status, response_headers, head = exchange.response()
        content, truncated = b"", False
        if status not in REDIRECT_STATUSES:
            content, truncated = exchange.body(max_bytes)
        return status, response_headers, content, truncated, head
    except h11.ProtocolError as exc:
        if exchange.closed:
            raise FetchError("the server closed the connection before the response ended") from None
        raise FetchError(f"bad HTTP response: {exc}") from None
    except TimeoutError as exc:  # sendall
        raise FetchError(f"no response within {settings.FETCH_READ_TIMEOUT:g} s") from exc
    except ssl.SSLError as exc:
        raise FetchError(f"TLS error from {host}: {exc}", kind="tls") from exc
    except OSError as exc:
        raise FetchError(f"connection to {host} failed: {exc}") from exc
    finally:
        sock.close()


def _result(url, final_url, exchanged, *, started, redirects=()):
    status, headers, body, truncated, head = exchanged
    return FetchResult(
        url=url,
        final_url=final_url,
        status=status,
        headers=headers,
        body=body,
        truncated=truncated,
        duration_ms=int((time.monotonic() - started) * 1000),
        redirects=list(redirects),
        head=head,
    )


def url_checked(url: str):
    """The URL's parts, if it is an http(s) URL on an allowed port; else FetchError or
    FetchBlocked. (Its addresses are checked when it is fetched.)"""
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # e.g. an unclosed IPv6 literal
        raise FetchError(f"not a URL: {url[:200]}") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not an http(s) URL: {url[:200]}")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise FetchError(f"bad port in {url[:200]}") from exc
    if port not in settings.FETCH_ALLOWED_PORTS:
        raise FetchBlocked(f"port {port} is not allowed")
    return parts


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    max_bytes: int | None = None,
    total_timeout: float | None = None,
    held_slot: limits.HeldSlot | None = None,
):
    """GET ``url`` through the guard, following at most MAX_REDIRECTS redirects.

    Sends the conditional headers of the last check, stops reading at
    ``max_bytes`` (FETCH_MAX_BYTES) and holds a per-host slot for each request.
    The whole fetch, redirects included, ends within ``total_timeout``
    (FETCH_TOTAL_TIMEOUT) of holding its first slot, whatever the server does.
    With ``held_slot`` (the scheduler holds a slot of the URL's host), requests
    to that host use it instead of taking another.
    Raises FetchBlocked or FetchError; any HTTP status is a result, not an error.
    """
    max_bytes = settings.FETCH_MAX_BYTES if max_bytes is None else max_bytes
    budget = settings.FETCH_TOTAL_TIMEOUT if total_timeout is None else total_timeout
    headers = {
        "User-Agent": settings.FETCH_USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.8",
        "Accept-Encoding": "identity",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline = None
    current, redirects = url, []
    while True:
        parts = url_checked(current)
        # The first slot may be waited for (FETCH_SLOT_WAIT); a redirect's only within budget.
        wait = None if deadline is None else deadline.remaining("waiting for a slot")
        if held_slot is not None and held_slot.host == parts.hostname.lower():
            held_slot.keep()
            slot = nullcontext()
        else:
            # The lease outlives any request, and frees the slot of a worker killed mid-request.
            slot = limits.host_slot(parts.hostname, lease_seconds=budget + 10, wait_seconds=wait)
        with slot:
            if deadline is None:
                deadline = Deadline(budget)
                started = time.monotonic()
            exchanged = _exchange_once(current, headers, max_bytes=max_bytes, deadline=deadline)
        status, response_headers = exchanged[:2]
        location = response_headers.get("location")
        if status in REDIRECT_STATUSES and location:
            if len(redirects) >= MAX_REDIRECTS:
                raise FetchError(f"more than {MAX_REDIRECTS} redirects")
            target = urljoin(current, location.strip())
            if target in redirects or target == url:
                raise FetchError(f"redirect loop at {target[:200]}")
            redirects.append(target)
            current = target
            continue
        return _result(url, current, exchanged, started=started, redirects=redirects)


def post(
    url: str,
    body: bytes,
    *,
    headers: dict[str, str],
    max_bytes: int,
    total_timeout: float,
) -> FetchResult:
    """POST ``body`` to ``url`` through the same guard, deadline and byte cap as ``fetch``
    (webhook deliveries). Redirects are not followed: a redirect is the answer. Holds a
    per-host slot like any fetch. Raises FetchBlocked or FetchError."""
    parts = url_checked(url)
    request_headers = {"User-Agent": settings.FETCH_USER_AGENT, **headers}
    slot = limits.host_slot(
        parts.hostname, lease_seconds=total_timeout + 10, wait_seconds=total_timeout
    )
    with slot:
        deadline = Deadline(total_timeout)
        started = time.monotonic()
        exchanged = _exchange_once(
            url, request_headers, max_bytes=max_bytes, deadline=deadline, method="POST", body=body
        )
    return _result(url, url, exchanged, started=started)
