"""Site benchmark: every public page, API list and sitemap file at 100,000 deployments and
1,000,000 camera points, served by gunicorn with DEBUG off.

On its own database (bench_site, created and dropped here) filled by
``generate_demo_data --deployments N --hotspots M --seed 1`` (COPY for the
hotspots), it prints:

- per URL, the first ("cold": caches empty) and the median and p95 of the
  following requests' time, measured by a client on the loopback interface
  over one keep-alive connection (so, server time plus well under a
  millisecond);
- deep pages: the hotspot list's middle and late pages, by number and through
  the pager's Next/Previous links (seek keys), and API offsets in the middle
  and near the end of a million rows;
- the map's pan and zoom answers for boxes never asked before;
- the site's own map background: place labels per view (bytes and time), the state
  outlines, and place search by prefix in English and Hindi;
- the home page and a state page in Chromium: time and bytes until their maps'
  first markers show;
- wrk (16 connections) against the API list page and a trivial view (/about/), the
  two taking turns, 7 rounds of 3 s each, and the median of the rounds' ratios;
- then, with a second server whose API list cache is off (API_CACHE_SECONDS=0):
  wrk against a filtered API list page that is never cached and /about/ in
  the same run; cold searches (24 words of the generator's vocabulary, each
  asked once after the caches are emptied) on /deployments/?q= and
  /api/v1/hotspots/?q=, their median and 90th percentile; and the whole
  GeoJSON export read to the end by curl against psql streaming
  ST_AsGeoJSON(d.*) over the same published, located rows.

Targets: pages < 150 ms median (the header's search results too), API lists
< 50 ms, sitemap files < 500 ms, first markers < 1.5 s and < 1 MB, pan/zoom
< 100 ms, place labels per view < 100 KB and < 100 ms, place search < 50 ms,
API list >= 40% of the trivial view under wrk. Uncached (the researchers'
issue): the filtered list >= 35% of /about/, cold searches median < 100 ms and
p90 < 250 ms, the export <= 1.5 x psql. BENCH_DEPLOYMENTS / BENCH_HOTSPOTS
change the size; BENCH_REPEAT the requests per URL; BENCH_ONLY=uncached runs
only the uncached part. BENCH_KEEP=1 keeps the database after the run and
reuses it, when present, on the next (loading a million points takes minutes);
BENCH_DATABASE names it (default bench_site). The machine is shared: the load
average is printed with the figures.
"""

import http.client
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchlib import admin_connection, load  # noqa: E402 (bench/ is the script's folder)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

DB_NAME = os.environ.get("BENCH_DATABASE", "bench_site")
DEPLOYMENTS = int(os.environ.get("BENCH_DEPLOYMENTS", "100000"))
HOTSPOTS = int(os.environ.get("BENCH_HOTSPOTS", "1000000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
KEEP = os.environ.get("BENCH_KEEP") == "1"
ONLY = os.environ.get("BENCH_ONLY", "")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def database_url(db):
    user = db.get("USER") or "postgres"
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "", db.get("PORT") or ""
    if host.startswith("/"):
        return f"postgis://{user}{password}@/{DB_NAME}?host={host}"
    return f"postgis://{user}{password}@{host}{':' + str(port) if port else ''}/{DB_NAME}"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One keep-alive HTTP/1.1 connection to the server."""

    def __init__(self, port):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def get(self, path, headers=None):
        start = time.perf_counter()
        self.connection.request("GET", path, headers={"Accept-Encoding": "gzip", **(headers or {})})
        response = self.connection.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - start
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        return response.status, body, elapsed


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def time_urls(client, title, urls, target_ms):
    print(f"\n{title} (target: median < {target_ms} ms)")
    print(f"{'cold ms':>8} {'median':>7} {'p95':>7} {'KB':>7}  url")
    misses = []
    for url in urls:
        status, body, cold = client.get(url)
        if status != 200:
            print(f"  {status} for {url}")
            misses.append(url)
            continue
        times = [client.get(url)[2] for _ in range(REPEAT)]
        median = statistics.median(times)
        mark = "" if median * 1000 < target_ms else "  <-- over target"
        if mark:
            misses.append(url)
        print(
            f"{cold * 1000:8.0f} {median * 1000:7.1f} {p95(times) * 1000:7.1f} "
            f"{len(body) / 1024:7.1f}  {url}{mark}"
        )
    return misses


def loaded_counts(db):
    """(deployments, hotspots) in the kept database, or (0, 0) if it is not there."""
    import psycopg

    with admin_connection(db) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone():
            return (0, 0)
    try:
        with admin_connection(db, DB_NAME) as conn:
            return conn.execute(
                "SELECT (SELECT count(*) FROM tracker_deployment),"
                " (SELECT count(*) FROM tracker_hotspot)"
            ).fetchone()
    except psycopg.Error:  # an earlier run stopped before migrating
        return (0, 0)


def setup_data():
    import django
    from django.conf import settings

    db = settings.DATABASES["default"]
    loaded = KEEP and loaded_counts(db) >= (DEPLOYMENTS, HOTSPOTS)
    if not loaded:
        with admin_connection(db) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
            admin.execute(f"CREATE DATABASE {DB_NAME}")
    db["NAME"] = DB_NAME
    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    if loaded:
        print(f"reusing {DB_NAME} as loaded by an earlier run (BENCH_KEEP=1)")
        cache.clear()
        connection.close()
        return db
    start = time.perf_counter()
    call_command(
        "generate_demo_data", deployments=DEPLOYMENTS, hotspots=HOTSPOTS, seed=1, verbosity=0
    )
    print(
        f"generate_demo_data --deployments {DEPLOYMENTS} --hotspots {HOTSPOTS}: "
        f"{time.perf_counter() - start:.0f} s (load average {load()})"
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    cache.clear()
    connection.close()
    return db


def sample_urls():
    """Detail pages, a search word and the sitemap files of the generated data."""
    from tracker.catalogue.links import detail_url
    from tracker.models import Agency, Deployment, Hotspot, RTIRequest

    details = [
        detail_url(model.objects.published().order_by("pk")[count // 2])
        for model, count in (
            (Deployment, Deployment.objects.count()),
            (Agency, Agency.objects.count()),
            (Hotspot, Hotspot.objects.count()),
            (RTIRequest, RTIRequest.objects.count()),
        )
        if count
    ]
    pages = max(1, Deployment.objects.published().count() // 25)
    return details, pages, Hotspot.objects.published().count()


def pager_link(client, path, rel):
    """The page's Next or Previous link (with its seek key), as the reader would follow it."""
    status, body, _ = client.get(path, {"Accept-Encoding": "identity"})
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', body.decode())
    if status != 200 or not found:
        raise RuntimeError(f"no {rel} link on {path} ({status})")
    return path.split("?")[0] + found.group(1).replace("&amp;", "&")


def server_environment(db):
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": database_url(db),
        "API_THROTTLE_ANON": "100000000/min",
        "API_THROTTLE_USER": "100000000/min",
        "CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
    }


def run_server(port, db, **overrides):
    env = {**server_environment(db), **overrides}
    # With DEBUG off, whitenoise serves hashed files listed in the collected manifest.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi:application",
            "--config",  # production's settings (each worker's warm-up, its logs...)
            str(ROOT / "deploy/gunicorn.conf.py"),
            "--max-requests",  # but no recycling: no figure includes a worker's restart
            "0",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--no-control-socket",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def map_views(rng, count):
    """Boxes the home map would ask for (tile-aligned, as static/js/live_map.js does)."""
    from tracker.ingest.synthetic import STATE_CITIES

    cities = [city for _, (_, places) in STATE_CITIES.items() for city in places]
    views = []
    for _ in range(count):
        _, lon, lat = rng.choice(cities)
        zoom = rng.randint(5, 16)
        step = 360 / 2**zoom
        lon += rng.gauss(0, 0.3 * 2 ** -(zoom - 8))
        lat += rng.gauss(0, 0.3 * 2 ** -(zoom - 8))
        width, height = 1280 / 256 * step, 700 / 256 * step
        box = [
            (lon - width / 2) // step * step,
            (lat - height / 2) // step * step,
            -((-(lon + width / 2)) // step) * step,
            -((-(lat + height / 2)) // step) * step,
        ]
        views.append((zoom, ",".join(f"{v:.6f}" for v in box)))
    return views


def time_basemap(client):
    """The site's own map background: place labels for views never asked before (bytes as
    sent, gzip, and time), the state outlines once, and place search by prefix."""
    import gzip
    import json

    from tracker.catalogue.places import gazetteer

    rng = random.Random(11)
    sizes, raw_sizes, times = [], [], []
    for zoom, box in map_views(rng, 80) + [(z, "67.5,5.6,98.5,37.6") for z in (3, 4, 5)]:
        status, body, elapsed = client.get(f"/map/places.json?bbox={box}&zoom={zoom}")
        assert status == 200, (status, box, zoom)
        raw = gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body
        json.loads(raw)
        sizes.append(len(body))
        raw_sizes.append(len(raw))
        times.append(elapsed)
    print("\nplace labels per view, 83 views never asked before (target: < 100 KB, < 100 ms)")
    print(
        f"  bytes sent (gzip): median {statistics.median(sizes) / 1024:.1f} KB, "
        f"max {max(sizes) / 1024:.1f} KB; uncompressed max {max(raw_sizes) / 1024:.1f} KB"
    )
    print(
        f"  time: median {statistics.median(times) * 1000:.1f} ms, "
        f"p95 {p95(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms"
    )
    status, body, elapsed = client.get("/hi/map/states.geojson")
    print(
        f"  state outlines and names (once per reader, then revalidated): {len(body) / 1024:.1f}"
        f" KB gzip, {elapsed * 1000:.0f} ms"
    )
    # Prefixes of real names, English and Hindi, one to six letters, as a reader types them.
    names = [p.name for p in gazetteer().places[:3000]] + [
        p.names_hi[0] for p in gazetteer().places if p.names_hi
    ]
    queries = []
    for _ in range(200):
        name = rng.choice(names)
        queries.append(name[: rng.randint(1, min(6, len(name)))])
    # The first search in each web worker reads the gazetteer into memory (its "cold").
    cold = [client.get(f"/places/search.json?q={quote(q)}")[2] for q in ("a", "ल", "b", "क")]
    times = []
    for q in queries:
        status, _body, elapsed = client.get(f"/places/search.json?q={quote(q)}")
        assert status == 200, (status, q)
        times.append(elapsed)
    print("place search, 200 prefixes in English and Hindi (target: < 50 ms)")
    print(f"  the first searches, reading the gazetteer: {max(cold) * 1000:.0f} ms at most")
    print(
        f"  time: median {statistics.median(times) * 1000:.1f} ms, "
        f"p95 {p95(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms"
    )


def time_map_moves(client):
    rng = random.Random(7)
    results = {}
    for layer in ("deployments", "hotspots"):
        times = []
        for zoom, box in map_views(rng, 60):
            status, _body, elapsed = client.get(f"/map/{layer}.geojson?bbox={box}&zoom={zoom}")
            assert status == 200, (status, box, zoom)
            times.append(elapsed)
        results[layer] = times
    print("\nmap pan/zoom, 60 views never asked before per layer (target: < 100 ms)")
    for layer, times in results.items():
        print(
            f"  {layer}: median {statistics.median(times) * 1000:.1f} ms, "
            f"p95 {p95(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms"
        )


FIRST_MARKERS = (
    "() => document.querySelectorAll('#map .marker-cluster, #map .deployment-marker').length > 0"
)


# The maps that load what they show (static/js/live_map.js): the home page's and a state page's.
MAP_PAGES = [("home map", "/"), ("state page map (Uttar Pradesh)", "/states/in-up/")]


def time_maps_in_chromium(port, pages=MAP_PAGES, ready=FIRST_MARKERS, viewport=(1280, 900)):
    """Time and bytes until each of ``pages`` ((title, path)) shows ``ready`` (a JavaScript
    test: its first markers), with an empty browser cache and then with it kept."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        for title, path in pages:
            print(f"\n{title} in Chromium (target: first markers < 1.5 s, < 1 MB before them)")
            context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
            for run in ("empty browser cache", "again, cache kept"):
                page = context.new_page()
                start = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}{path}")
                page.wait_for_function(ready, polling=20, timeout=60000)
                elapsed = time.perf_counter() - start
                sizes = page.evaluate(
                    """() => performance.getEntriesByType('navigation')
                        .concat(performance.getEntriesByType('resource'))
                        .map(e => [e.name, e.transferSize])"""
                )
                total = sum(size for _, size in sizes)
                map_requests = [(n, s) for n, s in sizes if "/map/" in n]
                print(
                    f"  {run}: first markers after {elapsed:.2f} s, {total / 1024:.0f} KB "
                    f"transferred in {len(sizes)} requests; map data: "
                    + ", ".join(f"{s / 1024:.1f} KB" for _, s in map_requests)
                )
                page.close()
            context.close()
        browser.close()


# Every request a query not asked before (a random offset): the API's response cache
# always misses, so this is what rendering a list page costs.
FRESH_QUERY_SCRIPT = """
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/api/v1/deployments/?offset=" .. math.random(0, 20000))
end
"""


def wrk(url, script=None, seconds=15):
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", url]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        if script:
            lua.write(script)
            lua.flush()
            command[1:1] = ["-s", lua.name]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return float(match.group(1)), int(non_2xx.group(1)) if non_2xx else 0


ROUNDS = 7  # wrk runs per side, taking turns: 7 x 3 s = 21 s each
ROUND_SECONDS = 3


def wrk_against_about(port, path):
    """wrk on ``path`` and on /about/ taking turns, ROUNDS times ROUND_SECONDS each: the
    machine is shared, and its speed drifts over seconds; side by side, a drift weighs on
    both rates alike, and the median of the rounds' ratios is not moved by one disturbed
    round. Every round is printed. Both are asked for 2 s first, not counted."""
    rates = {path: [], "/about/": []}
    errors = dict.fromkeys(rates, 0)
    for side in rates:  # each worker's first requests of each page are not the steady state
        wrk(f"http://127.0.0.1:{port}{side}", seconds=2)
    for _ in range(ROUNDS):
        for side in rates:
            rate, failed = wrk(f"http://127.0.0.1:{port}{side}", seconds=ROUND_SECONDS)
            rates[side].append(rate)
            errors[side] += failed
    ratios = [a / b for a, b in zip(rates[path], rates["/about/"], strict=True)]
    listed, about = (statistics.median(rates[side]) for side in rates)
    print(f"  {path}: {listed:.0f} requests/s, median of the rounds ({errors[path]} errors)")
    print(f"  /about/: {about:.0f} requests/s ({errors['/about/']} errors)")
    rounds = ", ".join(f"{ratio:.0%}" for ratio in ratios)
    print(f"  ratio: {statistics.median(ratios):.0%}, median of the rounds ({rounds})")
    return about


def time_under_load(port):
    print(
        "\nwrk, 16 connections, 7 rounds of 3 s a side "
        "(target: API list >= 40% of the trivial view)"
    )
    if not shutil.which("wrk"):
        print("  wrk is not installed (scripts/system-packages.sh installs it for make bench)")
        return
    about = wrk_against_about(port, "/api/v1/deployments/")
    fresh, fresh_errors = wrk(f"http://127.0.0.1:{port}", FRESH_QUERY_SCRIPT)
    print(
        f"  /api/v1/deployments/?offset=<random> (never cached): {fresh:.0f} requests/s "
        f"({fresh_errors} errors), {fresh / about:.0%} of the trivial view"
    )


# The generator's vocabulary (tracker/ingest/synthetic.py): cities, vendors, funding, purposes.
COLD_WORDS = [
    "lucknow", "kanpur", "mumbai", "pune", "patna", "kolkata", "chennai", "jaipur",
    "bengaluru", "bhopal", "indore", "nagpur", "staqu", "hikvision", "videonetics", "dahua",
    "nirbhaya", "smart", "budget", "municipal", "attendance", "traffic", "missing", "crowd",
]  # fmt: skip
WARMUP_WORDS = ["warmup", "varanasi", "agra", "nashik", "gaya", "howrah"]  # not in COLD_WORDS
UNCACHED_LIST = "/api/v1/deployments/?state=IN-MH&status=in_use&limit=50"


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_cold_searches(client):
    """Each word once, on the site's list and the API, after every cache is emptied."""
    from django.core.cache import cache

    cache.clear()
    print(
        "\ncold searches: 24 words, each once, caches emptied "
        "(target: median < 100 ms, p90 < 250 ms)"
    )
    for path in ("/deployments/?q=", "/api/v1/hotspots/?q="):
        # Words outside the list first: a worker's first request (its connection, the
        # compiled queries, the states, the templates of a page with results) is not a
        # search's cost. Requests go to any worker, so several per worker, some finding
        # nothing and some finding rows (words not in the list).
        for n in range(4 * WORKERS):
            client.get(f"{path}{WARMUP_WORDS[n % len(WARMUP_WORDS)]}")
        times = []
        for word in COLD_WORDS:
            status, _body, elapsed = client.get(path + word)
            assert status == 200, (status, path, word)
            times.append(elapsed)
        print(
            f"  {path}<word>: median {statistics.median(times) * 1000:.0f} ms, "
            f"p90 {percentile(times, 0.9) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms"
        )
        slowest = sorted(zip(times, COLD_WORDS, strict=True), reverse=True)[:6]
        print("    slowest: " + ", ".join(f"{word} {t * 1000:.0f} ms" for t, word in slowest))


def psql_command(db):
    """psql on the bench database, streaming rows (FETCH_COUNT) as a client reads them."""
    psql = shutil.which("psql") or next(
        iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/psql")))
    )
    command = [str(psql), "-X", "-q", "-A", "-t", "-v", "FETCH_COUNT=2000", "-d", DB_NAME]
    if db.get("HOST"):
        command += ["-h", db["HOST"]]
    if db.get("PORT"):
        command += ["-p", str(db["PORT"])]
    command += ["-U", db.get("USER") or "postgres"]
    env = {**os.environ, **({"PGPASSWORD": db["PASSWORD"]} if db.get("PASSWORD") else {})}
    return command, env


def time_geojson_export(port, db):
    """The whole export read to the end by curl, against psql streaming ST_AsGeoJSON(row)."""
    url = f"http://127.0.0.1:{port}/api/v1/export/deployments.geojson"
    query = (
        "SELECT ST_AsGeoJSON(d.*) FROM tracker_deployment d "
        "WHERE d.publication = 'published' AND d.location IS NOT NULL"
    )
    command, env = psql_command(db)
    curl = shutil.which("curl")

    def export():
        start = time.perf_counter()
        if curl:
            subprocess.run([curl, "-s", "-o", "/dev/null", url], check=True)
        else:
            Client(port).get("/api/v1/export/deployments.geojson")
        return time.perf_counter() - start

    def psql():
        start = time.perf_counter()
        with open(os.devnull, "wb") as sink:
            subprocess.run([*command, "-c", query], stdout=sink, env=env, check=True)
        return time.perf_counter() - start

    export(), psql()  # warm both the same way
    ours = statistics.median(export() for _ in range(3))
    theirs = statistics.median(psql() for _ in range(3))
    print("\nwhole GeoJSON export (target: at most 1.5 x psql streaming ST_AsGeoJSON(d.*))")
    reader = "curl" if curl else "a client"
    print(
        f"  /api/v1/export/deployments.geojson by {reader}: {ours:.2f} s; "
        f"psql: {theirs:.2f} s; ratio {ours / theirs:.2f}"
    )


def time_uncached(db):
    """A second server with the API list cache off: what one-off queries cost."""
    port = free_port()
    server = run_server(port, db, API_CACHE_SECONDS="0")
    try:
        print(f"\nuncached server (API_CACHE_SECONDS=0), load average {load()}")
        client = Client(port)
        time_cold_searches(client)
        if shutil.which("wrk"):
            print(
                "\nwrk, 16 connections, 7 rounds of 3 s a side, list cache off "
                "(target: >= 35% of /about/)"
            )
            wrk_against_about(port, UNCACHED_LIST)
        else:
            print("  wrk is not installed (scripts/system-packages.sh installs it for make bench)")
        time_geojson_export(port, db)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main():
    sys.stdout.reconfigure(line_buffering=True)

    db = setup_data()
    if ONLY == "uncached":
        try:
            time_uncached(db)
        finally:
            drop_unless_kept(db)
        return
    details, last_page, hotspots = sample_urls()
    hotspot_pages = max(1, -(-hotspots // 25))
    from tracker.views.sitemaps import sitemap_index  # noqa: F401  (URLs resolve)

    port = free_port()
    server = run_server(port, db)
    try:
        client = Client(port)
        status, index, _ = client.get("/sitemap.xml", {"Accept-Encoding": "identity"})
        sitemap_files = re.findall(rf"http://127\.0\.0\.1:{port}(/sitemaps/[^<]+)", index.decode())
        word = "lucknow"
        pages = [
            "/",
            "/?state=IN-UP&technology=facial_recognition",
            "/deployments/",
            f"/deployments/?q={word}",
            "/deployments/?q=facial+recognition&state=IN-MH",
            "/deployments/?state=IN-KA&status=in_use",
            f"/deployments/?page={last_page // 2}",
            "/agencies/",
            f"/agencies/?q={word}",
            "/hotspots/",
            f"/hotspots/?q={word}",
            "/hotspots/?state=IN-TS",
            # Deep pages: the middle (the slowest by offset), a late one (read from the
            # end), and the same reached through the pager's Next and Previous links.
            f"/hotspots/?page={hotspot_pages // 2}",
            f"/hotspots/?page={hotspot_pages * 3 // 4}",
            f"/hotspots/?ordering=-camera_count&page={hotspot_pages * 3 // 4}",
            pager_link(client, f"/hotspots/?page={hotspot_pages // 2 - 1}", "next"),
            pager_link(client, f"/hotspots/?page={hotspot_pages // 2 + 1}", "prev"),
            pager_link(
                client, f"/hotspots/?ordering=-camera_count&page={hotspot_pages // 2}", "next"
            ),
            "/rti/",
            f"/rti/?q={word}",
            # The header's search box: four kinds at once, in English and in Devanagari.
            f"/search/?q={word}",
            f"/search/?q={quote('लखनऊ')}",
            f"/search/?q={quote('उत्तर प्रदेश')}",
            "/search/?q=facial+recognition",
            "/states/",
            "/states/in-up/",
            "/stats/",
            "/changes/",
            "/data/",
            "/about/",
            "/feeds/deployments/",
            *details,
        ]
        apis = [
            f"/api/v1/{name}/{query}"
            for name, queries in {
                "deployments": [
                    "",
                    "?state=IN-MH&technology=facial_recognition",
                    f"?q={word}",
                    "?format=geojson&limit=500",
                    f"?format=geojson&limit=500&q={word}",
                ],
                "agencies": ["", "?state=IN-UP", f"?q={word}", "?format=geojson&limit=500"],
                "hotspots": [
                    "",
                    "?state=IN-TS&kind=market",
                    f"?q={word}",
                    "?format=geojson&limit=500",
                    f"?offset={hotspots // 2}",  # the middle: the deepest by either end
                    f"?offset={max(0, hotspots - 100)}",  # near the end: read from it
                    f"?ordering=-updated_at&offset={hotspots * 9 // 10}",
                ],
                "rti-requests": ["", "?status=filed", f"?q={word}"],
                "sources": ["", "?kind=news", f"?q={word}"],
            }.items()
            for query in queries
        ] + ["/api/v1/stats/"]
        print(f"\nload average before measuring: {load()} (2 cores shared with other work)")
        misses = time_urls(client, "public pages", pages, 150)
        misses += time_urls(client, "API lists", apis, 50)
        misses += time_urls(client, "sitemap", ["/sitemap.xml", *sitemap_files], 500)
        time_map_moves(client)
        time_basemap(client)
        time_maps_in_chromium(port)
        time_under_load(port)
        print(f"\nover target: {len(misses)} URL(s); load average at the end: {load()}")
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        time_uncached(db)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        drop_unless_kept(db)


def drop_unless_kept(db):
    from django.conf import settings
    from django.db import connections

    connections.close_all()
    settings.DATABASES["default"]["NAME"] = DB_NAME
    if not KEEP:
        with admin_connection(db) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")


if __name__ == "__main__":
    main()
