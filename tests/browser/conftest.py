"""Playwright driving Debian's Chromium against pytest-django's live server."""

import pytest

from tests.factories import AgencyFactory, CitationFactory, DeploymentFactory, HotspotFactory
from tracker.models import Publication

# (title, state, city, lon, lat, technology, status)
DEMO_DEPLOYMENTS = [
    (
        "Lucknow Safe City face recognition",
        "IN-UP",
        "Lucknow",
        80.95,
        26.85,
        "facial_recognition",
        "in_use",
    ),
    ("Delhi Police FRS", "IN-DL", "New Delhi", 77.21, 28.61, "facial_recognition", "in_use"),
    ("Hyderabad command centre", "IN-TS", "Hyderabad", 78.47, 17.39, "video_analytics", "in_use"),
    (
        "Chennai Metro face boarding",
        "IN-TN",
        "Chennai",
        80.27,
        13.08,
        "biometric_authentication",
        "pilot",
    ),
    (
        "Bengaluru Safe City",
        "IN-KA",
        "Bengaluru",
        77.59,
        12.97,
        "facial_recognition",
        "implementation",
    ),
    ("Mumbai CCTV analytics", "IN-MH", "Mumbai", 72.88, 19.08, "video_analytics", "in_use"),
    (
        "Kolkata airport DigiYatra",
        "IN-WB",
        "Kolkata",
        88.36,
        22.57,
        "biometric_authentication",
        "in_use",
    ),
    ("Punjab AI drones", "IN-PB", "Amritsar", 74.87, 31.63, "drone_surveillance", "announced"),
]


@pytest.fixture
def demo_site(transactional_db, live_server):
    """Published demo deployments in eight states, a hotspot, and a draft that must not show."""
    from django.contrib.gis.geos import Point

    created = []
    for title, state, city, lon, lat, technology, status in DEMO_DEPLOYMENTS:
        agency = AgencyFactory(name=f"{city} Police", state_id=state, city=city)
        deployment = DeploymentFactory(
            title=title,
            lead_agency=agency,
            state_id=state,
            city=city,
            location=Point(lon, lat, srid=4326),
            technology=technology,
            status=status,
        )
        created.append(deployment)
    CitationFactory(deployment=created[0])
    HotspotFactory(name="Hazratganj market", location=Point(80.94, 26.85, srid=4326))
    DeploymentFactory(
        title="Unpublished draft system",
        publication=Publication.DRAFT,
        location=Point(85.0, 25.0, srid=4326),
        state_id="IN-BR",
    )
    return {"url": live_server.url, "deployments": created}
