"""What a researcher sees: shapes, published data only, GeoJSON, pages, stats, limits."""

import json

import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    AgencyFactory,
    CitationFactory,
    DeploymentFactory,
    SourceFactory,
    VendorFactory,
)
from tests.support.pages import ids
from tracker.models import Citation, Deployment, Source


def test_deployment_detail_has_nested_summaries_and_source_health(client, world):
    body = client.get(f"/api/v1/deployments/{world.mumbai.id}/").json()
    assert body["id"] == world.mumbai.id
    assert body["lead_agency"] == {
        "id": world.mumbai_police.id,
        "slug": "mumbai-police",
        "name": "Mumbai Police",
    }
    # The draft partner agency is left out.
    assert [a["name"] for a in body["partner_agencies"]] == ["Lucknow Police"]
    assert [v["name"] for v in body["vendors"]] == ["NEC", "Staqu"]
    assert body["state"] == {"code": "IN-MH", "name": "Maharashtra"}
    assert body["location"] == {"type": "Point", "coordinates": [72.88, 19.08]}
    source = body["citations"][0]["source"]
    assert source["url"] == "https://news.example.org/lucknow"
    assert source["health"] == "unchecked"
    assert {"last_checked_at", "http_status"} <= set(source)


def test_unpublished_lead_agency_is_null(client, world):
    body = client.get(f"/api/v1/deployments/{world.national.id}/").json()
    assert body["lead_agency"] is None
    assert "Secret Draft Agency" not in json.dumps(body)


@pytest.mark.parametrize("name", ["deployments", "agencies", "hotspots", "rti-requests"])
def test_unpublished_rows_never_appear(client, world, name):
    everything = json.dumps(client.get(f"/api/v1/{name}/?limit=500").json())
    assert "Draft" not in everything and "Withdrawn" not in everything
    for fmt in ["csv", "geojson"] if name != "rti-requests" else ["csv"]:
        export = b"".join(client.get(f"/api/v1/export/{name}.{fmt}").streaming_content)
        assert b"Draft" not in export and b"Withdrawn" not in export


@pytest.mark.parametrize("attr", ["draft", "withdrawn"])
def test_unpublished_detail_is_404(client, world, attr):
    response = client.get(f"/api/v1/deployments/{getattr(world, attr).id}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_sources_are_only_those_cited_by_published_entities(client, world):
    assert ids(client.get("/api/v1/sources/")) == [world.news.id]
    assert client.get(f"/api/v1/sources/{world.hidden_source.id}/").status_code == 404
    source = client.get(f"/api/v1/sources/{world.news.id}/").json()
    assert source["url"] == "https://news.example.org/lucknow"
    assert source["title"] == "Lucknow story"
    assert {"publisher", "health", "last_checked_at", "http_status"} <= set(source)


def test_rti_request_shows_related_published_entities_only(client, world):
    body = client.get(f"/api/v1/rti-requests/{world.rti.id}/").json()
    assert body["authority"]["slug"] == "lucknow-police"
    assert [d["id"] for d in body["deployments"]] == [world.lucknow.id]
    assert "filed_by" in body and "email" not in json.dumps(body)


def test_geojson_format_is_an_rfc7946_feature_collection(client, world):
    response = client.get("/api/v1/deployments/?format=geojson&state=IN-MH")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    body = json.loads(response.content)
    assert body["type"] == "FeatureCollection"
    (feature,) = body["features"]
    assert feature["id"] == world.mumbai.id
    assert feature["geometry"] == {"type": "Point", "coordinates": [72.88, 19.08]}  # lon, lat
    assert feature["properties"]["title"] == "Number plate readers in Mumbai"
    assert feature["properties"]["vendor_names"] == "NEC;Staqu"


def test_geojson_format_pages_and_skips_rows_without_location(client, world):
    body = json.loads(client.get("/api/v1/deployments/?format=geojson&ordering=id&limit=2").content)
    assert [f["id"] for f in body["features"]] == [world.lucknow.id, world.mumbai.id]
    every = json.loads(client.get("/api/v1/deployments/?format=geojson").content)
    assert world.national.id not in [f["id"] for f in every["features"]]
    hotspot = json.loads(client.get(f"/api/v1/hotspots/{world.market.id}/?format=geojson").content)
    assert hotspot["features"][0]["geometry"]["coordinates"] == [80.93, 26.85]


def test_entities_without_geometry_offer_no_geojson(client, world):
    assert client.get("/api/v1/rti-requests/?format=geojson").status_code == 404
    assert client.get("/api/v1/export/rti-requests.geojson").status_code == 404


def test_pagination_has_a_hard_maximum(client, world):
    body = client.get("/api/v1/deployments/?limit=500").json()
    assert body["count"] == 4
    assert client.get("/api/v1/deployments/?limit=501").status_code == 400
    page = client.get("/api/v1/deployments/?limit=1&offset=1&ordering=id").json()
    assert [r["id"] for r in page["results"]] == [world.mumbai.id]
    assert "offset=2" in page["next"] and page["previous"]


def _many_deployments(count):
    """``count`` published deployments, each with a partner agency, a vendor and a cited
    source (what a list row reads besides its own), inserted in bulk."""
    agency, partner = AgencyFactory(), AgencyFactory()
    vendor = VendorFactory(name="Many Vendor")
    deployments = Deployment.objects.bulk_create(
        DeploymentFactory.build(
            lead_agency=agency, slug=f"many-{n}", location=Point(80 + n / 1000, 26)
        )
        for n in range(count)
    )
    Deployment.partner_agencies.through.objects.bulk_create(
        Deployment.partner_agencies.through(deployment=d, agency=partner) for d in deployments
    )
    Deployment.vendors.through.objects.bulk_create(
        Deployment.vendors.through(deployment=d, vendor=vendor) for d in deployments
    )
    sources = Source.objects.bulk_create(SourceFactory.build() for _ in deployments)
    Citation.objects.bulk_create(
        CitationFactory.build(deployment=d, source=s)
        for d, s in zip(deployments, sources, strict=True)
    )


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/deployments/?limit={n}",
        "/api/v1/agencies/?limit={n}",
        "/api/v1/hotspots/?limit={n}",
        "/api/v1/rti-requests/?limit={n}",
        "/api/v1/sources/?limit={n}",
        "/api/v1/deployments/?format=geojson&limit={n}",
    ],
)
def test_list_query_count_does_not_grow_with_page_size(client, world, url):
    _many_deployments(100)
    client.get(url.format(n=1))  # a connection's first page prepares its compiled query once
    counts = []
    for n in (1, 100):
        cache.clear()  # the count is cached per filter set: measure both pages uncached
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url.format(n=n))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_stats_gives_headline_counts_of_published_data(client, world):
    body = client.get("/api/v1/stats/").json()
    assert body["totals"]["deployments"] == 4
    assert {"code": "IN-UP", "label": "Uttar Pradesh", "label_hi": "उत्तर प्रदेश", "count": 1} in (
        body["by_state"]
    ) or any(row["code"] == "IN-UP" and row["count"] == 1 for row in body["by_state"])
    technologies = {row["code"]: row["count"] for row in body["by_technology"]}
    assert technologies == {
        "facial_recognition": 2,
        "plate_recognition": 1,
        "biometric_authentication": 1,
    }
    assert {row["code"]: row["count"] for row in body["by_status"]}["pilot"] == 1


def test_get_is_open_to_browser_tools_from_any_origin(client, world):
    response = client.get("/api/v1/deployments/", HTTP_ORIGIN="https://research.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v1/deployments/",
        HTTP_ORIGIN="https://research.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]


def test_anonymous_readers_get_no_cookie(client, world):
    response = client.get("/api/v1/deployments/")
    assert not response.cookies


@pytest.mark.parametrize("signed_in,rate", [(False, "anon"), (True, "user")])
@pytest.mark.parametrize(
    "paths",
    [
        ["/api/v1/stats/"],
        # A list's counter is counted with its cache entry, on the same count as the rest.
        ["/api/v1/deployments/", "/api/v1/stats/", "/api/v1/agencies/?limit=1"],
    ],
)
def test_throttling_answers_429_with_retry_after(
    settings, client, world, signed_in, rate, paths, monkeypatch
):
    import time

    from django.core.cache import cache

    from api.throttles import WindowCounterMixin
    from tests.factories import UserFactory

    # Every request in the middle of one window: a real minute boundary between two
    # requests would start a new count.
    middle = time.time() // 60 * 60 + 30
    monkeypatch.setattr(WindowCounterMixin, "timer", lambda self: middle, raising=False)
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "5/min"},
    }
    cache.clear()
    if signed_in:
        client.force_authenticate(UserFactory())
    allowed = 5 if signed_in else 3
    statuses = [client.get(paths[n % len(paths)]).status_code for n in range(allowed + 1)]
    assert statuses == [200] * allowed + [429]
    response = client.get(paths[-1])
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 30
    assert "detail" in response.json()


def test_docs_page_loads_its_assets_locally(client, world):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    # The start-up script is a file of its own (no inline script under the CSP); it loads
    # the schema from this site.
    assert '<script src="/api/v1/docs/?script="></script>' in html
    assert "/api/v1/schema/" in client.get("/api/v1/docs/?script=").content.decode()
    for marker in ("https://", "http://"):
        scripts = [line for line in html.splitlines() if "<script" in line or "<link" in line]
        assert not any(marker in line for line in scripts), scripts


def test_schema_describes_every_parameter_and_field(client, world):
    schema = client.get("/api/v1/schema/?format=json").json()
    assert schema["openapi"].startswith("3.")
    missing = []
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if not parameter.get("description"):
                    missing.append(f"{path} {parameter['name']}")
    for name, component in schema["components"]["schemas"].items():
        for field, spec in (component.get("properties") or {}).items():
            if not spec.get("description") and "allOf" not in spec and "$ref" not in spec:
                missing.append(f"{name}.{field}")
    assert missing == []
    deployments = schema["paths"]["/api/v1/deployments/"]["get"]
    names = {p["name"] for p in deployments["parameters"]}
    assert {
        "state", "agency", "technology", "status", "purpose", "vendor", "q",
        "announced_after", "announced_before", "updated_since", "in_bbox", "near",
        "radius_km", "ordering", "limit", "offset", "format",
    } <= names  # fmt: skip


def test_api_root_points_to_everything(client, world):
    body = client.get("/api/v1/").json()
    assert body["docs"].endswith("/api/v1/docs/")
    assert body["deployments"].endswith("/api/v1/deployments/")
    assert body["exports"]["deployments.geojson"].endswith("/api/v1/export/deployments.geojson")
    assert "rti-requests.geojson" not in body["exports"]
    for url in [body["stats"], body["sources"], body["exports"]["sources.csv"]]:
        assert client.get(url).status_code == 200


def test_unknown_api_paths_answer_json_404(client, world):
    for url in ["/api/v1/nothing/", "/api/v1/deployments/1.5/", "/api/v1/export/spies.csv"]:
        response = client.get(url)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("url", ["/api/v1/deployments/?state=IN-UP", "/api/v1/hotspots/"])
def test_an_uncached_list_page_is_two_queries_once_counted(settings, client, world, url):
    """With the page cache off and its count known: one query for the page's ids, one
    writing its rows; nothing else reads the table."""
    settings.API_CACHE_SECONDS = 0
    assert client.get(url).status_code == 200  # counts, and prepares the rows' query
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200 and response.json()["results"]
    sql = [query["sql"] for query in queries.captured_queries]
    assert len(sql) == 2, sql
    assert "LIMIT" in sql[0] and sql[1].startswith("EXECUTE api_rows_")
