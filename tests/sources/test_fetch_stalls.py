"""No server behaviour makes a fetch outlast FETCH_TOTAL_TIMEOUT, and broken framing is a
clear error: each against a real loopback server that the test starts."""

import socket
import threading
import time

import pytest

from tests.support import wait_for
from tracker.checking.fetch import FetchError, fetch

BUDGET = 2.0
# Each stall sends something every DRIP seconds, well inside the read timeout, so only
# the whole-fetch deadline can end it.
DRIP = 0.2


class StallingServer:
    """A TCP server on 127.0.0.1 that runs ``behaviour(connection)`` for each client."""

    def __init__(self, behaviour):
        self.behaviour = behaviour
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stopped = threading.Event()
        self.sent = 0
        self.connections = 0  # still being served
        self.lock = threading.Lock()
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        self.listener.settimeout(0.1)
        while not self.stopped.is_set():
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self.handle, args=(connection,), daemon=True).start()

    def handle(self, connection):
        with self.lock:
            self.connections += 1
        try:
            self.behaviour(self, connection)
        except OSError:
            pass  # the client gave up: that is the point
        finally:
            connection.close()
            with self.lock:
                self.connections -= 1

    def send(self, connection, data):
        connection.sendall(data)
        self.sent += len(data)

    def drip(self, connection, data):
        """Send ``data`` a byte every DRIP seconds, then keep dripping spaces."""
        for byte in data:
            if self.stopped.is_set():
                return
            self.send(connection, bytes([byte]))
            time.sleep(DRIP)
        while not self.stopped.is_set():
            self.send(connection, b" ")
            time.sleep(DRIP)

    def stop(self):
        self.stopped.set()
        self.listener.close()


def read_request(connection):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(4096)
        if not chunk:
            return
        data += chunk


@pytest.fixture
def stalling(settings):
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    settings.FETCH_TOTAL_TIMEOUT = BUDGET
    settings.FETCH_READ_TIMEOUT = 1.0
    settings.FETCH_CONNECT_TIMEOUT = 1.0
    servers = []

    def start(behaviour):
        server = StallingServer(behaviour)
        settings.FETCH_ALLOWED_PORTS = [*settings.FETCH_ALLOWED_PORTS, server.port]
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def ends_within_budget(url, match="gave up after"):
    started = time.monotonic()
    with pytest.raises(FetchError, match=match):
        fetch(url)
    elapsed = time.monotonic() - started
    assert elapsed < BUDGET + 0.5, f"took {elapsed:.1f} s"


def test_slow_headers(stalling):
    def behaviour(server, connection):
        read_request(connection)
        server.drip(connection, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: ")

    server = stalling(behaviour)
    ends_within_budget(f"http://127.0.0.1:{server.port}/")


def test_slow_chunk_size(stalling):
    def behaviour(server, connection):
        read_request(connection)
        server.send(connection, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        server.drip(connection, b"0000000000000000000000000")

    server = stalling(behaviour)
    ends_within_budget(f"http://127.0.0.1:{server.port}/")


def test_slow_tls_handshake(stalling):
    def behaviour(server, connection):
        read_request_started = connection.recv(4096)  # the ClientHello
        assert read_request_started
        # A handshake record header promising 16 KB, then its body a byte at a time.
        server.drip(connection, b"\x16\x03\x03\x40\x00" + b"\x02" * 200)

    server = stalling(behaviour)
    ends_within_budget(f"https://127.0.0.1:{server.port}/", match="TLS handshake|gave up")


def test_a_flood_of_informational_responses(stalling):
    def behaviour(server, connection):
        read_request(connection)
        while not server.stopped.is_set():
            server.send(connection, b"HTTP/1.1 100 Continue\r\n\r\n" * 1000)

    server = stalling(behaviour)
    ends_within_budget(f"http://127.0.0.1:{server.port}/", match="informational")
    # The client stopped reading: the flood could not push megabytes through.
    wait_for(lambda: server.connections == 0, timeout=5)
    assert server.sent < 8 * 1024 * 1024


def test_slow_informational_responses(stalling):
    def behaviour(server, connection):
        read_request(connection)
        while not server.stopped.is_set():
            server.send(connection, b"HTTP/1.1 102 Processing\r\n\r\n")
            time.sleep(DRIP)

    server = stalling(behaviour)
    ends_within_budget(f"http://127.0.0.1:{server.port}/")


def test_a_dripping_body(stalling):
    def behaviour(server, connection):
        read_request(connection)
        server.send(connection, b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
        server.drip(connection, b"<p>" + b"x" * 1000)

    server = stalling(behaviour)
    ends_within_budget(f"http://127.0.0.1:{server.port}/")


def replying(data):
    """A behaviour that answers the request with ``data`` and hangs up."""

    def behaviour(server, connection):
        read_request(connection)
        server.send(connection, data)

    return behaviour


@pytest.mark.parametrize(
    ("reply", "match"),
    [
        (b"", "closed the connection before the response ended"),
        (b"HTTP/1.1 200 OK\r\nContent-Le", "closed the connection before the response ended"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this", "closed the connection"),
        (b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "bad HTTP response"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok", "bad HTTP"),
        (b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n", "bad HTTP response"),
        (b"HTTP/1.1 600 Odd\r\nContent-Length: 0\r\n\r\n", "not an HTTP status"),
        (b"SSH-2.0-OpenSSH_9.2\r\n\r\n", "bad HTTP response"),
        (b"HTTP/1.1 200 OK\r\nX-Pad: " + b"a" * 70_000 + b"\r\n\r\n", "headers too long"),
        (b"HTTP/1.1 200 OK\r\nX-Pad: " + b"a" * 200_000 + b"\r\n\r\n", "bad HTTP response"),
        (b"HTTP/1.1 200 OK\r\n" + b"X: y\r\n" * 201 + b"\r\n", "headers too long"),
    ],
)
def test_broken_framing_is_a_clear_error(stalling, reply, match):
    server = stalling(replying(reply))
    ends_within_budget(f"http://127.0.0.1:{server.port}/", match=match)


def test_a_close_delimited_chunked_and_folded_response_reads_whole(stalling):
    for reply, body in [
        (b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end", b"until the end"),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\n\r\n", b"abc"),
        (b"HTTP/1.1 200 OK\nX-Folded: a\n b\nContent-Length: 2\n\nok", b"ok"),
    ]:
        server = stalling(replying(reply))
        result = fetch(f"http://127.0.0.1:{server.port}/")
        assert (result.status, result.body, result.truncated) == (200, body, False)
    assert result.headers["x-folded"] == "a b"
    assert result.head.startswith(b"HTTP/1.1 200 OK\r\nX-Folded: a b\r\n")
