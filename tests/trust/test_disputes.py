"""Readers dispute a claim: signed in or anonymous, within limits; moderators decide, and the
outcome is public on the entry's history, with no reader's e-mail or address anywhere."""

import re

import pytest
from django.urls import reverse

from tests.factories import DeploymentFactory, HotspotFactory
from tests.support.people import signed_in
from tracker.catalogue.links import detail_url
from tracker.models import Claim, Dispute, Publication

pytestmark = pytest.mark.django_db


def report_url(entry, kind="deployment"):
    return reverse("moderation:dispute-new", args=[kind, entry.pk])


def report(client, entry, **data):
    return client.post(report_url(entry), {"claim": "", "source_url": "", "fax_number": "", **data})


def test_an_anonymous_reader_disputes_a_claim(client):
    deployment = DeploymentFactory(title="Station cameras")
    page = client.get(detail_url(deployment)).content.decode()
    assert report_url(deployment) in page
    form = client.get(report_url(deployment), {"claim": "cost"}).content.decode()
    assert '<option value="cost" selected>' in form
    response = report(
        client,
        deployment,
        claim="cost",
        reason="The tender says Rs 2 crore, not 20.",
        source_url="https://tenders.example.gov/t1?utm_source=x",
    )
    assert response.status_code == 302
    assert "Thank you" in client.get(response["Location"]).content.decode()
    dispute = Dispute.objects.get()
    assert (dispute.entity_type, dispute.entity_id, dispute.claim) == (
        "deployment",
        deployment.pk,
        "cost",
    )
    assert dispute.reader is None and dispute.source_url == "https://tenders.example.gov/t1"
    assert dispute.status == Dispute.Status.OPEN


CLAIM_ROWS = {
    "Technology": "technology",
    "Status": "status",
    "Announced": "dates",
    "Tender published": "dates",
    "In use since": "dates",
    "Last reported use": "dates",
    "Place": "location",
    "Number of cameras": "camera_count",
    "Cost": "cost",
    "Vendors": "vendors",
    "Legal basis": "legal_basis",
    "Data retention": "data_retention",
    "Accuracy claims": "accuracy_claims",
}


def test_each_claim_row_has_its_own_dispute_link_naming_the_claim(client):
    deployment = DeploymentFactory(title="Station cameras")
    page = client.get(detail_url(deployment)).content.decode()
    for label, claim in CLAIM_ROWS.items():
        row = re.search(rf"<dt>{label}</dt><dd>(.*?)</dd>", page, re.S).group(1)
        link = re.search(r'<a class="dispute-claim" href="([^"]+)">(.*?)</a>', row, re.S)
        assert link, label
        assert link.group(1) == f"{report_url(deployment)}?claim={claim}"
        # Screen readers hear which claim: "Dispute this (claim: Cost)".
        name = re.sub(r"<[^>]+>", "", link.group(2))
        assert name == f"Dispute this (claim: {Claim(claim).label})"
        form = client.get(link.group(1)).content.decode()
        assert f'<option value="{claim}" selected>' in form
    # Rows that are no claim have none; the entry-level link stays.
    partners = re.search(r"<dt>Partner agencies</dt><dd>(.*?)</dd>", page, re.S).group(1)
    assert "dispute-claim" not in partners
    assert f'<a href="{report_url(deployment)}">Report something wrong</a>' in page


def test_a_signed_in_reader_is_recorded_for_moderators_only(volunteer, moderator):
    hotspot = HotspotFactory()
    signed_in(volunteer).post(
        report_url(hotspot, "hotspot"), {"claim": "", "reason": "It closed in 2022."}
    )
    dispute = Dispute.objects.get()
    assert dispute.reader == volunteer
    review = signed_in(moderator).get(reverse("moderation:dispute-review", args=[dispute.pk]))
    text = review.content.decode()
    assert "Ravi K" in text and "ravi.private@example.org" not in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": ""}, "Say why it is wrong."),
        ({"reason": "   "}, "Say why it is wrong."),
        ({"reason": "x" * 5001}, "Keep it under 5000 characters (it has 5001)."),
        ({"reason": "Wrong", "source_url": "javascript:alert(1)"}, "Enter a valid URL."),
        ({"reason": "Wrong", "claim": "colour"}, "Select a valid choice."),
        ({"reason": "Wrong", "fax_number": "spam.example"}, "This form could not be accepted."),
    ],
)
def test_bad_input_is_a_clear_error_and_nothing_is_stored(client, data, message):
    deployment = DeploymentFactory()
    response = report(client, deployment, **data)
    assert response.status_code in (200, 400)
    text = response.content.decode()
    assert message in text and "There is a problem" in text
    assert not Dispute.objects.exists()


def test_no_dispute_on_an_entry_that_is_not_published(client):
    draft = DeploymentFactory(publication=Publication.DRAFT)
    assert client.get(report_url(draft)).status_code == 404
    assert report(client, draft, reason="Wrong").status_code == 404
    assert client.get(reverse("moderation:dispute-new", args=["planet", 1])).status_code == 404
    assert not Dispute.objects.exists()


def test_a_flood_of_anonymous_disputes_hits_the_limit(client, settings):
    settings.DISPUTE_RATE_CLIENT = "2/3600"
    deployment = DeploymentFactory()
    for _ in range(2):
        assert report(client, deployment, reason="Wrong").status_code == 302
    response = report(client, deployment, reason="Wrong again")
    assert "Many reports were sent from your connection recently" in response.content.decode()
    assert Dispute.objects.count() == 2


def test_the_outcome_is_public_on_the_entry_history(client, moderator, volunteer):
    deployment = DeploymentFactory(title="Station cameras")
    signed_in(volunteer).post(
        report_url(deployment), {"claim": "cost", "reason": "A private reason, with my number."}
    )
    report(client, deployment, reason="It is a pilot, not in use.")
    upheld, dismissed = Dispute.objects.order_by("id")
    staff = signed_in(moderator)
    queue = staff.get(reverse("moderation:queue")).content.decode()
    assert "Disputes (2)" in queue and "Cost" in queue

    empty = staff.post(reverse("moderation:dispute-review", args=[upheld.pk]), {"note": ""})
    assert "Choose an outcome: upheld or dismissed." in empty.content.decode()
    staff.post(
        reverse("moderation:dispute-review", args=[upheld.pk]),
        {"outcome": "upheld", "note": "The cost is corrected to Rs 2 crore."},
    )
    staff.post(
        reverse("moderation:dispute-review", args=[dismissed.pk]),
        {"outcome": "dismissed", "note": "The latest report says it is in use."},
    )
    again = staff.post(
        reverse("moderation:dispute-review", args=[dismissed.pk]),
        {"outcome": "upheld", "note": "Changed my mind."},
    )
    assert "already been decided" in again.content.decode()

    page = client.get(detail_url(deployment)).content.decode()
    assert "A reader disputed the claim “Cost”: <strong>upheld</strong>" in page
    assert "(The cost is corrected to Rs 2 crore.)" in page
    assert "A reader disputed the entry: <strong>dismissed</strong>" in page
    assert "by Asha Moderator" in page
    for private in ("Ravi", "ravi.private", "A private reason", "Changed my mind"):
        assert private not in page
