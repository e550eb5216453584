"""Shared data for the API tests: a few published deployments across states,
plus drafts and withdrawn rows that must never appear."""

from datetime import UTC, date, datetime

import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.factories import (
    AgencyFactory,
    CitationFactory,
    DeploymentFactory,
    HotspotFactory,
    RTIRequestFactory,
    SourceFactory,
    VendorFactory,
)
from tracker.models import Deployment, Publication


@pytest.fixture(autouse=True)
def generous_throttle(settings):
    """Tests make many requests; throttling itself is tested with its own rates."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"},
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client():
    return APIClient()


class World:
    """Named rows, so tests read like the facts they check."""


@pytest.fixture
def world(db):
    w = World()
    w.lucknow_police = AgencyFactory(name="Lucknow Police", slug="lucknow-police", state_id="IN-UP")
    w.mumbai_police = AgencyFactory(
        name="Mumbai Police", slug="mumbai-police", state_id="IN-MH", city="Mumbai"
    )
    w.draft_agency = AgencyFactory(
        name="Secret Draft Agency", slug="secret-draft", publication=Publication.DRAFT
    )
    w.staqu = VendorFactory(name="Staqu")
    w.nec = VendorFactory(name="NEC")

    w.lucknow = DeploymentFactory(
        title="Face recognition at Lucknow markets",
        lead_agency=w.lucknow_police,
        technology="facial_recognition",
        status="in_use",
        purpose_class="surveillance",
        purpose_tags=["womens_safety"],
        state_id="IN-UP",
        city="Lucknow",
        location=Point(80.95, 26.85, srid=4326),
        announced_on=date(2019, 6, 1),
        camera_count=200,
    )
    w.lucknow.vendors.add(w.staqu)
    w.mumbai = DeploymentFactory(
        title="Number plate readers in Mumbai",
        lead_agency=w.mumbai_police,
        technology="plate_recognition",
        status="pilot",
        purpose_class="surveillance",
        purpose_tags=["traffic_enforcement", "crowd_monitoring"],
        state_id="IN-MH",
        city="Mumbai",
        location=Point(72.88, 19.08, srid=4326),
        announced_on=date(2021, 3, 1),
        camera_count=50,
    )
    w.mumbai.partner_agencies.add(w.lucknow_police, w.draft_agency)
    w.mumbai.vendors.add(w.nec, w.staqu)
    w.delhi = DeploymentFactory(
        title="School attendance by face in Delhi",
        lead_agency=w.mumbai_police,
        technology="biometric_authentication",
        status="announced",
        purpose_class="authentication",
        purpose_tags=["attendance"],
        state_id="IN-DL",
        city="Delhi",
        location=Point(77.2, 28.6, srid=4326),
        announced_on=date(2023, 1, 10),
    )
    w.national = DeploymentFactory(
        title="National automated facial recognition system",
        lead_agency=w.draft_agency,
        technology="facial_recognition",
        status="tender",
        purpose_class="surveillance",
        state_id=None,
        city="",
        location=None,
        announced_on=date(2019, 7, 1),
    )
    w.draft = DeploymentFactory(
        title="Draft face cameras in Lucknow",
        lead_agency=w.lucknow_police,
        publication=Publication.DRAFT,
        location=Point(80.9, 26.8, srid=4326),
    )
    w.withdrawn = DeploymentFactory(
        title="Withdrawn face cameras in Lucknow",
        lead_agency=w.lucknow_police,
        publication=Publication.WITHDRAWN,
        location=Point(80.9, 26.8, srid=4326),
    )
    w.published = [w.lucknow, w.mumbai, w.delhi, w.national]
    w.news = SourceFactory(url="https://news.example.org/lucknow", title="Lucknow story")
    w.hidden_source = SourceFactory(url="https://news.example.org/draft", title="Draft-only story")
    CitationFactory(source=w.news, deployment=w.lucknow, claim="It exists.")
    CitationFactory(source=w.news, deployment=w.mumbai)
    CitationFactory(source=w.hidden_source, deployment=w.draft)
    # Citing a source counts as a change of the entry: the stamps come after.
    stamps = {
        w.lucknow: datetime(2024, 1, 1, tzinfo=UTC),
        w.mumbai: datetime(2024, 6, 1, tzinfo=UTC),
        w.delhi: datetime(2025, 1, 1, tzinfo=UTC),
        w.national: datetime(2023, 1, 1, tzinfo=UTC),
    }
    for deployment, stamp in stamps.items():
        Deployment.objects.filter(pk=deployment.pk).update(updated_at=stamp)

    w.market = HotspotFactory(
        name="Aminabad market", agency=w.lucknow_police, location=Point(80.93, 26.85, srid=4326)
    )
    w.market.deployments.add(w.lucknow, w.draft)
    w.draft_hotspot = HotspotFactory(name="Draft hotspot", publication=Publication.DRAFT)
    w.rti = RTIRequestFactory(
        title="Cameras at Lucknow hotspots", authority=w.lucknow_police, status="filed"
    )
    w.rti.deployments.add(w.lucknow, w.draft)
    w.draft_rti = RTIRequestFactory(title="Draft RTI", publication=Publication.DRAFT)
    return w


def ids(response):
    """Ids of a JSON list page, in order."""
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]
