"""OpenStreetMap out: our hotspots and exactly located deployments, tagged as OpenStreetMap
tags cameras, as a .osm file an editor opens as new objects and as GeoJSON, for mappers
to review and upload by hand."""

import json
import xml.etree.ElementTree as ET

import osmium
import pytest
from django.contrib.gis.geos import Point
from django.test import override_settings

from tests.factories import AgencyFactory, DeploymentFactory, HotspotFactory, VendorFactory
from tracker.models import LocationPrecision, Publication, Technology

pytestmark = pytest.mark.django_db

SITE = "https://tracker.example.in"


@pytest.fixture
def mapped():
    police = AgencyFactory(name="Lucknow Police & Traffic", wikidata_id="Q98765")
    draft_agency = AgencyFactory(name="Secret agency", publication=Publication.DRAFT)
    face = DeploymentFactory(title="Safe City", lead_agency=police)
    face.vendors.add(VendorFactory(name='Staqu "JARVIS"', wikidata_id="Q60731"))
    face.vendors.add(VendorFactory(name="Hikvision\x07"))
    plates = DeploymentFactory(
        lead_agency=police, technology=Technology.PLATE_RECOGNITION, state_id="IN-DL"
    )
    market = HotspotFactory(name="Hazratganj", agency=police, location=Point(80.9462, 26.8505))
    market.deployments.add(face)
    junction = HotspotFactory(
        name="Kashmere Gate",
        agency=None,
        state_id="IN-DL",
        location=Point(77.2291, 28.6675),
    )
    junction.deployments.add(plates)
    HotspotFactory(name="Draft spot", publication=Publication.DRAFT).deployments.add(face)
    exact = DeploymentFactory(
        title="Station gates",
        lead_agency=draft_agency,
        location=Point(80.92, 26.83),
        location_precision=LocationPrecision.EXACT,
    )
    # Located only to its city: not a camera position to give mappers.
    DeploymentFactory(location_precision=LocationPrecision.CITY)
    # Located exactly, but its hotspot already stands for it.
    covered = DeploymentFactory(
        location=Point(80.9463, 26.8506), location_precision=LocationPrecision.EXACT
    )
    market.deployments.add(covered)
    return {"market": market, "junction": junction, "exact": exact, "police": police}


def read_osm(path):
    """The nodes of an OSM file as an editor's reader sees them: {id: (lon, lat, tags)}."""
    nodes = {}
    for obj in osmium.FileProcessor(str(path)):
        assert obj.is_node()
        nodes[obj.id] = (obj.location.lon, obj.location.lat, dict(obj.tags))
    return nodes


@override_settings(SITE_URL=SITE)
def test_the_osm_file_opens_as_new_tagged_cameras(client, mapped, tmp_path):
    response = client.get("/api/v1/export/hotspots.osm")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-osm+xml")
    assert 'filename="hotspots.osm"' in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    root = ET.fromstring(body)
    assert root.tag == "osm" and root.get("version") == "0.6"
    # JOSM asks before uploading a layer marked so: a mapper reviews first.
    assert root.get("upload") == "false"
    path = tmp_path / "hotspots.osm"
    path.write_bytes(body)
    nodes = read_osm(path)
    assert sorted(nodes) == [-3, -2, -1]  # new objects, in a stable order
    market, junction = mapped["market"], mapped["junction"]
    lon, lat, tags = nodes[-1]
    assert (round(lon, 4), round(lat, 4)) == (80.9462, 26.8505)
    assert tags == {
        "man_made": "surveillance",
        "surveillance:type": "camera",
        "operator": "Lucknow Police & Traffic",
        "operator:wikidata": "Q98765",
        "manufacturer": 'Hikvision;Staqu "JARVIS"',
        "manufacturer:wikidata": "Q60731",
        "source": f"Panoptic Tracker; {SITE}/hotspots/{market.pk}-{market.slug}/",
    }
    # Number plates only: OpenStreetMap's ALPR; the operator is its deployment's agency.
    tags = nodes[-2][2]
    assert tags["surveillance:type"] == "ALPR"
    assert tags["operator"] == "Lucknow Police & Traffic"
    assert tags["source"].endswith(f"/hotspots/{junction.pk}-{junction.slug}/")
    # A deployment located exactly with no hotspot; its agency is a draft: no operator.
    lon, lat, tags = nodes[-3]
    assert (lon, lat) == (80.92, 26.83)
    assert "operator" not in tags and tags["man_made"] == "surveillance"
    exact = mapped["exact"]
    assert tags["source"].endswith(f"/deployments/{exact.pk}-{exact.slug}/")


def test_the_geojson_carries_the_same_points_and_tags(client, mapped, tmp_path):
    response = client.get("/api/v1/export/hotspots.osm.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(b"".join(response.streaming_content))
    path = tmp_path / "hotspots.osm"
    path.write_bytes(b"".join(client.get("/api/v1/export/hotspots.osm").streaming_content))
    nodes = read_osm(path)
    assert {
        f["id"]: (*f["geometry"]["coordinates"], f["properties"]) for f in data["features"]
    } == {
        osm_id: (round(lon, 7), round(lat, 7), tags) for osm_id, (lon, lat, tags) in nodes.items()
    }


def test_a_state_or_a_box_narrows_the_export(client, mapped):
    def ids(query):
        response = client.get(f"/api/v1/export/hotspots.osm.geojson?{query}")
        assert response.status_code == 200, response.content
        data = json.loads(b"".join(response.streaming_content))
        return [f["properties"]["source"].rsplit("/", 2)[1] for f in data["features"]]

    junction = mapped["junction"]
    assert ids("state=in-dl") == [f"{junction.pk}-{junction.slug}"]
    assert len(ids("state=IN-UP")) == 2
    assert ids("in_bbox=77,28,78,29") == [f"{junction.pk}-{junction.slug}"]
    assert ids("state=IN-KL") == []


@pytest.mark.parametrize(
    "query, field",
    [
        ("in_bbox=1,2,3", "in_bbox"),
        ("state=Uttar", "state"),
        ("state=", "state"),
        ("state=%0A", "state"),
    ],
)
def test_bad_parameters_get_a_400_naming_them(client, mapped, query, field):
    for path in ("/api/v1/export/hotspots.osm", "/api/v1/export/hotspots.osm.geojson"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400
        assert field in response.json()


def test_unknown_parameters_are_refused(client, mapped):
    response = client.get("/api/v1/export/hotspots.osm?upload=yes")
    assert response.status_code == 400
    assert "upload" in json.dumps(response.json())


def test_the_export_is_in_the_api_schema(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    for path in ("/api/v1/export/hotspots.osm", "/api/v1/export/hotspots.osm.geojson"):
        operation = schema["paths"][path]["get"]
        names = {p["name"] for p in operation["parameters"]}
        assert {"state", "in_bbox"} <= names, names
        assert "uploaded" in operation["description"]


def test_the_readme_says_nothing_is_uploaded_and_why():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme[readme.index("## OpenStreetMap") :]
    assert "never uploads" in section and "import guidelines" in section


def test_the_data_page_offers_both_files_to_mappers(client, mapped):
    body = client.get("/data/").content.decode()
    section = body[body.index('id="openstreetmap"') :]
    for path in ("/api/v1/export/hotspots.osm", "/api/v1/export/hotspots.osm.geojson"):
        assert f'href="{path}"' in section
    assert "never uploads" in section
