"""Real servers the tests start, all on loopback (also used by the load benchmark).

- ``LocalSite`` and its fixtures ``make_site`` / ``site``: a threaded HTTP server
  whose routes answer ``Reply``s (status, body, headers, delay, a byte stream), for
  the fetcher and the source checker; ``html_page`` is a news story to serve.
- ``production_env``: the environment of a production deployment (no
  development switch, DEBUG off, a random SECRET_KEY, one trusted proxy), on the
  test worker's Redis databases.
- ``Gunicorn``: the site under gunicorn with deploy/gunicorn.conf.py.
- ``TempRedis`` / ``TempPostgres``: throw-away servers under a temporary
  folder, so a test can stop and restart them without touching the suite's own.
- ``SmtpServer``: a mail server (aiosmtpd) that refuses connections, hangs
  without a greeting, refuses recipients or accepts, as the test says.
"""

import asyncio
import email
import email.policy
import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from aiosmtpd.smtp import SMTP

from tests.support.services import redis_env

ROOT = Path(__file__).resolve().parents[2]
IS_ROOT = os.geteuid() == 0


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
        # in_flight: requests whose handler still runs. peak_in_flight: the most requests
        # answered at once, counted from receipt until the response's head is sent, so a
        # client that has read a whole response never overlaps its handler's last steps.
        self.in_flight = self.answering = self.peak_in_flight = 0
        self.lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 (http.server's naming)
                with site.lock:
                    site.requests.append((self.path, dict(self.headers)))
                    site.in_flight += 1
                    site.answering += 1
                    site.peak_in_flight = max(site.peak_in_flight, site.answering)
                self.answered = False
                try:
                    self.reply()
                finally:
                    with site.lock:
                        site.in_flight -= 1
                    self.head_sent()

            def head_sent(self):
                if not self.answered:
                    self.answered = True
                    with site.lock:
                        site.answering -= 1

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
                    self.wfile.flush()
                    self.head_sent()
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


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(settings_dict, name=None):
    """A DATABASE_URL for the database Django is connected to (or another on that server)."""
    host = settings_dict.get("HOST") or ""
    user = settings_dict.get("USER") or "postgres"
    name = name or settings_dict["NAME"]
    if host.startswith("/"):
        return f"postgis://{user}@/{name}?host={host}"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgis://{user}{password}@{host}{port}/{name}"


def production_env(**overrides):
    """The environment of a production machine behind one reverse proxy."""
    env = {
        key: value
        for key, value in os.environ.items()
        # (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright; never in production)
        if key
        not in ("PANOPTIC_DEV", "DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(redis_env())
    env.update(
        PANOPTIC_DEV="0",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        API_NUM_PROXIES="1",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
    )
    env.update({key: str(value) for key, value in overrides.items()})
    return env


def run_manage(*args, env, check=True):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=check,
    )


def stop_process_group(proc, timeout=30):
    """SIGTERM to a process started with ``start_new_session`` and its children; SIGKILL
    after ``timeout`` seconds."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


class Gunicorn:
    """``gunicorn -c deploy/gunicorn.conf.py`` on a free loopback port (one worker unless a
    test needs more: each starts Django anew)."""

    def __init__(self, env, workers=1, threads=1):
        self.port = free_port()
        self.env = env
        self.args = [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "deploy/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--no-control-socket",
        ]
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile(mode="w+")

    def __enter__(self):
        self.proc = subprocess.Popen(
            self.args,
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("gunicorn exited:\n" + self.output())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not listen:\n" + self.output())

    def __exit__(self, *exc):
        stop_process_group(self.proc)

    def output(self):
        self.log.seek(0)
        return self.log.read()[-5000:]

    def get(self, path, headers=None, timeout=30):
        """(status, headers, body) of a GET through the "proxy": HTTPS as far as Django knows.

        Redirects are returned, not followed.
        """
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(
                "GET",
                path,
                headers={
                    "X-Forwarded-Proto": "https",
                    "X-Forwarded-For": "203.0.113.7",
                    **(headers or {}),
                },
            )
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()


class TempRedis:
    """A Redis on a Unix socket in a temporary folder; ``stop()``/``start()`` at will."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="panoptic-redis-"))
        self.socket = self.dir / "redis.sock"
        self.url = f"redis+socket://{self.socket}"

    def start(self):
        subprocess.run(
            [
                "redis-server",
                "--port",
                "0",
                "--unixsocket",
                str(self.socket),
                "--unixsocketperm",
                "700",
                "--daemonize",
                "yes",
                "--dir",
                str(self.dir),
                "--pidfile",
                str(self.dir / "redis.pid"),
                "--logfile",
                str(self.dir / "redis.log"),
                # Like a production Redis: what is queued survives a restart.
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
            ],
            check=True,
        )
        for _ in range(100):
            if self.ping():
                return self
            time.sleep(0.05)
        raise RuntimeError("temporary Redis did not start")

    def ping(self):
        result = subprocess.run(
            ["redis-cli", "-s", str(self.socket), "ping"], capture_output=True, text=True
        )
        return result.stdout.strip() == "PONG"

    def stop(self):
        subprocess.run(
            ["redis-cli", "-s", str(self.socket), "shutdown", "save"], capture_output=True
        )
        for _ in range(100):
            if not self.socket.exists():
                return
            time.sleep(0.05)

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def _pg_bin():
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    return versions[-1]


class TempPostgres:
    """A PostgreSQL/PostGIS cluster in a temporary folder, on a Unix socket."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="panoptic-pg-", dir="/var/tmp"))
        self.data = self.dir / "data"
        self.bin = _pg_bin()
        if IS_ROOT:
            shutil.chown(self.dir, "postgres", "postgres")
        os.chmod(self.dir, 0o700)

    def _as_owner(self, *args, **kwargs):
        command = ["runuser", "-u", "postgres", "--", *args] if IS_ROOT else list(args)
        return subprocess.run(command, cwd="/", capture_output=True, text=True, **kwargs)

    def init(self):
        result = self._as_owner(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        if result.returncode:
            raise RuntimeError(result.stdout + result.stderr)
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(
                f"listen_addresses = ''\nunix_socket_directories = '{self.dir}'\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
            )
        return self

    def start(self):
        result = self._as_owner(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.dir / "log"),
            "-w",
            "-t",
            "60",
            "start",
        )
        if result.returncode:
            raise RuntimeError(result.stdout + result.stderr)
        return self

    def stop(self, mode="fast"):
        self._as_owner(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def psql(self, sql, database="postgres"):
        result = subprocess.run(
            [
                str(self.bin / "psql"),
                "-h",
                str(self.dir),
                "-U",
                "postgres",
                "-d",
                database,
                "-v",
                "ON_ERROR_STOP=1",
                "-qAtc",
                sql,
            ],
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise RuntimeError(result.stderr)
        return result.stdout.strip()

    def url(self, database):
        return f"postgis://postgres@/{database}?host={self.dir}"

    def cleanup(self):
        self.stop(mode="immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


class SmtpServer:
    """A real SMTP server on a loopback port, which starts by refusing connections.

    The port is bound but not listening, so connecting is refused until
    ``listen()``. Then, while ``hanging`` is true, a connection is accepted and
    never greeted (``hung`` counts them, ``hung_closed`` those the client gave
    up on); otherwise aiosmtpd answers, and refuses each recipient with
    ``rcpt_answer`` if set (e.g. ``"550 no such user"``). ``messages`` holds what
    was accepted, as ``email.message.EmailMessage`` objects.
    """

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.hanging = False
        self.rcpt_answer = None
        self.hung = self.hung_closed = 0
        self.messages = []
        self._loop = None
        self._held = []

    def listen(self, *, hanging=False):
        self.hanging = hanging
        self.sock.listen()
        self.sock.setblocking(False)
        self._loop = asyncio.new_event_loop()
        ready = threading.Event()

        def serve():
            asyncio.set_event_loop(self._loop)
            self._loop.run_until_complete(self._loop.create_server(self._protocol, sock=self.sock))
            ready.set()
            self._loop.run_forever()

        threading.Thread(target=serve, daemon=True).start()
        assert ready.wait(10), "the SMTP server did not start"

    def _protocol(self):
        if self.hanging:
            self.hung += 1
            return _Silent(self)
        return SMTP(_Mailbox(self), hostname="mail.test", loop=self._loop)

    def close(self):
        if self._loop is not None:
            for transport in self._held:
                self._loop.call_soon_threadsafe(transport.abort)
            self._loop.call_soon_threadsafe(self._loop.stop)
        self.sock.close()


class _Silent(asyncio.Protocol):
    """Accepts a connection and never says a word."""

    def __init__(self, server):
        self.server = server

    def connection_made(self, transport):
        self.server._held.append(transport)

    def connection_lost(self, exc):
        self.server.hung_closed += 1


class _Mailbox:
    def __init__(self, server):
        self.server = server

    async def handle_RCPT(self, smtp, session, envelope, address, rcpt_options):
        if self.server.rcpt_answer:
            return self.server.rcpt_answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.server.messages.append(message)
        return "250 Message accepted for delivery"
