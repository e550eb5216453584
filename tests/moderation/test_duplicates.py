"""Which published deployments a new one may duplicate (a warning for moderators)."""

import pytest
from django.contrib.gis.geos import Point

from moderation.duplicates import deployment_duplicates
from tests.factories import AgencyFactory, DeploymentFactory
from tracker.models import Publication

pytestmark = pytest.mark.django_db

# 0.001° of latitude is about 111 m.
HERE = (80.9000, 26.8000)


def at(dlat):
    return Point(HERE[0], HERE[1] + dlat, srid=4326)


@pytest.fixture
def police():
    return AgencyFactory(name="Lucknow Police")


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        ({"point": at(0.004), "same_agency": False}, True),  # ~445 m away
        ({"point": at(0.0055), "same_agency": False}, False),  # ~610 m away
        ({"point": at(0.5), "same_agency": True}, True),  # far, same agency/technology/city
        ({"point": at(0.5), "same_agency": True, "city": "Kanpur"}, False),
        ({"point": at(0.5), "same_agency": True, "technology": "drone_surveillance"}, False),
        ({"point": at(0.001), "same_agency": True, "publication": Publication.DRAFT}, False),
    ],
)
def test_duplicates(police, existing, expected):
    DeploymentFactory(
        title="Existing",
        lead_agency=police if existing["same_agency"] else AgencyFactory(),
        city=existing.get("city", "Lucknow"),
        technology=existing.get("technology", "facial_recognition"),
        location=existing["point"],
        publication=existing.get("publication", Publication.PUBLISHED),
    )
    found = deployment_duplicates(
        lead_agency_id=police.pk,
        technology="facial_recognition",
        city="lucknow",
        point=Point(*HERE, srid=4326),
    )
    assert bool(found) is expected
