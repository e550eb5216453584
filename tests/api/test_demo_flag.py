"""Demo data is marked as such wherever data leaves the site: API, exports, GeoJSON and feeds."""

import csv
import io
import json

import pytest

from tests import factories as make


@pytest.fixture
def demo_and_real(db):
    demo_agency = make.AgencyFactory(name="Demo Police", is_demo=True)
    demo = make.DeploymentFactory(title="Demo cameras", lead_agency=demo_agency, is_demo=True)
    real = make.DeploymentFactory(title="Real cameras")
    make.HotspotFactory(name="Demo market", is_demo=True)
    make.RTIRequestFactory(title="Demo request", authority=demo_agency, is_demo=True)
    make.CitationFactory(
        source=make.SourceFactory(title="Demo story", is_demo=True), deployment=demo
    )
    make.CitationFactory(source=make.SourceFactory(title="Real story"), deployment=real)
    return demo, real


NAMES = {"deployments": "title", "agencies": "name", "hotspots": "name"}
NAMES.update({"rti-requests": "title", "sources": "title"})


@pytest.mark.parametrize("endpoint", list(NAMES))
def test_the_api_and_the_csv_export_flag_demo_rows(client, demo_and_real, endpoint):
    label = NAMES[endpoint]
    rows = client.get(f"/api/v1/{endpoint}/").json()["results"]
    flags = {row[label]: row["is_demo"] for row in rows}
    assert {value for name, value in flags.items() if name.startswith("Demo")} == {True}
    assert set(flags.values()) <= {True, False}
    one = rows[0]
    assert client.get(f"/api/v1/{endpoint}/{one['id']}/").json()["is_demo"] is one["is_demo"]
    response = client.get(f"/api/v1/export/{endpoint}.csv")
    data = b"".join(response.streaming_content).decode()
    exported = {row[label]: row["is_demo"] for row in csv.DictReader(io.StringIO(data))}
    assert exported == {name: "true" if flag else "false" for name, flag in flags.items()}


def test_geojson_and_feeds_flag_demo_rows(client, demo_and_real):
    demo, real = demo_and_real
    data = b"".join(client.get("/api/v1/export/deployments.geojson").streaming_content)
    flags = {
        f["properties"]["title"]: f["properties"]["is_demo"] for f in json.loads(data)["features"]
    }
    assert flags == {"Demo cameras": True, "Real cameras": False}
    page = client.get("/api/v1/deployments/?format=geojson").json()
    assert {f["properties"]["is_demo"] for f in page["features"]} == {True, False}
    feed = client.get("/feeds/deployments/").content.decode()
    demo_entry = feed[feed.index("<title>Demo cameras</title>") :].split("</entry>")[0]
    real_entry = feed[feed.index("<title>Real cameras</title>") :].split("</entry>")[0]
    assert '<category term="Demo data"/>' in demo_entry and "Demo data ·" in demo_entry
    assert "Demo data" not in real_entry
