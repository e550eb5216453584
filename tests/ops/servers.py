"""Real servers for the operations tests and the load benchmark, all on loopback.

- ``production_env``: the environment of a production deployment (no
  development switch, DEBUG off, a random SECRET_KEY, one trusted proxy).
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
from pathlib import Path

from aiosmtpd.smtp import SMTP

ROOT = Path(__file__).resolve().parents[2]
IS_ROOT = os.geteuid() == 0


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
    """``gunicorn -c deploy/gunicorn.conf.py`` on a free loopback port."""

    def __init__(self, env, workers=2, threads=1):
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
