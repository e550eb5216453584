"""Test-wide set-up: the real PostGIS (pytest-django's test database) and
the real Redis that `make test` starts, on a Redis database of their own."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
TEST_REDIS_DB = int(os.environ.get("TEST_REDIS_DB", "14"))


def _test_broker_url():
    from django.conf import settings

    base = settings.CELERY_BROKER_URL
    if base.startswith("redis+socket://"):
        return base.split("?")[0] + f"?virtual_host={TEST_REDIS_DB}"
    return base.rstrip("/").rsplit("/", 1)[0] + f"/{TEST_REDIS_DB}" if base.count("/") > 2 else base


@pytest.fixture(scope="session", autouse=True)
def test_broker(django_db_blocker):
    """Point Celery (and every worker the tests start) at an empty Redis database."""
    from django.conf import settings

    from config.celery import app

    url = _test_broker_url()
    settings.CELERY_BROKER_URL = url
    # With the CELERY_ namespace, the read and write URLs are what connections use.
    app.conf.update(CELERY_BROKER_URL=url, CELERY_BROKER_READ_URL=url, CELERY_BROKER_WRITE_URL=url)
    with app.connection_for_write() as conn:
        conn.default_channel.client.flushdb()
    yield url


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
    """A real `celery worker` process on the test database and test broker.

    Tests that use it must be transactional: the worker only sees committed rows.
    Yields a function that starts the worker (so a test can start it again
    after killing it); every worker started is stopped at the end.
    """
    from django.db import connection

    base_env = dict(os.environ)
    db = connection.settings_dict
    host = db.get("HOST") or ""
    user = db.get("USER") or "postgres"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    if host.startswith("/"):
        base_env["DATABASE_URL"] = f"postgis://{user}@/{db['NAME']}?host={host}"
    else:
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        base_env["DATABASE_URL"] = f"postgis://{user}{password}@{host}{port}/{db['NAME']}"
    base_env["CELERY_BROKER_URL"] = test_broker
    processes = []
    # Messages an earlier test queued but never ran must not reach this test's worker.
    from config.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.client.flushdb()

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
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        try:  # pool children left behind by a worker the test killed
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


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
            import threading

            def drain():
                for rest in proc.stdout:
                    lines.append(rest)

            threading.Thread(target=drain, daemon=True).start()
            proc.output_lines = lines
            return
    raise RuntimeError("celery worker did not start:\n" + "".join(lines[-40:]))


@pytest.fixture(autouse=True)
def reference_states(request):
    """Transactional tests truncate every table, the migrated states included:
    put them back for every test that touches the database."""
    if "_django_db_helper" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("_django_db_helper")
        from tracker.ingest.reference import reference_data_load, reference_data_present

        if not reference_data_present():
            reference_data_load()
