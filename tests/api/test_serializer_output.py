"""The API's list pages written by PostgreSQL (``api.sql_pages``) and its lean serializing
(fields built once per class, a shorter row loop) write exactly what Django REST
framework's own code writes, byte for byte."""

from datetime import UTC, date, datetime

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core.cache import cache
from rest_framework import serializers

from api import serializers as api_serializers
from api import sql_pages
from api.urls import VIEWSETS
from tracker.models import Citation, Deployment, Evidence, LinkedDatabase

PAGES = [f"/api/v1/{name}/" for name in VIEWSETS] + [
    "/api/v1/deployments/?limit=2&offset=1",
    "/api/v1/deployments/?q=lucknow",
    "/api/v1/deployments/?state=IN-MH&status=pilot",
    "/api/v1/hotspots/?q=aminabad",
]


@pytest.fixture
def awkward(world):
    """Values whose text is easy to get wrong: an area, whole-number coordinates, a time
    with microseconds and one without, a line separator in a summary, no state, vendors
    with and without Wikidata ids, a linked database, a draft lead agency of a hotspot, a
    citation's evidence for two claims (each claim's level)."""
    world.rti.events.create(kind="filed", date=date(2024, 1, 2), note="Sent by post")
    world.lucknow.area = MultiPolygon(
        Polygon(((80.9, 26.8), (81.0, 26.8), (81.0, 26.9), (80.9, 26.8))), srid=4326
    )
    world.lucknow.location = Point(81.0, 27.0, srid=4326)
    world.lucknow.summary = 'Cameras\u2028at the markets — बाज़ार, "quoted" \\ and \t tabbed'
    world.lucknow.cost_inr = 12_345_678_901
    world.lucknow.save()
    Deployment.objects.filter(pk=world.mumbai.pk).update(
        updated_at=datetime(2024, 6, 1, 10, 0, 0, 123456, tzinfo=UTC)
    )
    world.staqu.wikidata_id = "Q42"
    world.staqu.save()
    LinkedDatabase.objects.create(deployment=world.lucknow, name="CCTNS", is_public=False)
    LinkedDatabase.objects.create(deployment=world.lucknow, name="Aadhaar")
    cited = Citation.objects.filter(deployment=world.lucknow).first()
    Evidence.objects.create(citation=cited, claim="status", quote="Live since \u2028 May — मई")
    Evidence.objects.create(citation=cited, claim="camera_count", page="12")
    world.market.agency = world.draft_agency
    world.market.area = world.lucknow.area
    world.market.save()
    return world


@pytest.mark.parametrize("url", PAGES)
def test_lists_are_written_as_rest_framework_writes_them(client, awkward, monkeypatch, url):
    written_by_postgresql = []
    page_rows = sql_pages.page_rows

    def spy(*args):
        rows = page_rows(*args)
        written_by_postgresql.append(rows is not None)
        return rows

    monkeypatch.setattr(sql_pages, "page_rows", spy)
    lean = client.get(url)
    # Every list but the RTI requests' (deadlines come from the engine) is written in SQL.
    assert written_by_postgresql == [not url.startswith("/api/v1/rti-requests/")]
    assert lean.status_code == 200 and lean.json()["results"]
    detail = client.get(f"{url.split('?')[0]}{lean.json()['results'][0]['id']}/")

    cache.clear()
    api_serializers._BUILT_FIELDS.clear()
    described = api_serializers.DescribedSerializer
    monkeypatch.setattr(described, "to_representation", serializers.Serializer.to_representation)
    monkeypatch.setattr(described, "build_field", serializers.ModelSerializer.build_field)
    monkeypatch.setattr(sql_pages, "page_rows", lambda *args: None)  # the serializer writes
    stock = client.get(url)
    assert stock.content == lean.content
    assert client.get(detail.request["PATH_INFO"]).content == detail.content
    api_serializers._BUILT_FIELDS.clear()


@pytest.mark.parametrize(
    ("url", "accept"),
    [
        ("/api/v1/deployments/", "application/json; indent=2"),
        ("/api/v1/deployments/?q=nowordlikethis", "application/json"),
        ("/api/v1/deployments/?limit=1", "application/json"),
    ],
)
def test_pages_set_in_their_envelope_read_as_rest_framework_writes_them(
    client, awkward, monkeypatch, url, accept
):
    """The rows PostgreSQL wrote are set into the page the renderer writes: an indented
    page, an empty one and a page with a next link come out as the serializer's do."""
    lean = client.get(url, HTTP_ACCEPT=accept)
    assert lean.status_code == 200
    cache.clear()
    monkeypatch.setattr(sql_pages, "page_rows", lambda *args: None)  # the serializer writes
    stock = client.get(url, HTTP_ACCEPT=accept)
    assert stock.content == lean.content


MOMENTS = [
    datetime(2024, 1, 15, 23, 59, 59, tzinfo=UTC),  # no microseconds; winter
    datetime(2024, 7, 1, 4, 30, 0, 1, tzinfo=UTC),  # one microsecond; summer time
    datetime(1900, 1, 1, 12, 0, 0, 500000, tzinfo=UTC),  # offsets in seconds then (LMT)
    datetime(2024, 3, 10, 7, 0, 0, tzinfo=UTC),  # New York's clocks went forward then
]


@pytest.mark.parametrize("zone", ["Asia/Kolkata", "UTC", "America/New_York", "Asia/Kathmandu"])
def test_times_are_written_in_the_reader_zone_as_rest_framework_writes_them(
    client, world, settings, monkeypatch, zone
):
    """PostgreSQL writes datetimes in the current time zone as ``isoformat`` does: "Z"
    for UTC, summer and winter offsets, offsets with seconds, microseconds only when
    there are some."""
    settings.TIME_ZONE = zone
    for deployment, moment in zip(Deployment.objects.order_by("pk"), MOMENTS, strict=False):
        Deployment.objects.filter(pk=deployment.pk).update(created_at=moment, updated_at=moment)
    written_by_postgresql = []
    page_rows = sql_pages.page_rows
    monkeypatch.setattr(
        sql_pages, "page_rows", lambda *a: written_by_postgresql.append(a) or page_rows(*a)
    )
    lean = client.get("/api/v1/deployments/")
    assert lean.status_code == 200 and written_by_postgresql
    written = serializers.DateTimeField().to_representation
    assert all(f'"{written(moment)}"' in lean.content.decode() for moment in MOMENTS)
    cache.clear()
    monkeypatch.setattr(sql_pages, "page_rows", lambda *args: None)  # the serializer writes
    stock = client.get("/api/v1/deployments/")
    assert stock.content == lean.content


def test_the_instant_a_zone_took_its_offset_is_found_to_the_second():
    """Where PostgreSQL may shift a datetime by one offset (``fixed_offset_since``): from
    the zone's last change on, and never for a zone with summer time."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    kolkata = ZoneInfo("Asia/Kolkata")
    since = sql_pages.fixed_offset_since(kolkata)
    assert since.year == 1945
    assert since.astimezone(kolkata).utcoffset() == timedelta(hours=5, minutes=30)
    assert (since - timedelta(seconds=1)).astimezone(kolkata).utcoffset() != timedelta(
        hours=5, minutes=30
    )
    assert sql_pages.fixed_offset_since(ZoneInfo("America/New_York")) is None
    assert sql_pages.fixed_offset_since(UTC).year == 1800
