"""Each list's filters and full-text search return the right rows, with facet counts."""

import re

import pytest

from tests.factories import AgencyFactory, DeploymentFactory, HotspotFactory, RTIRequestFactory
from tests.support.pages import row_titles


def test_deployment_filters_and_search(client, site_data):
    assert sorted(row_titles(client.get("/deployments/"))) == [
        "Delhi Police FRS",
        "Orphan cameras",
        "Safe City face recognition",
    ]
    assert row_titles(client.get("/deployments/?state=IN-DL")) == ["Delhi Police FRS"]
    assert row_titles(client.get("/deployments/?technology=video_analytics")) == [
        "Delhi Police FRS"
    ]
    assert row_titles(client.get("/deployments/?status=pilot")) == ["Delhi Police FRS"]
    assert row_titles(client.get("/deployments/?year=2021")) == ["Safe City face recognition"]
    agency = site_data["agencies"][0]
    assert row_titles(client.get(f"/deployments/?agency={agency.pk}")) == [
        "Safe City face recognition"
    ]
    # Full-text search covers vendors and agencies, not only titles.
    assert row_titles(client.get("/deployments/?q=Staqu")) == ["Safe City face recognition"]
    assert row_titles(client.get("/deployments/?q=delhi")) == ["Delhi Police FRS"]
    assert row_titles(client.get("/deployments/?q=hotspots")) == ["Safe City face recognition"]
    assert row_titles(client.get("/deployments/?ordering=title")) == [
        "Delhi Police FRS",
        "Orphan cameras",
        "Safe City face recognition",
    ]


def test_deployment_facets_count_the_matching_rows(client, site_data):
    body = client.get("/deployments/").content.decode()
    assert re.search(r"Uttar Pradesh</a> \(2\)", body)
    assert re.search(r"Delhi</a> \(1\)", body)
    body = client.get("/deployments/?state=IN-UP").content.decode()
    assert re.search(r'aria-current="true">Uttar Pradesh \(2\)', body)
    assert "Delhi</a> (1)" not in body


def test_invalid_filter_value_is_a_readable_error_not_a_crash(client, site_data):
    response = client.get("/deployments/?state=XX")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Unknown state code XX" in body
    assert row_titles(response) == []
    geojson = client.get("/map/deployments.geojson?state=XX")
    assert geojson.status_code == 400
    assert "state" in geojson.json()


def test_agency_list_filters_and_search(client, site_data):
    AgencyFactory(name="Kerala Transport", kind="transport", state_id="IN-KL", city="Kochi")
    assert sorted(row_titles(client.get("/agencies/"))) == [
        "Delhi Police",
        "Kerala Transport",
        "Lucknow Police",
    ]
    assert row_titles(client.get("/agencies/?state=IN-KL")) == ["Kerala Transport"]
    assert row_titles(client.get("/agencies/?kind=transport")) == ["Kerala Transport"]
    assert row_titles(client.get("/agencies/?q=lucknow")) == ["Lucknow Police"]


def test_hotspot_list_filters_and_search(client, site_data):
    HotspotFactory(name="Connaught Place", kind="public_square", state_id="IN-DL", city="Delhi")
    assert sorted(row_titles(client.get("/hotspots/"))) == ["Connaught Place", "Hazratganj market"]
    assert row_titles(client.get("/hotspots/?state=IN-DL")) == ["Connaught Place"]
    assert row_titles(client.get("/hotspots/?kind=market")) == ["Hazratganj market"]
    assert row_titles(client.get("/hotspots/?q=hazratganj")) == ["Hazratganj market"]
    agency = site_data["agencies"][0]
    assert row_titles(client.get(f"/hotspots/?agency={agency.pk}")) == ["Hazratganj market"]


def test_rti_list_filters_and_search(client, site_data):
    delhi_police = site_data["agencies"][1]
    RTIRequestFactory(title="Delhi FRS accuracy", authority=delhi_police, outcome="refused")
    assert sorted(row_titles(client.get("/rti/"))) == [
        "Cameras at Lucknow hotspots",
        "Delhi FRS accuracy",
    ]
    assert row_titles(client.get("/rti/?outcome=refused")) == ["Delhi FRS accuracy"]
    assert row_titles(client.get("/rti/?state=IN-UP")) == ["Cameras at Lucknow hotspots"]
    assert row_titles(client.get(f"/rti/?agency={delhi_police.pk}")) == ["Delhi FRS accuracy"]
    assert row_titles(client.get("/rti/?q=accuracy")) == ["Delhi FRS accuracy"]


def test_lists_paginate(client, db):
    agency = AgencyFactory()
    DeploymentFactory.create_batch(30, lead_agency=agency)
    first = client.get("/deployments/")
    second = client.get("/deployments/?page=2")
    assert len(row_titles(first)) == 25
    assert len(row_titles(second)) == 5
    assert not set(row_titles(first)) & set(row_titles(second))
    assert client.get("/deployments/?page=3").status_code == 404


@pytest.mark.parametrize("path", ["/", "/map/panel/"])
def test_map_panel_filters_like_the_list(client, site_data, path):
    response = client.get(path, {"state": "IN-DL"})
    assert row_titles(response) == ["Delhi Police FRS"]
    assert 'data-matching-count="1"' in response.content.decode()
