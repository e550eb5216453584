"""How long the home page takes to show 10,000 published deployments on the map.

Creates its own database (bench_map) with 10,000 published deployments spread
over India, serves the site from a local live server, opens the home page in
Debian's Chromium and times, for a few runs:

- the GeoJSON layer built by PostGIS (server side, one query),
- the page from navigation until every deployment is drawn as a marker or
  counted in a cluster.

Prints the figures; drops the database at the end.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Playwright's sync API runs an asyncio loop in this thread; our DB calls are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.gis.geos import Point  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.testcases import LiveServerThread, _StaticFilesHandler  # noqa: E402

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, COUNT_ON_MAP  # noqa: E402

DEPLOYMENTS = int(os.environ.get("BENCH_MAP_DEPLOYMENTS", "10000"))
RUNS = int(os.environ.get("BENCH_MAP_RUNS", "3"))
DB_NAME = "bench_map"


def create_database():
    settings.DATABASES["default"]["TEST"] = {
        "NAME": DB_NAME,
        "CHARSET": None,
        "COLLATION": None,
        "TEMPLATE": None,
        "MIGRATE": True,
    }
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)


def load_deployments(n):
    from tracker.models import Agency, Deployment, DeploymentStatus, Publication, State, Technology

    rng = random.Random(42)
    states = list(State.objects.values_list("code", flat=True))
    agencies = Agency.objects.bulk_create(
        [
            Agency(
                name=f"Bench agency {i}",
                slug=f"bench-agency-{i}",
                state_id=rng.choice(states),
                publication=Publication.PUBLISHED,
            )
            for i in range(200)
        ]
    )
    technologies, statuses = Technology.values, DeploymentStatus.values
    batch = []
    for i in range(n):
        batch.append(
            Deployment(
                title=f"Bench deployment {i}",
                slug=f"bench-deployment-{i}",
                lead_agency=rng.choice(agencies),
                technology=rng.choice(technologies),
                purpose_class="surveillance",
                status=rng.choice(statuses),
                state_id=rng.choice(states),
                city="Bench city",
                location=Point(rng.uniform(69, 92), rng.uniform(9, 33), srid=4326),
                publication=Publication.PUBLISHED,
            )
        )
    Deployment.objects.bulk_create(batch, batch_size=2000)


def time_geojson():
    from tracker.catalogue.selectors.map import deployment_map_properties
    from tracker.models import Deployment
    from tracker.sql.geojson import feature_collection

    timings, size = [], 0
    for _ in range(RUNS):
        start = time.perf_counter()
        body = feature_collection(Deployment.objects.published(), deployment_map_properties())
        timings.append(time.perf_counter() - start)
        size = len(body)
    return statistics.median(timings), size


def time_page(url):
    from playwright.sync_api import sync_playwright

    timings = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(RUNS):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.set_default_timeout(120_000)
            start = time.perf_counter()
            page.goto(url)
            page.wait_for_selector("#map[data-state='ready']")
            page.wait_for_function(f"() => ({COUNT_ON_MAP})() === {DEPLOYMENTS}", polling=50)
            timings.append(time.perf_counter() - start)
            context.close()
        browser.close()
    return timings


def main():
    old_name = settings.DATABASES["default"]["NAME"]
    create_database()
    server = None
    try:
        started = time.perf_counter()
        load_deployments(DEPLOYMENTS)
        loaded = time.perf_counter() - started
        print(f"loaded {DEPLOYMENTS} published deployments in {loaded:.1f} s")
        sql_seconds, size = time_geojson()
        print(
            f"GeoJSON layer built by PostGIS: {sql_seconds * 1000:.0f} ms (median of {RUNS}), "
            f"{size / 1e6:.1f} MB"
        )
        connection.close()
        server = LiveServerThread("127.0.0.1", _StaticFilesHandler, port=0)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        url = f"http://127.0.0.1:{server.port}/"
        timings = time_page(url)
        print(
            "home page until all markers and clusters are drawn: "
            + ", ".join(f"{t:.2f} s" for t in timings)
            + f" (median {statistics.median(timings):.2f} s)"
        )
    finally:
        if server is not None:
            server.terminate()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
