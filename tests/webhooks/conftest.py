"""A real webhook receiver on 127.0.0.1 that the tests start, and the people who own hooks."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class Receiver:
    """Answers each POST as the next behaviour in ``plan`` says (then as ``default``):
    "accept" (204), "fail" (500), "hang" (no answer until stopped), "huge" (a 200 that
    announces 5 GB and streams filler while the client reads). Records every request."""

    def __init__(self):
        receiver = self
        self.plan, self.default = [], "accept"
        self.requests = []  # (headers, body)
        self.sent_bytes = 0
        self.stopped = threading.Event()
        self.lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.requests.append((dict(self.headers), body))
                    behaviour = receiver.plan.pop(0) if receiver.plan else receiver.default
                try:
                    getattr(receiver, behaviour)(self)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def accept(self, handler):
        handler.send_response(204)
        handler.end_headers()

    def fail(self, handler):
        body = b"receiver is broken"
        handler.send_response(500)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def hang(self, handler):
        self.stopped.wait(30)  # bounded: the test stops it, or 30 s pass
        handler.close_connection = True

    def huge(self, handler):
        handler.send_response(200)
        handler.send_header("Content-Length", str(5 * 1024**3))
        handler.end_headers()
        chunk = b"x" * 65536
        deadline = time.monotonic() + 30
        while not self.stopped.is_set() and time.monotonic() < deadline:
            handler.wfile.write(chunk)
            with self.lock:
                self.sent_bytes += len(chunk)

    def bodies(self):
        with self.lock:
            return [json.loads(body) for _, body in self.requests]

    def stop(self):
        self.stopped.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    """The receiver, allowed to the guarded fetcher for this test, with short timeouts."""
    found = Receiver()
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    settings.FETCH_ALLOWED_PORTS = [*settings.FETCH_ALLOWED_PORTS, found.port]
    settings.WEBHOOK_TIMEOUT = 1.5
    yield found
    found.stop()
