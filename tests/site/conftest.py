"""Data for the public-site tests: published entries and unpublished ones that must never show."""

from datetime import date

import pytest

from tests.factories import (
    AgencyFactory,
    CitationFactory,
    DeploymentFactory,
    HotspotFactory,
    RTIRequestFactory,
    SourceFactory,
    VendorFactory,
)
from tracker.models import Publication

# Words that appear only in unpublished entries: any page showing one leaks a draft.
SECRET_WORDS = [
    "Zanzibarqueue",
    "Quokkadraft",
    "Withdrawnwombat",
    "Hiddenheron",
    "Draftdugong",
    "Secretsalamander",
]


@pytest.fixture
def site_data(db):
    """Published entries in two states, plus drafts and withdrawn ones named with SECRET_WORDS."""
    lucknow_police = AgencyFactory(name="Lucknow Police", state_id="IN-UP", city="Lucknow")
    delhi_police = AgencyFactory(name="Delhi Police", state_id="IN-DL", city="New Delhi")
    draft_agency = AgencyFactory(
        name="Zanzibarqueue Authority", publication=Publication.DRAFT, state_id="IN-UP"
    )
    vendor = VendorFactory(name="Staqu")
    lucknow = DeploymentFactory(
        title="Safe City face recognition",
        lead_agency=lucknow_police,
        summary="Cameras at **200 hotspots** in Lucknow.",
        announced_on=date(2021, 3, 1),
        camera_count=1000,
    )
    lucknow.vendors.add(vendor)
    lucknow.partner_agencies.add(draft_agency)
    delhi = DeploymentFactory(
        title="Delhi Police FRS",
        lead_agency=delhi_police,
        state_id="IN-DL",
        city="New Delhi",
        technology="video_analytics",
        status="pilot",
        announced_on=date(2018, 5, 1),
    )
    # A published deployment whose lead agency is still a draft.
    orphan = DeploymentFactory(title="Orphan cameras", lead_agency=draft_agency)
    drafts = [
        DeploymentFactory(
            title="Quokkadraft airport boarding",
            lead_agency=lucknow_police,
            publication=Publication.DRAFT,
        ),
        DeploymentFactory(
            title="Withdrawnwombat drones",
            lead_agency=delhi_police,
            state_id="IN-DL",
            publication=Publication.WITHDRAWN,
        ),
    ]
    hotspot = HotspotFactory(name="Hazratganj market", agency=lucknow_police)
    hotspot.deployments.add(lucknow, drafts[0])
    draft_hotspot = HotspotFactory(name="Hiddenheron crossing", publication=Publication.DRAFT)
    rti = RTIRequestFactory(
        title="Cameras at Lucknow hotspots",
        authority=lucknow_police,
        received_on=date(2024, 1, 10),
    )
    rti.deployments.add(lucknow, drafts[0])
    rti.agencies.add(draft_agency)
    draft_rti = RTIRequestFactory(
        title="Draftdugong request", authority=lucknow_police, publication=Publication.DRAFT
    )
    source = SourceFactory(title="Lucknow police install face recognition", health="ok")
    CitationFactory(source=source, deployment=lucknow)
    broken = SourceFactory(title="Broken report", health="broken")
    CitationFactory(source=broken, deployment=lucknow)
    CitationFactory(source=SourceFactory(title="Secretsalamander memo"), deployment=drafts[0])
    return {
        "lucknow": lucknow,
        "delhi": delhi,
        "orphan": orphan,
        "drafts": drafts,
        "agencies": [lucknow_police, delhi_police],
        "draft_agency": draft_agency,
        "hotspot": hotspot,
        "draft_hotspot": draft_hotspot,
        "rti": rti,
        "draft_rti": draft_rti,
    }
