"""/api/v1/export/ocds.json: procurement as an OCDS 1.1 release package, valid against the
standard's own schema (vendored in fixtures/ocds-1.1), that any OCDS tool can load."""

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from tests.factories import AgencyFactory, CitationFactory, DeploymentFactory, SourceFactory
from tests.support.data import rows_copied
from tracker.exports.ocds import STAGES
from tracker.models import DeploymentStatus, SourceKind

OCDS = Path(__file__).resolve().parents[2] / "fixtures" / "ocds-1.1"
URL = "/api/v1/export/ocds.json"


def schema_validator():
    """The package schema, its reference to the release schema resolved to the local file."""
    package = json.loads((OCDS / "release-package-schema.json").read_text())
    release = json.loads((OCDS / "release-schema.json").read_text())
    registry = Registry().with_resource(
        release["id"], Resource.from_contents(release, default_specification=DRAFT4)
    )
    return Draft4Validator(
        package, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER
    )


def codelist(name):
    with (OCDS / "codelists" / f"{name}.csv").open(encoding="utf-8") as rows:
        return {row["Code"] for row in csv.DictReader(rows)}


def package(client, query=""):
    response = client.get(URL + query)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return json.loads(b"".join(response.streaming_content))


@pytest.fixture
def procurement(world):
    """The API world plus the procurement facts of a tender in Lucknow."""
    world.lucknow_police.wikidata_id = "Q1234567"
    world.lucknow_police.website = "https://police.example.org/"
    world.lucknow_police.save()
    world.staqu.wikidata_id = "Q7654321"
    world.staqu.country = "India"
    world.staqu.save()
    world.lucknow.tender_published_on = date(2018, 11, 5)
    world.lucknow.cost_inr = 45_000_000
    world.lucknow.cost_covers = "Cameras and software for five years"
    world.lucknow.funding_source = "Nirbhaya Fund"
    world.lucknow.in_use_since = date(2019, 6, 1)
    world.lucknow.save()
    world.tender_notice = SourceFactory(
        url="https://tenders.example.org/lucknow", title="Tender notice", kind=SourceKind.TENDER
    )
    CitationFactory(source=world.tender_notice, deployment=world.lucknow)
    return world


def releases_by_title(doc):
    return {r["tender"]["title"]: r for r in doc["releases"]}


def test_the_package_is_valid_ocds_1_1(client, procurement):
    doc = package(client)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in schema_validator().iter_errors(doc)]
    assert errors == []
    assert doc["version"] == "1.1"
    assert doc["publisher"]["name"] == "Panoptic Tracker"
    assert doc["uri"] == "http://testserver" + URL


def test_every_code_used_comes_from_the_standard_codelists(client, procurement):
    doc = package(client)
    for release in doc["releases"]:
        assert set(release["tag"]) <= codelist("releaseTag")
        for party in release.get("parties", []):
            assert set(party["roles"]) <= codelist("partyRole")
        if "status" in release["tender"]:
            assert release["tender"]["status"] in codelist("tenderStatus")
        for award in release.get("awards", []):
            assert award["status"] in codelist("awardStatus")
        for contract in release.get("contracts", []):
            assert contract["status"] in codelist("contractStatus")
        for document in release["tender"].get("documents", []):
            assert document.get("documentType", "tenderNotice") in codelist("documentType")


def test_buyer_suppliers_value_funding_dates_and_documents(client, procurement, settings):
    settings.OCDS_PREFIX = "ocds-abc123"
    w = procurement
    release = releases_by_title(package(client))[w.lucknow.title]

    assert release["ocid"] == f"ocds-abc123-{w.lucknow.pk}"
    assert release["id"].startswith(f"ocds-abc123-{w.lucknow.pk}-")
    parties = {party["id"]: party for party in release["parties"]}
    buyer = parties[f"agency-{w.lucknow_police.pk}"]
    assert release["buyer"] == {"id": buyer["id"], "name": "Lucknow Police"}
    assert buyer["roles"] == ["buyer"]
    assert buyer["identifier"] == {
        "scheme": "XI-WIKIDATA",
        "id": "Q1234567",
        "uri": "https://www.wikidata.org/wiki/Q1234567",
    }
    assert buyer["contactPoint"] == {"url": "https://police.example.org/"}
    supplier = parties[f"vendor-{w.staqu.pk}"]
    assert supplier["roles"] == ["supplier"]
    assert supplier["identifier"]["id"] == "Q7654321"
    assert supplier["address"] == {"countryName": "India"}

    tender = release["tender"]
    assert tender["value"] == {"amount": 45_000_000, "currency": "INR"}
    assert tender["tenderPeriod"] == {"startDate": "2018-11-05T00:00:00+05:30"}
    assert tender["description"] == "Cameras and software for five years"
    assert release["planning"] == {"budget": {"description": "Nirbhaya Fund"}}
    documents = {d["url"]: d for d in tender["documents"]}
    assert documents["https://tenders.example.org/lucknow"]["documentType"] == "tenderNotice"
    assert "documentType" not in documents["https://news.example.org/lucknow"]

    # In use: tender complete, award and contract active, the vendors as suppliers.
    assert release["tag"] == ["implementation"]
    assert tender["status"] == "complete"
    [award] = release["awards"]
    assert award["status"] == "active"
    assert award["suppliers"] == [{"id": supplier["id"], "name": "Staqu"}]
    assert award["value"] == tender["value"]
    [contract] = release["contracts"]
    assert (contract["status"], contract["awardID"]) == ("active", award["id"])
    assert contract["period"] == {"startDate": "2019-06-01T00:00:00+05:30"}


@pytest.mark.parametrize("status", DeploymentStatus.values)
def test_each_status_maps_onto_the_stages(client, db, status):
    DeploymentFactory(title="Cameras", status=status, cost_inr=1000)
    [release] = package(client)["releases"]
    stage = STAGES[status]
    assert release["tag"] == [stage.tag]
    assert release["tender"].get("status") == stage.tender
    assert [a["status"] for a in release.get("awards", [])] == [stage.award] * bool(stage.award)
    assert [c["status"] for c in release.get("contracts", [])] == (
        [stage.contract] * bool(stage.contract)
    )
    assert list(schema_validator().iter_errors(package(client))) == []


def test_only_published_deployments_with_procurement_facts_are_released(client, procurement):
    w = procurement
    titles = set(releases_by_title(package(client)))
    # Delhi is only announced, with no cost, vendor or tender: nothing to say about buying it.
    assert titles == {w.lucknow.title, w.mumbai.title, w.national.title}


def test_an_unpublished_lead_agency_is_no_buyer(client, procurement):
    w = procurement
    release = releases_by_title(package(client))[w.national.title]
    assert "buyer" not in release
    assert "Secret Draft Agency" not in json.dumps(package(client))


def test_filters_apply_and_bad_ones_are_a_400_naming_the_parameter(client, procurement):
    w = procurement
    assert set(releases_by_title(package(client, "?state=IN-MH"))) == {w.mumbai.title}
    response = client.get(URL + "?status=nonsense")
    assert response.status_code == 400
    assert "status" in response.json()


def test_published_date_is_the_last_change_of_what_it_holds(client, procurement):
    doc = package(client, "?state=IN-MH")
    assert doc["publishedDate"] == "2024-06-01T00:00:00Z"


def test_a_package_of_many_releases_is_streamed_whole(client, db):
    agency = AgencyFactory(name="Delhi Police", wikidata_id="Q42")
    # More than one fetch of the server-side cursor: one deployment through the ORM, then
    # 2,099 copies of it in one statement.
    first = DeploymentFactory(lead_agency=agency, cost_inr=10, slug="bulk-0")
    rows_copied(first, 2_099, title="'Bulk system ' || n", slug="'bulk-' || n")
    doc = package(client)
    assert len(doc["releases"]) == 2100
    assert len({r["ocid"] for r in doc["releases"]}) == 2100
