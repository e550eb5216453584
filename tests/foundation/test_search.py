"""Full-text search finds published text, never the names of drafts."""

import pytest

from tests.factories import AgencyFactory, DeploymentFactory, VendorFactory
from tracker.catalogue.search import search
from tracker.models import Deployment, Publication

pytestmark = pytest.mark.django_db


def titles(q):
    return sorted(d.title for d in search(Deployment.objects.published(), q))


def test_search_covers_title_summary_agency_and_vendor():
    vendor = VendorFactory(name="Innefu Labs")
    delhi = DeploymentFactory(
        title="Delhi face search", lead_agency=AgencyFactory(name="Delhi Police")
    )
    delhi.vendors.add(vendor)
    DeploymentFactory(title="Railway cameras", summary="Stations get video analytics")
    assert titles("face") == ["Delhi face search"]
    assert titles("innefu") == ["Delhi face search"]
    assert titles("delhi police") == ["Delhi face search"]
    assert titles("station") == ["Railway cameras"]
    assert titles("nothing-like-this") == []


def test_draft_agency_names_are_not_searchable():
    secret = AgencyFactory(name="Zorblax Directorate", publication=Publication.DRAFT)
    DeploymentFactory(title="Cameras", lead_agency=secret)
    assert titles("zorblax") == []
