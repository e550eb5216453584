"""The claim-to-source links in the API and every export, documented in the data
dictionary, and the whole data package valid for Frictionless."""

import csv
import io
import json

import pytest
from django.core.management import call_command

from tests.factories import CitationFactory, DeploymentFactory
from tracker.models import Deployment, Evidence, Publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence_world():
    confirmed = DeploymentFactory(title="Tendered cameras", cost_inr=5000)
    tender = CitationFactory(
        deployment=confirmed,
        source__url="https://tenders.example.gov/t1",
        source__kind="tender",
        source__publisher="",
    )
    news = CitationFactory(deployment=confirmed, source__url="https://news.example.org/n1")
    Evidence.objects.create(citation=tender, claim="cost", quote="=SUM(A1) Rs 50 lakh", page="4")
    Evidence.objects.create(citation=news, claim="status", quote="in use since May")
    reported = DeploymentFactory(title="Reported cameras")
    CitationFactory(deployment=reported, source__url="https://news.example.org/n2")
    draft = DeploymentFactory(title="Draft cameras", publication=Publication.DRAFT)
    hidden = CitationFactory(deployment=draft, source__url="https://news.example.org/hidden")
    Evidence.objects.create(citation=hidden, claim="vendors", quote="secret draft quote")
    return {"confirmed": confirmed, "reported": reported, "tender": tender, "news": news}


def _csv(content):
    return list(csv.DictReader(io.StringIO(content.decode())))


def test_the_evidence_export_and_the_data_package_validate(evidence_world, tmp_path):
    from frictionless import validate

    call_command("export_dataset", str(tmp_path), stdout=io.StringIO())
    package = json.loads((tmp_path / "datapackage.json").read_text())
    evidence = next(r for r in package["resources"] if r["path"] == "evidence.csv")
    names = [f["name"] for f in evidence["schema"]["fields"]]
    assert names == [
        "id",
        "deployment_id",
        "claim",
        "source_id",
        "source_url",
        "source_kind",
        "quote",
        "page",
        "claim_level",
        "created_at",
    ]
    assert all(f["description"] for f in evidence["schema"]["fields"])
    rows = list(csv.DictReader((tmp_path / "evidence.csv").open()))
    by_claim = {row["claim"]: row for row in rows}
    assert set(by_claim) == {"cost", "status"}  # the draft's evidence is not public
    assert by_claim["cost"]["claim_level"] == "confirmed"
    assert by_claim["cost"]["page"] == "4"
    assert by_claim["cost"]["quote"] == "'=SUM(A1) Rs 50 lakh"  # never a formula
    assert by_claim["status"]["claim_level"] == "reported"
    assert by_claim["status"]["source_url"] == "https://news.example.org/n1"
    deployments = {r["title"]: r for r in csv.DictReader((tmp_path / "deployments.csv").open())}
    assert deployments["Tendered cameras"]["confidence"] == "confirmed"
    tender, news = evidence_world["tender"].source_id, evidence_world["news"].source_id
    assert deployments["Tendered cameras"]["evidence"] == f"cost:{tender};status:{news}"
    assert deployments["Reported cameras"]["evidence"] == ""
    assert deployments["Reported cameras"]["confidence"] == "reported"

    geojson = json.loads((tmp_path / "deployments.geojson").read_text())
    tendered = next(
        f for f in geojson["features"] if f["properties"]["title"] == "Tendered cameras"
    )
    assert tendered["properties"]["evidence"] == f"cost:{tender};status:{news}"

    tabular = {
        **package,
        "resources": [r for r in package["resources"] if r["format"] == "csv"],
    }
    (tmp_path / "tabular.json").write_text(json.dumps(tabular))
    report = validate(str(tmp_path / "tabular.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_the_api_carries_evidence_and_each_claims_level(client, evidence_world):
    confirmed = evidence_world["confirmed"]
    body = client.get(f"/api/v1/deployments/{confirmed.pk}/").json()
    assert body["confidence"] == "confirmed"
    assert body["claims"]["cost"] == "confirmed" and body["claims"]["vendors"] == "unverified"
    by_url = {c["source"]["url"]: c for c in body["citations"]}
    assert by_url["https://tenders.example.gov/t1"]["evidence"] == [
        {"claim": "cost", "quote": "=SUM(A1) Rs 50 lakh", "page": "4"}
    ]
    page = client.get("/api/v1/deployments/", {"confidence": "reported"}).json()
    assert [row["title"] for row in page["results"]] == ["Reported cameras"]
    assert page["results"][0]["claims"]["status"] == "unverified"
    wrong = client.get("/api/v1/deployments/", {"confidence": "sure"})
    assert wrong.status_code == 400 and "confidence" in wrong.json()

    export = client.get("/api/v1/export/evidence.csv", {"claim": "cost"})
    rows = _csv(b"".join(export.streaming_content))
    assert [row["claim"] for row in rows] == ["cost"]


def test_lists_and_the_map_filter_by_level(client, evidence_world):
    listing = client.get("/deployments/", {"confidence": "confirmed"}).content.decode()
    assert "Tendered cameras" in listing and "Reported cameras" not in listing
    assert '<span class="level level-confirmed">Confirmed</span>' in listing
    layer = client.get(
        "/map/deployments.geojson", {"confidence": "reported", "zoom": 12, "bbox": "80,26,81,27"}
    )
    features = json.loads(layer.content)["features"]
    assert [f["properties"]["title"] for f in features] == ["Reported cameras"]
    assert features[0]["properties"]["level_label"] == "Reported"
    assert features[0]["properties"]["stale"] is False
    Deployment.objects.filter(pk=evidence_world["reported"].pk).update(
        last_verified_on="2001-01-01"
    )
    from tracker.catalogue.datacache import data_changed

    data_changed()
    layer = client.get(
        "/map/deployments.geojson", {"confidence": "reported", "zoom": 12, "bbox": "80,26,81,27"}
    )
    assert json.loads(layer.content)["features"][0]["properties"]["stale"] is True
