"""The suite's own test database, Redis databases and Celery workers, one set per xdist
worker.

Each xdist worker (gw0, gw1, ...) gets a test database of its own, cloned from one
migrated template (``test_panoptic_gw0``...), and two Redis databases of its own on
the Redis that ``make test`` starts: the broker's (Celery's queues, the fetcher's
host limits, the checker's outage state) and the cache's. At start-up they are only
named, never connected to, so a test that needs neither the database nor Redis (the
pure engines) runs with Redis stopped.

- ``TEST_REDIS_DB`` (default 2) is the first database the suite takes: worker n uses
  ``TEST_REDIS_DB + 2n`` as the broker and the next one as the cache. Redis has 16
  databases unless told otherwise; development keeps 0 and 1.
- ``redis_env()``: the same two databases for a process a test starts (a Celery worker,
  gunicorn), so it shares the test's queues and cache.
- ``check`` runs one source check as the Celery task would; ``queued_check_groups``
  reads the check-group tasks waiting in the broker; ``broker_idle`` and
  ``unacknowledged_visible_again`` are what the worker tests poll for instead of sleeping.
- Fixtures: ``django_db_setup`` (the test database, migrated once and cloned for each
  xdist process), ``test_broker`` (the broker database, emptied once per session),
  ``fresh_cache`` (an empty cache; ``tests/conftest.py`` gives one to every test that
  uses the database), ``mail_delivered`` (the mails queued in the block, delivered),
  ``celery_worker_process`` (a real worker on both).
"""

import base64
import contextlib
import fcntl
import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIRST_REDIS_DB = int(os.environ.get("TEST_REDIS_DB", "2"))
REDIS_DATABASES = 16


def worker_index(config):
    """0 for a run without xdist or its first worker (gw0), n for gwn."""
    worker_id = getattr(config, "workerinput", {}).get("workerid", "gw0")
    return int(worker_id.removeprefix("gw"))


def _on_database(url, number):
    """``url`` (a broker URL of any form the settings accept) naming Redis database ``number``."""
    parts = urlsplit(url)
    if parts.scheme in ("redis+socket", "socket", "unix"):
        query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("virtual_host", "db")]
        return f"{parts.scheme}://{parts.path}?{urlencode([*query, ('virtual_host', number)])}"
    return parts._replace(path=f"/{number}").geturl()


class WorkerRedis:
    """The broker and cache URLs of one xdist worker."""

    def __init__(self, index, base_broker_url):
        self.broker_db = FIRST_REDIS_DB + 2 * index
        self.cache_db = self.broker_db + 1
        if self.cache_db >= REDIS_DATABASES:
            raise pytest.UsageError(
                f"xdist worker {index} would need Redis database {self.cache_db}; Redis has "
                f"{REDIS_DATABASES}: run fewer workers (-n) or lower TEST_REDIS_DB"
            )
        self.broker_url = _on_database(base_broker_url, self.broker_db)
        parts = urlsplit(base_broker_url)
        if parts.scheme in ("redis+socket", "socket", "unix"):
            self.cache_url = f"rediscache://{parts.path}?db={self.cache_db}"
        else:
            self.cache_url = parts._replace(path=f"/{self.cache_db}", query="").geturl()

    def caches(self):
        """CACHES for this process, parsed from ``cache_url`` exactly as a started process
        parses its CACHE_URL (config/settings.py), so both read and write the same keys."""
        import environ

        config = environ.Env.cache_url_config(self.cache_url)
        config["BACKEND"] = "config.cache.RedisCache"
        return {"default": config}


_worker_redis = None
_settings_override = None


def redis_use_worker_databases(config):
    """Point this test process's broker and cache at its worker's Redis databases.

    Called once at start-up, before any test; it connects to nothing."""
    global _worker_redis, _settings_override
    from django.conf import settings
    from django.test.utils import override_settings

    from config.celery import app

    _worker_redis = WorkerRedis(worker_index(config), settings.CELERY_BROKER_URL)
    url = _worker_redis.broker_url
    _settings_override = override_settings(CELERY_BROKER_URL=url, CACHES=_worker_redis.caches())
    _settings_override.enable()
    # With the CELERY_ namespace, the read and write URLs are what connections use.
    app.conf.update(CELERY_BROKER_URL=url, CELERY_BROKER_READ_URL=url, CELERY_BROKER_WRITE_URL=url)


def redis_env():
    """Environment variables that put a started process on this worker's broker and cache
    (none outside the suite: a benchmark's processes use the development Redis)."""
    if _worker_redis is None:
        return {}
    return {"CELERY_BROKER_URL": _worker_redis.broker_url, "CACHE_URL": _worker_redis.cache_url}


def broker_flush():
    """Empty this worker's broker database: queued tasks, host limits, outage state."""
    from config.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.client.flushdb()


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


def broker_idle():
    """True when no task waits in any queue and none is delivered but unacknowledged: no
    delivery, late or duplicate, can still come. Two looks apart, since a message is in
    neither place for the moment between a worker's pop and its bookkeeping."""
    from django.conf import settings

    from tracker.checking import host_limit as limits

    client = limits.redis_client()
    queues = {*settings.WORKER_QUEUES, settings.CELERY_TASK_DEFAULT_QUEUE}

    def is_queue(key):  # a queue's list, or one of its priority lists (name + "\x06\x16" + n)
        return key.decode().split("\x06\x16")[0] in queues and client.type(key) == b"list"

    def empty():
        if client.hlen("unacked"):
            return False
        return not any(client.llen(key) for key in client.scan_iter() if is_queue(key))

    if not empty():
        return False
    time.sleep(0.1)
    return empty()


def unacknowledged_visible_again(visibility_timeout):
    """True when every task a killed worker held has passed the broker's visibility
    timeout, so the next worker to start takes it back."""
    from tracker.checking import host_limit as limits

    newest = limits.redis_client().zrange("unacked_index", -1, -1, withscores=True)
    return not newest or newest[0][1] < time.time() - visibility_timeout


_template_build = None


@pytest.hookimpl(optionalhook=True)  # an xdist hook
def pytest_testnodeready(node):
    """In the process that runs a parallel run, once its first xdist process has started:
    migrate the template database, in a thread, while the xdist processes collect the
    tests (seconds each, in which no test can run); the first of them to need the
    database then finds it ready. (Started sooner, the thread would slow the starting of
    the xdist processes, which this process's own code does.)"""
    global _template_build
    config = node.config
    if _template_build is not None or config.option.collectonly:
        return
    from pytest_django.plugin import blocking_manager_key

    shared = config._tmp_path_factory.getbasetemp()  # the workers' basetemp's parent
    blocker = config.stash[blocking_manager_key]
    _template_build = threading.Thread(target=_template_ensure, args=(shared, blocker))
    _template_build.start()


def pytest_sessionfinish(session):
    if _template_build is not None:
        _template_build.join()


def _template_ensure(shared, blocker):
    """The migrated template ``test_panoptic``: the one an earlier run left if nothing it
    is built from has changed (``template_kept``), else made once per run by whichever
    process takes the lock first (the starting process's thread, or an xdist process if
    that one failed: it then fails again, with the error in a test). Its name in the ready
    file."""
    from django.db import connection

    with blocker.unblock(), open(shared / "test-database.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            ready = shared / "test-database.ready"
            if not ready.exists():
                name, mark = connection.creation._get_test_db_name(), template_mark(connection)
                kept = template_kept(connection, name, mark)
                ready.write_text(name if kept else _template_migrate(connection, mark))
            return ready.read_text()
        finally:
            connection.close()  # nobody may be connected to a template while it is copied
            fcntl.flock(lock, fcntl.LOCK_UN)


# What the migrated template holds depends on: the migrations and the models they
# import, the apps' post_migrate receivers (roles, the RTI calendar, the reference data),
# the fixtures those load, the settings and the installed packages.
TEMPLATE_INPUTS = ("tracker", "accounts", "moderation", "config", "fixtures")
TEMPLATE_FILES = ("api/apps.py", "tests/settings.py", "tests/support/data.py", "requirements.lock")


def template_digest(root=ROOT):
    """A digest of every file the migrated template depends on (``TEMPLATE_INPUTS``)."""
    files = [root / name for name in TEMPLATE_FILES]
    for folder in TEMPLATE_INPUTS:
        files += (path for path in (root / folder).rglob("*") if path.is_file())
    digest = hashlib.sha256()
    for path in sorted(p for p in files if "__pycache__" not in p.parts):
        content = path.read_bytes()
        digest.update(f"{path.relative_to(root)}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()[:32]


def template_mark(connection):
    """What the kept template's comment says once it is fully migrated: the digest of its
    inputs and the server's version."""
    with connection._nodb_cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return f"panoptic test template {template_digest()} {cursor.fetchone()[0]}"


def template_kept(connection, name, mark):
    """Whether database ``name`` is a migrated template a run before this one left, with
    nothing it depends on changed since: its comment, written after the last migration,
    is ``mark`` (``template_mark``: the same digest and server)."""
    with connection._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        )
        row = cursor.fetchone()
    return bool(row) and row[0] == mark


def _template_migrate(connection, mark):
    """A new template: created, migrated, then marked with what it was built from (an
    interrupted build has no mark, so the next run builds again)."""
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    connection.close()
    with connection._nodb_cursor() as cursor:
        quoted = connection.ops.quote_name(name)
        cursor.execute(f"COMMENT ON DATABASE {quoted} IS %s", [mark])
    return name


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, tmp_path_factory):
    """The test database: one process migrates it, every xdist process clones it.

    Migrating takes seconds of CPU per database; cloning (CREATE DATABASE ... TEMPLATE)
    a fraction of one. In a parallel run, the starting process migrates ``test_panoptic``
    while the others start (``pytest_testnodeready``); each then clones it to
    ``test_panoptic_gw<n>`` and works there; its clone is dropped at the end. The template
    stays for the next run, which uses it again unless something it was built from has
    changed (``template_digest``): about ten seconds saved. Without xdist: pytest-django's
    usual database (which replaces the kept template)."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    worker = getattr(request.config, "workerinput", {}).get("workerid")
    if worker is None:
        with django_db_blocker.unblock():
            databases = setup_databases(verbosity=0, interactive=False)
        yield
        with django_db_blocker.unblock():
            _disconnect_others(connection)
            teardown_databases(databases, verbosity=0)
        return

    shared = tmp_path_factory.getbasetemp().parent  # the same folder for every process
    connection.settings_dict["NAME"] = _template_ensure(shared, django_db_blocker)
    with django_db_blocker.unblock(), open(shared / "test-database.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            connection.creation.clone_test_db(suffix=worker, verbosity=0, autoclobber=True)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
        connection.settings_dict.update(connection.creation.get_test_db_clone_settings(worker))
        connection.close()
    yield
    with django_db_blocker.unblock():
        _disconnect_others(connection)
        connection.creation.destroy_test_db(verbosity=0)


def _disconnect_others(connection):
    """End every other session on this process's test database, so dropping it cannot fail.

    A live-server thread or a Celery worker started by a test may still hold a connection
    when the session ends; PostgreSQL refuses to drop a database anyone is using."""
    connection.close()
    with connection._nodb_cursor() as cursor:
        _end_sessions(cursor, connection.settings_dict["NAME"])


def _end_sessions(cursor, name):
    cursor.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE datname = %s AND pid <> pg_backend_pid()",
        [name],
    )


def others_disconnected():
    """After a test's server or worker has stopped: its sessions on the test database are
    ended (a stopped process's may linger a moment), so flushing or dropping can go on."""
    from django.db import connection

    with connection.cursor() as cursor:
        _end_sessions(cursor, connection.settings_dict["NAME"])
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] == 0


@pytest.fixture(scope="session")
def test_broker():
    """This worker's broker database, emptied once per session; its URL."""
    broker_flush()
    return _worker_redis.broker_url


@pytest.fixture
def fresh_cache():
    """An empty cache: cached figures are keyed by a data version that rolled-back test
    data never bumps, and throttle counters must start from zero."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def mail_delivered(test_broker, django_capture_on_commit_callbacks):
    """Delivers, in the test process, the mails the code under test queued.

    ``with mail_delivered() as outbox:`` runs the on-commit callbacks of the
    block (mails are queued on commit; a ``db`` test never commits), then takes
    each ``tracker.mail_send`` message off the real ``default`` queue in Redis
    and runs the task with its JSON arguments, so each mail lands in
    ``outbox`` (``django.core.mail.outbox``). The queue starts empty.
    """
    from django.core import mail

    from config.celery import app
    from tracker.mail import MAIL_TASK
    from tracker.tasks import mail_send

    with app.connection_for_write() as conn:
        conn.SimpleQueue("default").clear()

    def deliver_queued():
        with app.connection_for_read() as conn:
            queue = conn.SimpleQueue("default")
            while True:
                try:
                    message = queue.get_nowait()
                except queue.Empty:
                    return
                task = message.headers["task"]
                assert task == MAIL_TASK, f"{task} was queued where only mail was expected"
                args, kwargs, _ = message.decode()
                mail_send(*args, **kwargs)
                message.ack()

    @contextlib.contextmanager
    def delivered():
        with django_capture_on_commit_callbacks(execute=True):
            yield mail.outbox
        deliver_queued()

    return delivered


@pytest.fixture
def celery_worker_process(transactional_db, test_broker):
    """A real `celery worker` process on the test database and this worker's Redis.

    Tests that use it must be transactional: the worker only sees committed rows.
    Yields a function that starts the worker (so a test can start it again
    after killing it); every worker started is killed at the end.
    """
    from django.db import connection

    from tests.support.servers import database_url

    base_env = {**os.environ, "DATABASE_URL": database_url(connection.settings_dict)}
    base_env.update(redis_env())
    processes = []
    broker_flush()  # messages an earlier test queued but never ran are not this test's

    def start(*extra_args, concurrency=1, env=None):
        """Start a worker; ``env`` adds environment variables (the worker does not see
        the test's ``settings`` overrides). It leads its own process group, so a test
        can kill it with its pool children: ``os.killpg(proc.pid, signal.SIGKILL)``.
        It consumes every queue unless ``extra_args`` name some (``--queues=...``)."""
        from django.conf import settings

        named = any(a.startswith(("-Q", "--queues")) for a in extra_args)
        queues = [] if named else [f"--queues={','.join(settings.WORKER_QUEUES)}"]
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--loglevel=INFO",
                f"--concurrency={concurrency}",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                f"--hostname=test{len(processes)}@%h",
                *queues,
                *extra_args,
            ],
            cwd=ROOT,
            env={**base_env, **(env or {})},
            start_new_session=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        processes.append(proc)
        _wait_until_ready(proc)
        return proc

    yield start
    if os.environ.get("SHOW_WORKER_OUTPUT"):
        for proc in processes:
            print("".join(getattr(proc, "output_lines", [])))
    for proc in processes:
        # The test has asserted what it needed: no warm shutdown to wait for. The whole
        # group goes, pool children included; PostgreSQL rolls back what they left open.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        proc.wait(timeout=15)


def _wait_until_ready(proc, timeout=60):
    deadline = time.monotonic() + timeout
    lines = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            if proc.poll() is not None:
                break
            continue
        lines.append(line)
        if "ready." in line:
            # Keep draining output so the worker never blocks on a full pipe.
            def drain():
                for rest in proc.stdout:
                    lines.append(rest)

            threading.Thread(target=drain, daemon=True).start()
            proc.output_lines = lines
            return
    raise RuntimeError("celery worker did not start:\n" + "".join(lines[-40:]))
