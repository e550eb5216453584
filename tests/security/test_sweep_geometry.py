"""Areas drawn or typed: what the form takes, the database can store, so a moderator's
approval never fails on a shape the volunteer was told was fine."""

import pytest
from django.urls import reverse

from moderation.models import Submission
from tests.support.pages import approve
from tests.support.people import signed_in
from tracker.models import Hotspot

pytestmark = pytest.mark.django_db

AREA_WITH_HEIGHTS = (
    '{"type": "Polygon", "coordinates": [[[80.92, 26.84, 120], [80.93, 26.84, 121], '
    "[80.93, 26.85, 119.5], [80.92, 26.84, 120]]]}"
)


def test_an_area_with_heights_is_approved_as_its_outline(volunteer, moderator):
    """GeoJSON from a GPS or a drawing tool often carries a height with each point."""
    signed_in(volunteer).post(
        reverse("moderation:submit-new", args=["hotspot"]),
        {
            "name": "Aminabad market",
            "kind": "market",
            "state": "IN-UP",
            "city": "Lucknow",
            "latitude": "26.845",
            "longitude": "80.925",
            "area": AREA_WITH_HEIGHTS,
            "source_url_1": "https://news.example.org/aminabad",
            "action": "submit",
        },
    )
    approve(Submission.objects.get(), moderator)
    hotspot = Hotspot.objects.get(name="Aminabad market")
    assert not hotspot.area.hasz
    assert hotspot.area.coords[0][0][:2] == ((80.92, 26.84), (80.93, 26.84))
