"""A campaign's zip is one request for as many letters as the campaign has authorities (up
to 500 PDFs for a worker to lay out): each letter counts against the client's hour, so
one anonymous POST cannot cost hundreds of letters' CPU while counting as one."""

import pytest

from tests.factories import AgencyFactory
from tests.support.people import signed_in
from tracker.models import RTICampaign

pytestmark = pytest.mark.django_db


def _campaign_of_three(moderator):
    for n in range(3):
        AgencyFactory(name=f"UP District Police {n}", state_id="IN-UP", level="district")
    signed_in(moderator).post(
        "/moderation/rti/campaigns/new/",
        {"title": "Cameras in UP", "application_text": "Where are they?", "state": "IN-UP"},
    )
    return RTICampaign.objects.get()


def _ask(client, campaign):
    return client.post(
        f"/rti/campaigns/{campaign.pk}/letters/", {"kind": "application", "language": "en"}
    )


def test_each_letter_of_a_campaigns_zip_counts_against_the_hour(moderator, client, settings):
    campaign = _campaign_of_three(moderator)
    settings.RTI_LETTERS_PER_HOUR = 5

    def ask():
        return _ask(client, campaign)

    assert ask().status_code == 302  # 3 letters
    again = ask()  # 6 letters: past the 5 of the hour
    assert again.status_code == 429
    assert "Too many letters" in again.content.decode()


def test_a_campaign_larger_than_the_hour_is_still_one_zip_an_hour(moderator, client, settings):
    campaign = _campaign_of_three(moderator)
    settings.RTI_LETTERS_PER_HOUR = 2

    assert _ask(client, campaign).status_code == 302  # 3 letters, the first of the hour
    again = _ask(client, campaign)
    assert again.status_code == 429
    assert "Too many letters" in again.content.decode()
