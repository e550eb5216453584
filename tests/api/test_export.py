"""Bulk exports read back by real readers: csv, GDAL's ogrinfo, the data package."""

import csv
import io
import json
import re
import subprocess

import pytest
from django.core.management import CommandError, call_command


def _download(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response.streaming
    return response, b"".join(response.streaming_content)


def _rows(data):
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def _ogrinfo(path, *args):
    result = subprocess.run(
        ["ogrinfo", "-ro", "-al", *args, str(path)], capture_output=True, text=True, check=True
    )
    return result.stdout


def test_csv_export_parses_back_with_the_same_rows(client, world):
    response, data = _download(client, "/api/v1/export/deployments.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _rows(data)
    assert sorted(int(r["id"]) for r in rows) == sorted(d.id for d in world.published)
    assert len(rows) == client.get("/api/v1/deployments/").json()["count"]
    mumbai = next(r for r in rows if int(r["id"]) == world.mumbai.id)
    assert mumbai["vendor_names"] == "NEC;Staqu"
    assert mumbai["purpose_tags"] == "traffic_enforcement;crowd_monitoring"
    assert mumbai["partner_agency_ids"] == str(world.lucknow_police.id)  # draft one left out
    assert (mumbai["longitude"], mumbai["latitude"]) == ("72.88", "19.08")
    assert mumbai["state_code"] == "IN-MH"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", mumbai["updated_at"])
    national = next(r for r in rows if int(r["id"]) == world.national.id)
    assert national["lead_agency_id"] == "" and national["longitude"] == ""


def test_csv_export_honours_the_filters(client, world):
    _, data = _download(client, "/api/v1/export/deployments.csv?state=IN-UP")
    assert [int(r["id"]) for r in _rows(data)] == [world.lucknow.id]
    _, data = _download(client, "/api/v1/export/deployments.csv?technology=other")
    assert data.decode().splitlines()[0].startswith("id,slug,title")
    assert _rows(data) == []


@pytest.mark.parametrize("name", ["agencies", "hotspots", "rti-requests", "sources"])
def test_every_entity_exports_as_csv(client, world, name):
    _, data = _download(client, f"/api/v1/export/{name}.csv")
    rows = _rows(data)
    assert len(rows) == client.get(f"/api/v1/{name}/").json()["count"]


def test_rti_booleans_are_true_or_false(client, world):
    _, data = _download(client, "/api/v1/export/rti-requests.csv")
    (row,) = _rows(data)
    assert row["life_or_liberty"] == "false"
    assert row["deployment_ids"] == str(world.lucknow.id)


def test_geojson_export_is_read_by_gdal(client, world, tmp_path):
    response, data = _download(client, "/api/v1/export/deployments.geojson")
    assert response["Content-Type"] == "application/geo+json"
    path = tmp_path / "deployments.geojson"
    path.write_bytes(data)
    summary = _ogrinfo(path, "-so")
    assert "Feature Count: 3" in summary  # the national one has no location
    assert "Point" in summary
    full = _ogrinfo(path)
    assert "POINT (72.88 19.08)" in full  # longitude first
    assert "POINT (80.95 26.85)" in full
    assert "title (String) = Number plate readers in Mumbai" in full


def test_geojson_export_honours_filters(client, world, tmp_path):
    _, data = _download(client, "/api/v1/export/deployments.geojson?in_bbox=72,18,74,20")
    path = tmp_path / "mumbai.geojson"
    path.write_bytes(data)
    assert "Feature Count: 1" in _ogrinfo(path, "-so")
    assert [f["id"] for f in json.loads(data)["features"]] == [world.mumbai.id]


def test_empty_geojson_export_is_still_valid(client, world):
    _, data = _download(client, "/api/v1/export/hotspots.geojson?state=IN-KL")
    assert json.loads(data) == {"type": "FeatureCollection", "features": []}


def test_export_dataset_writes_files_and_a_data_package(world, tmp_path):
    call_command("export_dataset", str(tmp_path / "out"), stdout=io.StringIO())
    out = tmp_path / "out"
    package = json.loads((out / "datapackage.json").read_text())
    paths = {r["path"] for r in package["resources"]}
    assert paths == {
        "deployments.csv", "deployments.geojson", "agencies.csv", "agencies.geojson",
        "hotspots.csv", "hotspots.geojson", "rti-requests.csv", "sources.csv",
    }  # fmt: skip
    for resource in package["resources"]:
        for field in resource["schema"]["fields"]:
            assert field["type"] in {"integer", "number", "string", "date", "datetime", "boolean"}
            assert field["description"]
        if resource["format"] == "csv":
            with (out / resource["path"]).open(newline="") as handle:
                header = next(csv.reader(handle))
            assert header == [f["name"] for f in resource["schema"]["fields"]]
    rows = _rows((out / "deployments.csv").read_bytes())
    assert len(rows) == 4
    assert "Feature Count: 3" in _ogrinfo(out / "deployments.geojson", "-so")
    assert not list(out.glob("*.partial"))


def test_export_dataset_refuses_a_file_as_directory(world, tmp_path):
    not_a_dir = tmp_path / "file.txt"
    not_a_dir.write_text("keep me")
    with pytest.raises(CommandError, match="not a directory"):
        call_command("export_dataset", str(not_a_dir))
    assert not_a_dir.read_text() == "keep me"


def test_a_long_export_streams_in_blocks_and_keeps_every_character(client, world):
    """More than one COPY block, features whose text holds line breaks, the separators COPY
    is told to use, quotes and backslashes: every feature arrives whole and exact."""
    from tests.factories import DeploymentFactory

    awkward = 'line one\nline two\r\x1e\x1f "quoted" \\ back\\slash ,;'
    DeploymentFactory.create_batch(400, summary=awkward * 20)
    response, data = _download(client, "/api/v1/export/deployments.geojson")
    assert len(data) > 2 * 256 * 1024
    chunks = list(client.get("/api/v1/export/deployments.geojson").streaming_content)
    assert 3 <= len(chunks) < 20  # blocks, not one write per feature
    features = json.loads(data)["features"]
    assert len(features) == 400 + 3  # and the world's published, located deployments
    assert sum(f["properties"]["summary"] == awkward * 20 for f in features) == 400
    assert len({f["id"] for f in features}) == len(features)
