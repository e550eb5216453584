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
``100 Continue``. So the HTTP exchange is read here on a plain socket, every
phase (DNS, connect, TLS, status line and headers, chunk framing, body) under
one wall-clock deadline, FETCH_TOTAL_TIMEOUT, that every socket operation is
bounded by; and every byte received, interim responses included, counts
against the byte cap.
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

from django.conf import settings

from . import host_limit as limits

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RECV_BYTES = 64 * 1024
# One response head (status line and headers) at most; a longer one is refused.
MAX_HEAD_BYTES = 64 * 1024
MAX_HEADERS = 200
MAX_INTERIM_RESPONSES = 20
MAX_CHUNK_LINE = 4096
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


# ---------------------------------------------------------------- reading a response


class _Reader:
    """Reads one HTTP/1.1 response from a socket, each wait bounded by the deadline."""

    def __init__(self, sock, deadline: Deadline, *, cap: int):
        self.sock, self.deadline, self.cap = sock, deadline, cap
        self.buffer = bytearray()
        self.received = 0
        self.closed = False

    def fill(self, phase: str) -> bool:
        """Receive more bytes; False when the server has closed the connection."""
        if self.closed:
            return False
        read_timeout = settings.FETCH_READ_TIMEOUT
        self.sock.settimeout(min(read_timeout, self.deadline.remaining(phase)))
        try:
            data = self.sock.recv(RECV_BYTES)
        except TimeoutError:
            self.deadline.remaining(phase)  # raises if the whole budget is spent
            message = f"no response within {read_timeout:g} s ({phase})"
            raise FetchError(message, kind="timeout") from None
        if not data:
            self.closed = True
            return False
        self.received += len(data)
        self.buffer += data
        return True

    def line(self, phase: str, limit: int) -> bytes:
        while True:
            end = self.buffer.find(b"\n")
            if end >= 0:
                line = bytes(self.buffer[: end + 1])
                del self.buffer[: end + 1]
                return line
            if len(self.buffer) > limit:
                raise FetchError(f"{phase} longer than {limit} bytes")
            if not self.fill(phase):
                raise FetchError(f"connection closed during {phase}")

    def head(self) -> tuple[int, dict[str, str], bytes]:
        """The status, headers and raw bytes of the next response head."""
        start = self.received - len(self.buffer)
        status_line = self.line("status line", MAX_HEAD_BYTES)
        parts = status_line.split(None, 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/") or not _is_status(parts[1]):
            raise FetchError(f"not an HTTP response: {status_line[:80]!r}")
        status = int(parts[1])
        raw, headers, count = [status_line], {}, 0
        while True:
            used = self.received - len(self.buffer) - start
            line = self.line("headers", MAX_HEAD_BYTES - used)
            raw.append(line)
            if line in (b"\r\n", b"\n"):
                break
            count += 1
            if count > MAX_HEADERS or used > MAX_HEAD_BYTES:
                raise FetchError("response headers too long")
            name, sep, value = line.decode("latin-1").partition(":")
            if not sep:
                continue  # a folded or malformed line: nothing we rely on
            name = name.strip().lower()
            value = value.strip()
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        if self.received - len(self.buffer) > self.cap:
            raise FetchError(f"more than {self.cap} bytes before the body")
        return status, headers, b"".join(raw)

    def take(self, phase: str, wanted: int) -> bytes:
        """Up to ``wanted`` bytes (fewer only if the connection closes)."""
        while len(self.buffer) < wanted and self.fill(phase):
            pass
        data = bytes(self.buffer[:wanted])
        del self.buffer[:wanted]
        return data

    def body(self, headers, limit: int) -> tuple[bytes, bool]:
        """The body, de-chunked, and whether it was cut at ``limit`` bytes."""
        encoding = headers.get("transfer-encoding", "").lower()
        if encoding.rsplit(",", 1)[-1].strip() == "chunked":
            return self._chunked(limit)
        length = headers.get("content-length", "").split(",")[0].strip()
        if length.isdigit():
            wanted = int(length)
            data = self.take("body", min(wanted, limit + 1))
            return data[:limit], len(data) > limit
        data = self.take("body", limit + 1)  # until the server closes
        return data[:limit], len(data) > limit

    def _chunked(self, limit: int) -> tuple[bytes, bool]:
        chunks, size = [], 0
        while True:
            line = self.line("chunk size", MAX_CHUNK_LINE)
            try:
                chunk_size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise FetchError(f"bad chunk size {line[:40]!r}") from None
            if chunk_size == 0:
                return b"".join(chunks), False
            data = self.take("body", min(chunk_size, limit + 1 - size))
            chunks.append(data)
            size += len(data)
            if size > limit:
                return b"".join(chunks)[:limit], True
            if len(data) < chunk_size:
                raise FetchError("connection closed inside a chunk")
            self.line("chunk end", MAX_CHUNK_LINE)


def _is_status(code: bytes) -> bool:
    """Three digits, 100 to 599: anything else is not an HTTP response."""
    return len(code) == 3 and code.isdigit() and b"100" <= code <= b"599"


def _request_bytes(parts, headers: dict[str, str], method: str = "GET", body: bytes = b"") -> bytes:
    # Non-ASCII paths (a Hindi headline in the URL, say) go out percent-encoded.
    path = quote(parts.path or "/", safe=_URL_SAFE)
    if parts.query:
        path += "?" + quote(parts.query, safe=_URL_SAFE)
    host = parts.hostname.encode("idna").decode() if not _is_ip_literal(parts.hostname) else None
    netloc = host or (f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname)
    if parts.port:
        netloc += f":{parts.port}"
    lines = [f"{method} {path} HTTP/1.1", f"Host: {netloc}", "Connection: close"]
    if method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


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
        request = _request_bytes(parts, headers, method, body)
    except UnicodeError as exc:  # a malformed name, not a sign of an outage
        raise FetchError(f"bad host name {host[:100]!r}") from exc
    sock = _connect(host, port, tls=tls, deadline=deadline)
    try:
        sock.settimeout(min(settings.FETCH_READ_TIMEOUT, deadline.remaining("request")))
        sock.sendall(request)
        # Every byte counts against the cap: interim responses and heads included.
        reader = _Reader(sock, deadline, cap=max_bytes + MAX_HEAD_BYTES)
        for _ in range(MAX_INTERIM_RESPONSES + 1):
            status, response_headers, head = reader.head()
            if not 100 <= status < 200:
                break
            if status == 101:
                raise FetchError("the server switched protocols")
        else:
            raise FetchError(f"more than {MAX_INTERIM_RESPONSES} informational responses")
        content, truncated = b"", False
        if status not in REDIRECT_STATUSES and status not in (204, 304):
            limit = min(max_bytes, reader.cap - (reader.received - len(reader.buffer)))
            content, truncated = reader.body(response_headers, max(limit, 0))
        return status, response_headers, content, truncated, head
    except TimeoutError as exc:  # sendall
        raise FetchError(f"no response within {settings.FETCH_READ_TIMEOUT:g} s") from exc
    except ssl.SSLError as exc:
        raise FetchError(f"TLS error from {host}: {exc}", kind="tls") from exc
    except OSError as exc:
        raise FetchError(f"connection to {host} failed: {exc}") from exc
    finally:
        sock.close()


def url_checked(url: str):
    """The URL's parts, if it is an http(s) URL on an allowed port; else FetchError or
    FetchBlocked. (Its addresses are checked when it is fetched.)"""
    parts = urlsplit(url)
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
            status, response_headers, body, truncated, head = _exchange_once(
                current, headers, max_bytes=max_bytes, deadline=deadline
            )
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
        return FetchResult(
            url=url,
            final_url=current,
            status=status,
            headers=response_headers,
            body=body,
            truncated=truncated,
            duration_ms=int((time.monotonic() - started) * 1000),
            redirects=redirects,
            head=head,
        )


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
        status, response_headers, content, truncated, head = _exchange_once(
            url, request_headers, max_bytes=max_bytes, deadline=deadline, method="POST", body=body
        )
    return FetchResult(
        url=url,
        final_url=url,
        status=status,
        headers=response_headers,
        body=content,
        truncated=truncated,
        duration_ms=int((time.monotonic() - started) * 1000),
        head=head,
    )
