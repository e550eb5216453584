"""Source checking throughput against the per-host limit.

2,000 sources over 50 loopback hosts (127.0.0.2 to 127.0.0.51), each host
served by this benchmark's own server that answers after 100 ms; per-host
limit 2. The ideal wall time is 2,000 × 0.1 s / (50 × 2) = 2 s. Prints the
wall time of ``check_sources --all`` (target: at most 1.3 × the ideal) and of
one sweep through two prefork Celery workers (target: 1.5 ×), the CPU each
check cost (the command's process; every process of the workers, pool
children included: target 1.5 ms), and the peak number of requests in
flight per host as the servers saw it (must never exceed the limit). Uses its
own database (bench_sources) and Redis database.
"""

import asyncio
import multiprocessing
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchlib import database_switch_fresh  # noqa: E402 (bench/ is the script's folder)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

SOURCES = int(os.environ.get("BENCH_SOURCES", "2000"))
HOSTS = [f"127.0.0.{n}" for n in range(2, 52)]
PER_HOST = 2
DELAY = 0.1
IDEAL = SOURCES * DELAY / (len(HOSTS) * PER_HOST)
DB_NAME = "bench_sources"
REDIS_DB = int(os.environ.get("BENCH_SOURCES_REDIS_DB", "9"))
WORKERS = 2
# Prefork children per worker: the sweep sends its 2,000 sources as 4 groups of 500.
CONCURRENCY = int(os.environ.get("BENCH_SOURCES_CONCURRENCY", "2"))
POOL = os.environ.get("BENCH_SOURCES_POOL", "prefork")

os.environ["FETCH_ALLOW_HOSTS"] = ",".join(HOSTS)
# The archive of the benchmark's pages goes to a directory of its own, removed at the end.
ARCHIVE_DIR = tempfile.mkdtemp(prefix="bench-sources-archive-")
os.environ["ARCHIVE_ROOT"] = ARCHIVE_DIR
os.environ["FETCH_PER_HOST"] = str(PER_HOST)


# ---------------------------------------------------------------- the servers (own process)


def serve(port, control):
    """50 HTTP servers answering after DELAY; reports per-host peak concurrency on request.

    One asyncio loop serves them all, so the harness itself costs little CPU and
    the figures measure the checker, not a thread per test request.
    """
    lock = threading.Lock()
    in_flight = dict.fromkeys(HOSTS, 0)
    peak = dict.fromkeys(HOSTS, 0)
    served = [0]

    async def answer(reader, writer):
        host = writer.get_extra_info("sockname")[0]
        try:
            request = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            writer.close()
            return
        path = request.split(b" ", 2)[1].decode("latin-1")
        with lock:
            in_flight[host] += 1
            peak[host] = max(peak[host], in_flight[host])
        await asyncio.sleep(DELAY)
        body = f"<html><body><article><p>Story {path}</p></article></body></html>".encode()
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode()
        # Counted out before the answer goes: the client cannot start its next request
        # (and take the freed slot) before this one is counted out.
        with lock:
            in_flight[host] -= 1
            served[0] += 1
        writer.write(head + body)
        try:
            await writer.drain()
        except ConnectionError:
            pass
        writer.close()

    async def main():
        for host in HOSTS:
            await asyncio.start_server(answer, host, port, backlog=256)
        await asyncio.Event().wait()

    threading.Thread(target=lambda: asyncio.run(main()), daemon=True).start()
    time.sleep(0.5)  # let every server bind
    control.send("ready")
    while True:
        command = control.recv()
        with lock:
            if command == "stats":
                control.send((max(peak.values()), served[0]))
            elif command == "reset":
                for host in HOSTS:
                    peak[host] = 0
                served[0] = 0
                control.send("ok")
            else:
                return


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.2", 0))
        return probe.getsockname()[1]


# ---------------------------------------------------------------- set-up


def setup_database():
    import django
    from django.conf import settings

    django.setup()

    database_switch_fresh(DB_NAME)

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    base = settings.CELERY_BROKER_URL
    if base.startswith("redis+socket://"):
        broker = base.split("?")[0] + f"?virtual_host={REDIS_DB}"
    else:
        broker = base.rstrip("/").rsplit("/", 1)[0] + f"/{REDIS_DB}"
    settings.CELERY_BROKER_URL = broker
    from config.celery import app

    # Celery prefers the CELERY_BROKER_URL environment variable: set the read and write URLs.
    app.conf.update(
        CELERY_BROKER_URL=broker, CELERY_BROKER_READ_URL=broker, CELERY_BROKER_WRITE_URL=broker
    )
    from tracker.checking import host_limit as limits

    limits.redis_client().flushdb()
    return broker


def database_url():
    from django.db import connection

    db = connection.settings_dict
    host = db.get("HOST") or ""
    user = db.get("USER") or "postgres"
    if host.startswith("/"):
        return f"postgis://{user}@/{DB_NAME}?host={host}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgis://{user}{password}@{host}{port}/{DB_NAME}"


def create_sources(port):
    from tracker.models import Source

    Source.objects.bulk_create(
        Source(url=f"http://{HOSTS[n % len(HOSTS)]}:{port}/story-{n}", title=f"Story {n}")
        for n in range(SOURCES)
    )


def reset_sources():
    from tracker.models import Source

    Source.objects.update(next_check_at=None, check_claimed_at=None, last_checked_at=None)


def start_worker(index, broker):
    from django.conf import settings

    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker,
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "INFO",
        # Workers run as in production: DEBUG on would log every SQL query in memory.
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
    }
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "config", "worker", f"--pool={POOL}",
            f"--concurrency={CONCURRENCY}", "--loglevel=INFO", "--without-gossip",
            "--without-mingle", "--without-heartbeat", f"--hostname=bench{index}@%h",
            f"--queues={','.join(settings.WORKER_QUEUES)}",
        ],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if "ready." in line:
            proc.lines = []
            threading.Thread(target=lambda: proc.lines.extend(proc.stdout), daemon=True).start()
            return proc
        if not line and proc.poll() is not None:
            break
    raise RuntimeError("celery worker did not start")


def stop_worker(proc):
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


# ---------------------------------------------------------------- the runs


def run_command():
    from django.core.management import call_command

    out = StringIO()
    cpu_before = own_cpu_seconds()
    started = time.monotonic()
    call_command("check_sources", "--all", stdout=out, stderr=StringIO())
    return time.monotonic() - started, own_cpu_seconds() - cpu_before, out.getvalue()


def session_cpu_seconds(session):
    """User + system CPU time of every process in a session (a worker and its pool
    children, which it leads), reaped children included (Linux /proc)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session:  # the session id
            total += sum(int(value) for value in fields[11:15])
    return total / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def machine_busy_seconds():
    """CPU time all processes on the machine have spent busy so far (Linux /proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def run_sweep(broker):
    from tracker.models import Source
    from tracker.tasks import source_check_sweep

    workers = [start_worker(i, broker) for i in range(WORKERS)]
    try:
        cpu_before = sum(session_cpu_seconds(proc.pid) for proc in workers)
        busy_before = machine_busy_seconds()
        started = time.monotonic()
        source_check_sweep.delay()
        deadline = started + float(os.environ.get("BENCH_SWEEP_TIMEOUT", "120"))
        while Source.objects.filter(last_checked_at__isnull=True).exists():
            if time.monotonic() > deadline:
                from tracker.checking import host_limit as limits

                tail = "".join(line for proc in workers for line in proc.lines[-20:])
                tail += f"claimed: {Source.objects.filter(check_claimed_at__isnull=False).count()}"
                tail += f", queued: {limits.redis_client().llen('celery')}"
                raise RuntimeError(f"the sweep did not finish in time:\n{tail}")
            time.sleep(0.02)
        wall = time.monotonic() - started
        worker_cpu = sum(session_cpu_seconds(proc.pid) for proc in workers) - cpu_before
        return wall, worker_cpu, machine_busy_seconds() - busy_before
    finally:
        for proc in workers:
            stop_worker(proc)


def main():
    port = free_port()
    os.environ["FETCH_ALLOWED_PORTS"] = str(port)
    parent, child = multiprocessing.Pipe()
    servers = multiprocessing.get_context("fork").Process(target=serve, args=(port, child))
    servers.start()
    parent.recv()
    broker = setup_database()
    try:
        create_sources(port)
        print(f"sources: {SOURCES} over {len(HOSTS)} hosts, {DELAY * 1000:.0f} ms per answer, "
              f"per-host limit {PER_HOST}; ideal {IDEAL:.2f} s")  # fmt: skip

        load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        wall, command_cpu, summary = run_command()
        parent.send("stats")
        peak, served = parent.recv()
        print(f"check_sources --all: {wall:.2f} s = {wall / IDEAL:.2f} × ideal "
              f"(target ≤ 1.3); peak in flight per host {peak} (limit {PER_HOST}); "
              f"{served} requests")  # fmt: skip
        print(f"  command CPU {command_cpu:.1f} s = {command_cpu / SOURCES * 1000:.2f} ms per "
              f"check; load average before the run {load_before}")  # fmt: skip
        print("  " + " | ".join(line.strip() for line in summary.splitlines()[1:]))
        reset_sources()
        parent.send("reset")
        parent.recv()
        wall, command_cpu, _ = run_command()
        print(f"  again, every page already archived: {wall:.2f} s = {wall / IDEAL:.2f} × ideal; "
              f"{command_cpu / SOURCES * 1000:.2f} ms CPU per check")  # fmt: skip

        reset_sources()
        load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        parent.send("reset")
        parent.recv()
        wall, worker_cpu, machine_cpu = run_sweep(broker)
        parent.send("stats")
        peak_sweep, served = parent.recv()
        print(f"sweep, {WORKERS} Celery workers × {CONCURRENCY} ({POOL}): {wall:.2f} s = "
              f"{wall / IDEAL:.2f} × ideal (target ≤ 1.5); peak in flight per host "
              f"{peak_sweep} (limit {PER_HOST}); {served} requests")  # fmt: skip
        print(f"  worker CPU {worker_cpu:.1f} s = {worker_cpu / SOURCES * 1000:.2f} ms per check "
              f"(target ≤ 1.5); "
              f"{os.cpu_count()} CPUs, load average before the run {load_before}")  # fmt: skip
        print(f"  whole machine busy {machine_cpu:.1f} s of {wall * os.cpu_count():.1f} s "
              f"available (workers, test servers, Redis, PostgreSQL)")  # fmt: skip
        if max(peak, peak_sweep) > PER_HOST:
            print("FAIL: the per-host limit was exceeded")
            return 1
        return 0
    finally:
        parent.send("stop")
        servers.join(timeout=5)
        from django.db import connection, connections

        connections.close_all()
        connection.settings_dict["NAME"] = "postgres"
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        connections.close_all()
        shutil.rmtree(ARCHIVE_DIR, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
