"""API benchmark: the GeoJSON export against bare SQL and against a per-row serializer.

On its own database (bench_api, created and dropped here) with
``generate_demo_data --deployments 100000 --seed 1`` it measures, in one run:

  (a) GET /api/v1/export/deployments.geojson through the Django test client,
  (b) the bare SQL json_build_object('type','FeatureCollection', ...json_agg...)
      over the same rows and properties,
  (c) djangorestframework-gis GeoFeatureModelSerializer(many=True) over the same rows,
  (d) a filtered list page of 50 (/api/v1/deployments/?state=...&technology=...),
  (e) PostGIS's own ST_AsGeoJSON(row) over the same rows and properties, streamed
      to this client through a server-side cursor (the baseline to beat).

Targets: a/b <= 1.5, a/e <= 1.5, c/a >= 20, (d) under 50 ms. BENCH_DEPLOYMENTS
changes the size.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchlib import admin_connection, load  # noqa: E402 (bench/ is the script's folder)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# The benchmark is one client making many requests: no throttling here.
os.environ["API_THROTTLE_ANON"] = "100000000/min"
os.environ["API_THROTTLE_USER"] = "100000000/min"

DB_NAME = "bench_api"
DEPLOYMENTS = int(os.environ.get("BENCH_DEPLOYMENTS", "100000"))


def timed(function, repeat):
    """Median seconds of ``repeat`` calls (and the last result)."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main():
    sys.stdout.reconfigure(line_buffering=True)  # progress shows even when piped
    import django
    from django.conf import settings

    db = settings.DATABASES["default"]
    with admin_connection(db) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        admin.execute(f"CREATE DATABASE {DB_NAME}")
    db["NAME"] = DB_NAME
    django.setup()
    try:
        run()
    finally:
        from django.db import connections

        connections.close_all()
        with admin_connection(db) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")


def feature_serializer_class():
    """GeoFeatureModelSerializer with the export's properties, computed per row in Python.

    The related sets are prefetched (a handful of queries), so this measures the
    per-row serializer work the SQL export avoids, not an N+1 query problem.
    """
    from rest_framework import serializers
    from rest_framework_gis.serializers import GeoFeatureModelSerializer

    from tracker.models import Deployment, Publication

    def joined(values):
        return ";".join(str(v) for v in values)

    class DeploymentFeatureSerializer(GeoFeatureModelSerializer):
        lead_agency_id = serializers.SerializerMethodField()
        lead_agency_name = serializers.SerializerMethodField()
        partner_agency_ids = serializers.SerializerMethodField()
        purpose_tags = serializers.SerializerMethodField()
        state_code = serializers.CharField(source="state_id", default=None)
        state_name = serializers.CharField(source="state.name", default=None)
        vendor_names = serializers.SerializerMethodField()
        linked_databases = serializers.SerializerMethodField()
        source_urls = serializers.SerializerMethodField()

        class Meta:
            model = Deployment
            geo_field = "location"
            fields = [
                "id", "slug", "title", "lead_agency_id", "lead_agency_name",
                "partner_agency_ids", "technology", "purpose_class", "purpose_tags", "status",
                "announced_on", "announced_precision", "tender_published_on", "in_use_since",
                "last_reported_use", "state_code", "state_name", "district", "city",
                "location_precision", "camera_count", "cost_inr", "cost_covers",
                "funding_source", "vendor_names", "linked_databases", "legal_basis",
                "legal_basis_url", "court_cases", "data_retention", "accuracy_claims",
                "confidence", "last_verified_on", "summary", "source_urls", "created_at",
                "updated_at",
            ]  # fmt: skip

        def _lead(self, d):
            return d.lead_agency if d.lead_agency.publication == Publication.PUBLISHED else None

        def get_lead_agency_id(self, d):
            return self._lead(d) and self._lead(d).id

        def get_lead_agency_name(self, d):
            return self._lead(d) and self._lead(d).name

        def get_partner_agency_ids(self, d):
            return joined(a.id for a in d.partner_agencies.all())

        def get_purpose_tags(self, d):
            return joined(d.purpose_tags)

        def get_vendor_names(self, d):
            return joined(v.name for v in d.vendors.all())

        def get_linked_databases(self, d):
            return joined(x.name for x in d.linked_databases.all())

        def get_source_urls(self, d):
            return joined(sorted(c.source.url for c in d.citations.all()))

    return DeploymentFeatureSerializer


def run():
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    call_command("generate_demo_data", deployments=DEPLOYMENTS, seed=1)
    print(f"generate_demo_data --deployments {DEPLOYMENTS}: {time.perf_counter() - start:.1f} s")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    measure()


def measure():
    """The four figures, on whatever database Django is connected to."""
    from django.core.serializers.json import DjangoJSONEncoder
    from django.db.models import Prefetch
    from django.test import Client

    from tracker.exports.datasets import EXPORTS, geojson_properties
    from tracker.models import Agency, Citation, LinkedDatabase, Vendor
    from tracker.sql import geojson

    export = EXPORTS["deployments"]
    queryset = export.queryset()
    properties = geojson_properties(export)
    client = Client()

    def endpoint():
        response = client.get("/api/v1/export/deployments.geojson")
        assert response.status_code == 200
        return b"".join(response.streaming_content)

    def bare_sql():
        return geojson.feature_collection(queryset, properties, geometry="location")

    def row_to_geojson_streamed():
        """ST_AsGeoJSON(row): PostGIS turns each row into a Feature; the client joins them."""
        from django.db import connection

        from tracker.sql.columns import select_sql

        rows_sql, params = select_sql(
            queryset.filter(location__isnull=False), {**properties, "geom": "location"}
        )
        sql = f"SELECT ST_AsGeoJSON(t.*, 'geom', 6)::text FROM ({rows_sql}) AS t"
        chunks = [b'{"type": "FeatureCollection", "features": [']
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            first = True
            while rows := cursor.fetchmany(2000):
                text = ",".join(row[0] for row in rows)
                chunks.append((text if first else "," + text).encode())
                first = False
        chunks.append(b"]}")
        return b"".join(chunks)

    serializer_class = feature_serializer_class()

    def serializer():
        rows = (
            queryset.filter(location__isnull=False)
            .select_related("lead_agency", "state")
            .prefetch_related(
                Prefetch("partner_agencies", queryset=Agency.objects.published().order_by("id")),
                Prefetch("vendors", queryset=Vendor.objects.order_by("name")),
                Prefetch("linked_databases", queryset=LinkedDatabase.objects.order_by("name")),
                Prefetch("citations", queryset=Citation.objects.select_related("source")),
            )
        )
        data = serializer_class(rows, many=True).data
        return json.dumps(data, cls=DjangoJSONEncoder).encode()

    def list_page():
        response = client.get(
            "/api/v1/deployments/?state=IN-MH&technology=facial_recognition&limit=50"
        )
        assert response.status_code == 200
        return response

    rows = queryset.filter(location__isnull=False).count()
    print(f"published deployments with a location: {rows}; load average {load()}")
    # (d) first, while the process is small and the caches hold what a reader would hit.
    list_page()
    d, page = timed(list_page, 50)
    endpoint()  # warm caches once
    a, body = timed(endpoint, 5)
    b, _ = timed(bare_sql, 5)
    e, streamed = timed(row_to_geojson_streamed, 5)
    c, _ = timed(serializer, 1 if rows >= 50000 else 3)
    features = body.count(b'"type" : "Feature"') + body.count(b'"type": "Feature"')
    print(f"(a) export endpoint GeoJSON: median {a * 1000:.0f} ms ({len(body) / 1e6:.1f} MB)")
    print(f"(b) bare SQL json_agg FeatureCollection: median {b * 1000:.0f} ms")
    print(f"(c) GeoFeatureModelSerializer(many=True): {c * 1000:.0f} ms")
    print(f"    features in (a): {features}; list filter matches: {page.json()['count']}")
    print(
        f"(e) ST_AsGeoJSON(row) streamed to the client: median {e * 1000:.0f} ms "
        f"({len(streamed) / 1e6:.1f} MB)"
    )
    print(f"a/b = {a / b:.2f} (target <= 1.5)")
    print(f"a/e = {a / e:.2f} (target <= 1.5)")
    print(f"c/a = {c / a:.1f} (target >= 20)")
    print(f"(d) filtered list page of 50: median {d * 1000:.1f} ms (target < 50 ms)")
    print(f"load average at the end: {load()} (other processes on the machine slow every figure)")


if __name__ == "__main__":
    main()
