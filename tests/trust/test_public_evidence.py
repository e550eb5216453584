"""What a reader sees: a numbered note on each claim linked to its source and that source's
health, "no source given", the level as a badge with words, and when it was last checked."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.factories import CitationFactory, DeploymentFactory
from tracker.catalogue.ageing import is_stale
from tracker.catalogue.links import detail_url
from tracker.models import Deployment, Evidence

pytestmark = pytest.mark.django_db


def page(client, deployment):
    response = client.get(detail_url(deployment))
    assert response.status_code == 200
    return response.content.decode()


def test_each_claim_has_its_numbered_notes_or_says_no_source_given(client):
    deployment = DeploymentFactory(title="Station cameras", cost_inr=42000000)
    news = CitationFactory(
        deployment=deployment, source__title="Daily report", source__publisher="Daily A"
    )
    tender = CitationFactory(
        deployment=deployment,
        source__title="The tender",
        source__kind="tender",
        source__health="broken",
    )
    Evidence.objects.create(citation=news, claim="status", quote="now live")
    Evidence.objects.create(citation=tender, claim="cost", page="12", quote="Rs 4.2 crore")
    Evidence.objects.create(citation=news, claim="cost")
    text = page(client, Deployment.objects.get(pk=deployment.pk))

    # The sources are numbered in the list; each note links to its number.
    assert 'id="source-1"' in text and 'id="source-2"' in text
    status_row = re.search(r"<dt>Status</dt><dd>(.*?)</dd>", text, re.S).group(1)
    assert 'href="#source-1"' in status_row and "Reported" in status_row
    cost_row = re.search(r"<dt>Cost</dt><dd>(.*?)</dd>", text, re.S).group(1)
    assert 'href="#source-1"' in cost_row and 'href="#source-2"' in cost_row
    # The tender's note says its link is broken; the claim is confirmed by it.
    assert "[2, link broken]" in cost_row and "Confirmed" in cost_row
    vendors_row = re.search(r"<dt>Vendors</dt><dd>(.*?)</dd>", text, re.S).group(1)
    assert "no source given" in vendors_row
    # The source list says which claim each supports, with its quote and page.
    assert "Supports the claim: Cost (page 12)" in text and "Rs 4.2 crore" in text
    # The entry's own level, with words.
    assert '<span class="level level-confirmed">Confirmed</span>' in text
    assert "an official document, tender, court record or RTI reply" in text


def test_an_entry_not_rechecked_for_a_year_says_so(client, settings, monkeypatch):
    settings.VERIFY_AFTER_DAYS = 365
    deployment = DeploymentFactory()
    Deployment.objects.filter(pk=deployment.pk).update(last_verified_on=date(2024, 3, 1))
    deployment.refresh_from_db()
    monkeypatch.setattr("tracker.views.details.site_today", lambda: date(2025, 2, 28))
    assert "Last checked on 1 March 2024." in page(client, deployment)
    monkeypatch.setattr("tracker.views.details.site_today", lambda: date(2025, 3, 1))
    assert "Not re-checked since 1 March 2024." in page(client, deployment)


def test_ageing_moves_with_an_injected_today(settings):
    settings.VERIFY_AFTER_DAYS = 30
    deployment = DeploymentFactory()
    created = timezone.localdate(deployment.created_at)
    # Never verified: counted from when it was recorded.
    assert not is_stale(deployment, today=created + timedelta(days=29))
    assert is_stale(deployment, today=created + timedelta(days=30))
    deployment.last_verified_on = created + timedelta(days=20)
    assert not is_stale(deployment, today=created + timedelta(days=49))
    assert is_stale(deployment, today=created + timedelta(days=50))


DATE_ROWS = ["Announced", "Tender published", "In use since", "Last reported use"]


def test_the_key_dates_note_shows_on_every_date_row(client):
    deployment = DeploymentFactory(title="Station cameras")
    tender = CitationFactory(
        deployment=deployment, source__title="The tender", source__kind="tender"
    )
    Evidence.objects.create(citation=tender, claim="dates", page="3")
    text = page(client, Deployment.objects.get(pk=deployment.pk))
    for label in DATE_ROWS:
        row = re.search(rf"<dt>{label}</dt><dd>(.*?)</dd>", text, re.S).group(1)
        assert 'href="#source-1"' in row and "Confirmed" in row, label
    # Rows the claim does not cover keep their own ("no source given").
    cost = re.search(r"<dt>Cost</dt><dd>(.*?)</dd>", text, re.S).group(1)
    assert "no source given" in cost and "#source-1" not in cost
