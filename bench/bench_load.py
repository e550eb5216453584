"""Load test: the site under gunicorn with the production settings, driven by wrk.

Creates its own database (bench_load) with synthetic deployments
(``generate_demo_data``), collects static files with the production storage,
starts gunicorn (deploy/gunicorn.conf.py, DEBUG off) on loopback and runs wrk
against each page in TARGETS for BENCH_LOAD_SECONDS (default 60) with 64
connections. Prints requests per second, p50/p99 latency, errors, and each
page's throughput as a ratio to the trivial page. The API throttle is raised
for the run (one client makes every request), so any non-2xx answer is an error.

wrk comes from Debian; the benchmark installs it when missing (as root).
Settings: BENCH_LOAD_DEPLOYMENTS (default 5000), BENCH_LOAD_SECONDS (60),
BENCH_LOAD_CONNECTIONS (64), BENCH_LOAD_WORKERS (gunicorn workers, default
2 x cores + 1). The machine is shared: the load average is printed with the
figures; wrk runs on the same cores as the site.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchlib import admin_connection  # noqa: E402 (bench/ is the script's folder)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# The pages measured: edit freely. "trivial" is the baseline for the ratios: a
# template page with no database query.
TARGETS = {
    "trivial": "/about/",
    "home": "/",
    "api list (filtered)": "/api/v1/deployments/?state=IN-MH&status=in_use&limit=50",
    "map data": "/map/deployments.geojson",
}
DB_NAME = "bench_load"
DEPLOYMENTS = int(os.environ.get("BENCH_LOAD_DEPLOYMENTS", "5000"))
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
CONNECTIONS = int(os.environ.get("BENCH_LOAD_CONNECTIONS", "64"))
WORKERS = int(os.environ.get("BENCH_LOAD_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))


def ensure_wrk():
    if shutil.which("wrk"):
        return "wrk"
    if os.geteuid() != 0:
        sys.exit("bench_load: wrk is missing; install it with: sudo apt-get install wrk")
    print("installing wrk (Debian package)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "wrk"]
    if subprocess.run(install, env=env, stdout=subprocess.DEVNULL).returncode:
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=True)
        subprocess.run(install, env=env, check=True, stdout=subprocess.DEVNULL)
    return "wrk"


def milliseconds(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run_wrk(wrk, url):
    """requests/s, p50 ms, p99 ms, non-2xx/3xx answers and socket errors of one wrk run."""
    result = subprocess.run(
        [
            wrk,
            "--threads",
            "2",
            "--connections",
            str(CONNECTIONS),
            "--duration",
            f"{SECONDS}s",
            "--timeout",
            "60s",  # a slow answer on this shared machine is slow, not an error
            "--latency",
            "--header",
            "X-Forwarded-Proto: https",
            "--header",
            "X-Forwarded-For: 203.0.113.9",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": milliseconds(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
        "p99": milliseconds(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "non_2xx": int(m.group(1))
        if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out))
        else 0,
        "socket_errors": sum(map(int, socket_errors.groups())) if socket_errors else 0,
    }


def main():
    sys.stdout.reconfigure(line_buffering=True)
    wrk = ensure_wrk()
    import django

    django.setup()
    from django.conf import settings

    from tests.support.servers import Gunicorn, database_url, production_env, run_manage

    db = dict(settings.DATABASES["default"])
    with admin_connection(db) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        admin.execute(f"CREATE DATABASE {DB_NAME}")
    static = Path(tempfile.mkdtemp(prefix="bench-static-"))
    env = production_env(
        DATABASE_URL=database_url(db, name=DB_NAME),
        STATIC_ROOT=static,
        API_THROTTLE_ANON="100000000/min",
        API_THROTTLE_USER="100000000/min",
        CONN_MAX_AGE=60,
        LOG_LEVEL="WARNING",
    )
    try:
        print(f"building {DB_NAME}: {DEPLOYMENTS} deployments")
        run_manage("migrate", "--no-input", "-v", "0", env=env)
        run_manage("generate_demo_data", "--deployments", str(DEPLOYMENTS), "--seed", "1", env=env)
        run_manage("collectstatic", "--no-input", "-v", "0", env=env)
        with Gunicorn(env, workers=WORKERS) as site:
            for path in TARGETS.values():  # every page answers before it is measured
                status = site.get(path)[0]
                if status != 200:
                    sys.exit(f"bench_load: {path} answered {status}:\n{site.output()}")
            print(
                f"gunicorn: {WORKERS} workers, DEBUG off; wrk: {CONNECTIONS} connections, "
                f"{SECONDS} s per page; {os.cpu_count()} cores shared with other work"
            )
            results = {}
            for name, path in TARGETS.items():
                results[name] = run_wrk(wrk, site.url + path)
                load = " ".join(f"{x:.1f}" for x in os.getloadavg())
                r = results[name]
                print(
                    f"  {name:<22} {r['rps']:8.1f} req/s  p50 {r['p50']:7.1f} ms  "
                    f"p99 {r['p99']:7.1f} ms  errors {r['non_2xx'] + r['socket_errors']}"
                    f"  (load {load})"
                )
        baseline = results["trivial"]["rps"]
        print("\npage                    req/s    p50 ms    p99 ms  errors  vs trivial")
        for name, r in results.items():
            errors = r["non_2xx"] + r["socket_errors"]
            print(
                f"{name:<22} {r['rps']:7.1f} {r['p50']:9.1f} {r['p99']:9.1f} {errors:7d}"
                f"  {r['rps'] / baseline:9.2f}"
            )
        failed = {n: r for n, r in results.items() if r["non_2xx"] or r["socket_errors"]}
        if failed:
            sys.exit(f"bench_load: errors on {', '.join(failed)}")
    finally:
        shutil.rmtree(static, ignore_errors=True)
        with admin_connection(db) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


if __name__ == "__main__":
    main()
