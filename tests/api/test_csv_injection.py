"""CSV exports never hand a spreadsheet a formula: text cells starting with =, +, -, @, tab or
carriage return get a leading apostrophe; numbers and coordinates stay as they are."""

import csv
import io

import pytest
from django.contrib.gis.geos import Point

from tests import factories as make

FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


def _export(client, name):
    response = client.get(f"/api/v1/export/{name}.csv")
    assert response.status_code == 200
    data = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(data, newline="")))


@pytest.fixture
def formulas(db):
    made = []
    for formula in FORMULAS:
        agency = make.AgencyFactory(
            name=formula, short_name="-x", location=Point(-0.12, -51.5, srid=4326)
        )
        deployment = make.DeploymentFactory(
            title=formula,
            lead_agency=agency,
            summary=formula,
            location=Point(-3.5, -12.25, srid=4326),
            cost_inr=5,
        )
        deployment.vendors.add(make.VendorFactory(name=f"{formula} vendor"))
        make.HotspotFactory(name=formula, notes=formula, agency=agency)
        rti = make.RTIRequestFactory(title=formula, authority=agency, filed_by=formula)
        source = make.SourceFactory(title=formula, publisher=formula)
        make.CitationFactory(source=source, deployment=deployment)
        make.CitationFactory(source=source, deployment=None, rti_request=rti)
        made.append(deployment)
    return made


@pytest.mark.parametrize(
    ("name", "columns"),
    [
        ("deployments", ["title", "summary", "lead_agency_name", "vendor_names"]),
        ("agencies", ["name", "short_name"]),
        ("hotspots", ["name", "notes", "agency_name"]),
        ("rti-requests", ["title", "filed_by", "authority_name"]),
        ("sources", ["title", "publisher"]),
    ],
)
def test_text_cells_that_start_a_formula_are_neutralised(client, formulas, name, columns):
    rows = _export(client, name)
    assert rows
    for row in rows:
        for column in columns:
            value = row[column]
            assert value[:1] not in ("=", "+", "-", "@", "\t", "\r"), (column, value)
    shown = {row[columns[0]] for row in rows}
    assert {"'" + formula for formula in FORMULAS} <= shown  # the text itself is kept


def test_numbers_and_coordinates_are_untouched(client, formulas):
    deployment = next(r for r in _export(client, "deployments") if r["id"] == str(formulas[0].pk))
    assert (deployment["longitude"], deployment["latitude"]) == ("-3.5", "-12.25")
    assert deployment["cost_inr"] == "5"
    agency = next(r for r in _export(client, "agencies") if r["name"] == "'-2+3")
    assert (agency["longitude"], agency["latitude"]) == ("-0.12", "-51.5")


def test_plain_text_and_the_json_answers_are_unchanged(client, formulas):
    make.DeploymentFactory(title="Safe City, phase 2")
    titles = {row["title"] for row in _export(client, "deployments")}
    assert "Safe City, phase 2" in titles
    api_titles = {row["title"] for row in client.get("/api/v1/deployments/").json()["results"]}
    assert set(FORMULAS) <= api_titles  # JSON is data, not a spreadsheet: shown as entered
