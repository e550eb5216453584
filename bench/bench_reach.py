"""Reach benchmark: importing OpenStreetMap's cameras, and the embeds in Chromium.

On its own database (bench_reach, created and dropped here) filled by
``generate_demo_data`` at the site benchmark's sizes (BENCH_DEPLOYMENTS, default
100,000; BENCH_HOTSPOTS, default 1,000,000), it writes an ``.osm.pbf`` extract of
India with BENCH_OSM_CAMERAS camera nodes (default 100,000) around its cities, plus
ten times as many other tagged nodes and a few hundred camera ways, and prints:

- ``manage.py import_osm`` run as an operator runs it (its own process): the first
  import (every camera added and matched to hotspots), the same file again (nothing
  changes), and a newer extract (1% moved, 1% deleted), each with its wall time and
  the process's peak memory (target: the first import under 60 s);
- served by gunicorn with DEBUG off (as bench_site.py serves it): the embedded map of
  a state and of all India, and for comparison the home map, in Chromium: time and
  bytes until the first markers show (target: the home map's budgets, < 1.5 s and
  < 1 MB), and the embedded entry card at 300 px wide until its map is drawn.

The machine is shared: the load average is printed with the figures.
"""

import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BENCH_DATABASE", "bench_reach")

import bench_site  # noqa: E402 (bench/ is the script's folder)
from benchlib import admin_connection, load  # noqa: E402

CAMERAS = int(os.environ.get("BENCH_OSM_CAMERAS", "100000"))
IMPORT_TARGET_S = 60
# What an extract holds besides cameras; a street cabinet passes the man_made filter.
OTHER_TAGS = [{"highway": "street_lamp"}, {"amenity": "bench"}, {"man_made": "street_cabinet"}]


def write_extract(path, *, seed, moved=0.0, deleted=0.0, version=1):
    """An India extract: ``CAMERAS`` camera nodes scattered around the synthetic data's
    cities, ten other tagged nodes per camera (what pyosmium's filter must skip), and
    camera ways. ``moved`` and ``deleted`` are the shares changed since version 1."""
    import osmium

    from tracker.ingest.synthetic import STATE_CITIES

    cities = [city for _, (_, places) in STATE_CITIES.items() for city in places]
    rng = random.Random(seed)
    stamp = datetime(2026, 11, 1, tzinfo=UTC)
    later = datetime(2026, 12, 1, tzinfo=UTC)
    zones = ["traffic", "town", "street", "parking", "shop"]
    if path.exists():
        path.unlink()
    with osmium.SimpleWriter(str(path)) as writer:
        for i in range(CAMERAS):
            # Every random draw is made whatever the shares, so that both versions of the
            # extract hold the same cameras at the same places but for those changed.
            city, lon, lat = cities[i % len(cities)]
            lon, lat = lon + rng.gauss(0, 0.05), lat + rng.gauss(0, 0.05)
            pick = rng.random()
            tags = {
                "man_made": "surveillance",
                "surveillance:type": "camera",
                "surveillance:zone": rng.choice(zones),
                "camera:type": rng.choice(["fixed", "dome", "panning"]),
                "operator": f"{city} Police",
            }
            others = [
                (lon + rng.gauss(0, 0.01), lat + rng.gauss(0, 0.01), rng.choice(OTHER_TAGS))
                for _ in range(10)
            ]
            changed = deleted <= pick < deleted + moved
            if pick >= deleted:
                writer.add_node(
                    osmium.osm.mutable.Node(
                        id=i * 11 + 1,
                        location=(lon + (0.001 if changed else 0), lat),
                        version=version if changed else 1,
                        timestamp=later if changed else stamp,
                        tags=tags,
                    )
                )
            for k, (x, y, other) in enumerate(others):
                writer.add_node(
                    osmium.osm.mutable.Node(
                        id=i * 11 + 2 + k, location=(x, y), version=1, timestamp=stamp, tags=other
                    )
                )
        # Cameras drawn as ways (a camera's field of view), over other nodes.
        for w in range(300):
            first = (w * (CAMERAS // 300 or 1)) * 11 + 2
            writer.add_way(
                osmium.osm.mutable.Way(
                    id=w + 1,
                    nodes=[first, first + 1, first + 2],
                    version=1,
                    timestamp=stamp,
                    tags={"man_made": "surveillance", "surveillance:type": "camera"},
                )
            )
    return path


def peak_memory_mb(pid):
    """The process's peak resident memory so far (VmHWM: its own, since its exec; wait4's
    ru_maxrss would count the memory this process had when it forked)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def import_osm(path, env):
    """Run ``manage.py import_osm`` in its own process: (wall seconds, its peak memory in
    MB, the line it printed). The peak is read every 50 ms while it runs."""
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "manage.py", "import_osm", str(path)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
        peak = 0.0
        while process.poll() is None:
            peak = max(peak, peak_memory_mb(process.pid))
            time.sleep(0.05)
        elapsed = time.perf_counter() - start
        out.seek(0)
        text = out.read().strip()
    if process.returncode:
        raise RuntimeError(f"import_osm failed: {text}")
    return elapsed, peak, text


def time_imports(db, folder):
    from tracker.models import OsmCamera, OsmImport

    # A database kept from an earlier run (BENCH_KEEP=1) starts without the layer again.
    OsmCamera.objects.all().delete()
    OsmImport.objects.all().delete()
    env = bench_site.server_environment(db)
    first = write_extract(folder / "india.osm.pbf", seed=3)
    size = first.stat().st_size / 1e6
    print(f"\nimport_osm: {CAMERAS:,} camera nodes in a {size:.1f} MB .osm.pbf (target < 60 s)")
    runs = [
        ("first import", first),
        ("the same file again", first),
        (
            "a newer extract, 1% moved and 1% deleted",
            write_extract(
                folder / "india-newer.osm.pbf", seed=3, moved=0.01, deleted=0.01, version=2
            ),
        ),
    ]
    misses = 0
    for title, path in runs:
        elapsed, peak_mb, line = import_osm(path, env)
        mark = ""
        if title == "first import" and elapsed > IMPORT_TARGET_S:
            mark, misses = "  <-- over target", misses + 1
        print(f"  {title}: {elapsed:.1f} s, peak memory {peak_mb:.0f} MB{mark}\n    {line}")
    return misses


def main():
    sys.stdout.reconfigure(line_buffering=True)
    from django.conf import settings

    db = bench_site.setup_data()
    misses = 0
    with tempfile.TemporaryDirectory() as folder:
        misses += time_imports(db, Path(folder))
    from tracker.models import Deployment

    deployment = Deployment.objects.published().filter(location__isnull=False).order_by("pk")[0]
    port = bench_site.free_port()
    server = bench_site.run_server(port, db)
    try:
        # Each web worker's first request loads the code (bench_site measures pages first):
        # pages only, so that no map answer is cached before the browser asks for it.
        client = bench_site.Client(port)
        for path in ("/about/", "/embed/map/", f"/embed/deployments/{deployment.pk}/") * 4:
            client.get(path)
        print(f"\nload average before the browser: {load()} (2 cores shared with other work)")
        bench_site.time_maps_in_chromium(
            port,
            [
                ("embedded map, Uttar Pradesh", "/embed/map/?state=IN-UP"),
                ("embedded map, all India", "/embed/map/"),
                ("home map (for comparison)", "/"),
            ],
        )
        bench_site.time_maps_in_chromium(
            port,
            [("embedded entry card, 300 px wide", f"/embed/deployments/{deployment.pk}/")],
            ready="() => !!document.querySelector(\".mini-map[data-ready='true']\")",
            viewport=(300, 560),
        )
        print(f"\nover target: {misses}; load average at the end: {load()}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        settings.DATABASES["default"]["NAME"] = bench_site.DB_NAME
        if not bench_site.KEEP:
            with admin_connection(db) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {bench_site.DB_NAME}")


if __name__ == "__main__":
    main()
