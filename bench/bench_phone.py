"""What the home page's first view costs a phone, measured in Chromium with production settings.

Creates its own database (bench_phone) with the demo data plus synthetic deployments
(BENCH_PHONE_DEPLOYMENTS, default 10,000), collects the static files with whitenoise's
compressed manifest storage (hashed names, .gz/.br copies), serves the site with gunicorn
and DEBUG off, and opens the home page in Debian's Chromium as a 390 × 844 touch phone.

Prints every response of the first view with the bytes it put on the wire (headers and
compressed body, from the DevTools protocol) and its Cache-Control, then the total before
any map data (everything except the deployment and hotspot layers, which grow with the
data; the state outline counts) against the budget of 250 KB, the same for the Hindi
home page, and what a second visit transfers. Exits non-zero when a page is over budget
or a hashed static file is not cached for a year as immutable. Drops the database.
"""

import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchlib import database_switch_fresh  # noqa: E402 (bench/ is the script's folder)

os.environ.update(
    DJANGO_SETTINGS_MODULE="config.settings",
    DEBUG="false",
    SECRET_KEY="bench-phone-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz",
    ALLOWED_HOSTS="127.0.0.1",
    SECURE_SSL_REDIRECT="false",
    SECURE_HSTS_SECONDS="0",
    LOG_LEVEL="WARNING",
)
# Playwright's sync API runs an asyncio loop in this thread; our DB calls are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

DB_NAME = "bench_phone"
DEPLOYMENTS = int(os.environ.get("BENCH_PHONE_DEPLOYMENTS", "10000"))
BUDGET = 250 * 1024
ONE_YEAR = 365 * 24 * 3600
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# The layers that grow with the data; everything else is the page's fixed weight.
MAP_DATA_PATHS = ("/map/", "/hi/map/", "/api/")


def setup_database():
    import django

    django.setup()
    from django.core.management import call_command

    database_switch_fresh(DB_NAME)
    quiet = {"verbosity": 0, "stdout": io.StringIO()}
    call_command("migrate", **quiet)
    call_command("load_demo_data", **quiet)
    if DEPLOYMENTS:
        call_command("generate_demo_data", deployments=DEPLOYMENTS, seed=1, **quiet)
    call_command("collectstatic", interactive=False, **quiet)


def drop_database():
    from django.conf import settings
    from django.db import connection, connections

    connections.close_all()
    settings.DATABASES["default"]["NAME"] = "postgres"
    connection.settings_dict["NAME"] = "postgres"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    connections.close_all()


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


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port):
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--no-control-socket",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url()},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("gunicorn did not start:\n" + proc.stderr.read()) from None
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("gunicorn did not start within 30 s")


def first_view(browser, url, context=None):
    """Every response of one visit: url, resource type, bytes on the wire, Cache-Control."""
    own_context = context is None
    if own_context:
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    responses = {}
    cdp.on(
        "Network.responseReceived",
        lambda e: responses.__setitem__(
            e["requestId"],
            {
                "url": e["response"]["url"],
                "type": e["type"],
                "cache": {k.lower(): v for k, v in e["response"]["headers"].items()}.get(
                    "cache-control", ""
                ),
                "encoding": {k.lower(): v for k, v in e["response"]["headers"].items()}.get(
                    "content-encoding", ""
                ),
                "from_cache": e["response"].get("fromDiskCache", False),
                "bytes": 0,
            },
        ),
    )

    def finished(e):
        if e["requestId"] in responses:
            responses[e["requestId"]]["bytes"] = int(e["encodedDataLength"])

    cdp.on("Network.loadingFinished", finished)
    page.goto(url)
    page.wait_for_selector("#map[data-state='ready']", timeout=60000)
    page.wait_for_load_state("networkidle")
    page.close()
    if own_context:
        context.close()
    return list(responses.values())


def is_map_data(row):
    return urlsplit(row["url"]).path.startswith(MAP_DATA_PATHS)


def report(title, rows):
    print(f"\n{title}")
    print(f"  {'bytes':>8}  {'type':<10} {'enc':<5} cache-control / path")
    for row in sorted(rows, key=lambda r: -r["bytes"]):
        path = urlsplit(row["url"]).path
        mark = "  (map data)" if is_map_data(row) else ""
        cache = row["cache"] or "-"
        print(
            f"  {row['bytes']:>8}  {row['type']:<10} {row['encoding'] or '-':<5} "
            f"{path}{mark}\n  {'':>8}  {'':<10} {'':<5} {cache}"
        )
    fixed = sum(r["bytes"] for r in rows if not is_map_data(r))
    layers = sum(r["bytes"] for r in rows if is_map_data(r))
    print(
        f"  before map data: {fixed:,} bytes ({fixed / 1024:.1f} KB, budget 250 KB); "
        f"map data: {layers:,} bytes"
    )
    return fixed


def far_future(rows):
    """Hashed static files (all of /static/ in production) must be a year and immutable."""
    bad = []
    for row in rows:
        if urlsplit(row["url"]).path.startswith("/static/"):
            cache = row["cache"]
            ages = [int(p.split("=")[1]) for p in cache.split(",") if "max-age=" in p]
            if not (ages and ages[0] >= ONE_YEAR and "immutable" in cache):
                bad.append(f"{row['url']}: {cache!r}")
    return bad


def main():
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    setup_database()
    port = free_port()
    server = start_gunicorn(port)
    failures = []
    try:
        base = f"http://127.0.0.1:{port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            print(
                f"bench_phone: home page first view, 390 x 844 touch phone, gunicorn "
                f"(2 workers) with DEBUG off, {DEPLOYMENTS:,} synthetic deployments + demo data"
            )
            for label, path in [("English home page /", "/"), ("Hindi home page /hi/", "/hi/")]:
                rows = first_view(browser, base + path)
                fixed = report(f"{label}: first view", rows)
                if fixed > BUDGET:
                    failures.append(f"{path}: {fixed:,} bytes before map data, over 250 KB")
                failures += far_future(rows)
            context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
            first_view(browser, base + "/", context)
            again = first_view(browser, base + "/", context)
            context.close()
            static_again = sum(
                r["bytes"] for r in again if urlsplit(r["url"]).path.startswith("/static/")
            )
            print(
                f"\nsecond visit to /: {static_again:,} bytes of static files on the wire "
                f"(served from the browser's cache); "
                f"{sum(r['bytes'] for r in again):,} bytes in all"
            )
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=15)
        drop_database()
    print(
        f"\n(the machine is shared with other engineers' work: "
        f"byte counts do not depend on load; took {time.monotonic() - started:.0f} s)"
    )
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
