"""A real local HTTP server for source-checking tests (loopback addresses only)."""

import base64
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    delay: float = 0.0  # seconds before the status line
    stream_bytes: int = 0  # send this many bytes of filler instead of ``body``


class LocalSite:
    """A threaded HTTP server on one loopback address; records every request it receives."""

    def __init__(self, host="127.0.0.1"):
        site = self
        self.routes = {}
        self.requests = []
        self.sent_bytes = 0
        self.in_flight = self.peak_in_flight = 0
        self.lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 (http.server's naming)
                with site.lock:
                    site.requests.append((self.path, dict(self.headers)))
                    site.in_flight += 1
                    site.peak_in_flight = max(site.peak_in_flight, site.in_flight)
                try:
                    self.reply()
                finally:
                    with site.lock:
                        site.in_flight -= 1

            def reply(self):
                route = site.routes.get(self.path.split("?")[0], Reply(status=404))
                reply = route(self) if callable(route) else route
                time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    length = reply.stream_bytes or len(reply.body)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    if reply.status != 304:
                        self.send_header("Content-Length", str(length))
                    self.end_headers()
                    if reply.stream_bytes:
                        chunk = b"x" * 65536
                        for _ in range(reply.stream_bytes // len(chunk)):
                            self.wfile.write(chunk)
                            with site.lock:
                                site.sent_bytes += len(chunk)
                    elif reply.status != 304:
                        self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            def log_message(self, *args):
                pass

        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        server_class = type("Server", (ThreadingHTTPServer,), {"address_family": family})
        server_class.daemon_threads = True
        self.server = server_class((host, 0), Handler)
        self.host = host
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def netloc(self):
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    def url(self, path):
        return f"http://{self.netloc}{path}"

    def paths(self):
        with self.lock:
            return [path for path, _ in self.requests]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def make_site(settings):
    """Starts local sites; each one's port joins FETCH_ALLOWED_PORTS for the test."""
    sites = []

    def make(host="127.0.0.1"):
        site = LocalSite(host)
        sites.append(site)
        settings.FETCH_ALLOWED_PORTS = [*settings.FETCH_ALLOWED_PORTS, site.port]
        return site

    yield make
    for site in sites:
        site.stop()


@pytest.fixture
def site(make_site, settings):
    """A site on 127.0.0.1, which FETCH_ALLOW_HOSTS allows; fast timeouts for tests."""
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    settings.FETCH_CONNECT_TIMEOUT = 2.0
    settings.FETCH_READ_TIMEOUT = 2.0
    return make_site("127.0.0.1")


def html_page(body_text, script="", head=""):
    return (
        "<!doctype html><html><head><title>Story</title>"
        f"<script>{script}</script>{head}</head><body>"
        "<nav><a href='/'>Home</a> <a href='/india'>India</a></nav>"
        f"<article><h1>Cameras</h1><p>{body_text}</p></article>"
        "<footer>© Example News</footer></body></html>"
    ).encode()


def check(source):
    """Claim one source and run its check, as the Celery task would; the SourceCheck row."""
    from tracker.checking import records as sources

    [(source_id, claim)] = sources.sources_claim(ids=[source.pk], due_only=False)
    result = sources.source_check_claimed(source_id=source_id, claim=claim)
    source.refresh_from_db()
    return result


def checks_queue():
    """The broker queue (a Redis list) that source-check tasks are routed to."""
    from django.conf import settings

    return settings.CELERY_TASK_ROUTES["tracker.source_check_group"]["queue"]


def queued_check_groups():
    """The source ids of each check-group task waiting in the real broker's checks queue."""
    from tracker.checking import host_limit as limits

    groups = []
    for raw in limits.redis_client().lrange(checks_queue(), 0, -1):
        message = json.loads(raw)
        if message["headers"]["task"] == "tracker.source_check_group":
            args, _, _ = json.loads(base64.b64decode(message["body"]))
            groups.append([source_id for source_id, _ in args[0]])
    return groups
