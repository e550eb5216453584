"""The number of SQL queries per page does not grow with the number of rows shown."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.factories import (
    AgencyFactory,
    CitationFactory,
    DeploymentFactory,
    HotspotFactory,
    RTIRequestFactory,
    VendorFactory,
)
from tracker.catalogue.links import detail_url


def queries_for(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


def warmed(client, path):
    """Ask for ``path`` once, uncounted, then empty the cache again: what a process builds
    on its first request of a kind (the gazetteer a search reads, a connection's prepared
    query) is not counted against the page's first measurement, whichever tests the
    process ran before; the cached figures are computed again, as in a fresh test."""
    client.get(path)
    cache.clear()


def add_rows(n, agency):
    vendor = VendorFactory()
    for _ in range(n):
        deployment = DeploymentFactory(lead_agency=agency)
        deployment.vendors.add(vendor)
        deployment.partner_agencies.add(AgencyFactory())
        CitationFactory(deployment=deployment)
        hotspot = HotspotFactory(agency=agency)
        hotspot.deployments.add(deployment)
        request = RTIRequestFactory(authority=agency)
        request.deployments.add(deployment)


LIST_PAGES = [
    "/",
    "/map/panel/",
    "/map/deployments.geojson",
    "/map/hotspots.geojson",
    "/deployments/",
    "/deployments/?q=cameras",
    "/agencies/",
    "/hotspots/",
    "/rti/",
    "/states/",
    "/states/in-up/",
    "/stats/",
    "/changes/",
    "/feeds/deployments/",
    "/sitemap.xml",
]


@pytest.mark.parametrize("path", LIST_PAGES)
def test_list_pages_use_a_constant_number_of_queries(client, db, path):
    agency = AgencyFactory()
    add_rows(2, agency)
    warmed(client, path)
    few = queries_for(client, path)
    add_rows(12, agency)
    many = queries_for(client, path)
    assert many == few, f"{path}: {few} queries with 2 rows, {many} with 14"


def test_detail_pages_use_a_constant_number_of_queries(client, db):
    agency = AgencyFactory()
    add_rows(2, agency)
    with translation.override("en"):
        path = detail_url(agency)
    warmed(client, path)
    few = queries_for(client, path)
    add_rows(12, agency)
    assert queries_for(client, path) == few

    deployment = DeploymentFactory(lead_agency=agency)
    CitationFactory(deployment=deployment)  # its evidence is read once, whatever the sources
    with translation.override("en"):
        path = detail_url(deployment)
    warmed(client, path)
    few = queries_for(client, path)
    for _ in range(8):
        CitationFactory(deployment=deployment)
        deployment.partner_agencies.add(AgencyFactory())
        deployment.vendors.add(VendorFactory())
        deployment.title += "!"
        deployment.save()
    assert queries_for(client, path) == few
