"""Ageing and re-verification: the queue (source trouble first, then importance and age),
holds, re-checks by moderators and by volunteers through review."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from moderation.models import Submission, SubmissionKind, SubmissionStatus
from tests.factories import CitationFactory, DeploymentFactory
from tests.support.pages import approve
from tests.support.people import person, signed_in
from tracker.catalogue.links import detail_url
from tracker.models import Deployment, ReviewItem, VerificationHold
from tracker.verification import (
    deployment_verify,
    reverification_queue,
    verification_hold_take,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


def checked(deployment, day):
    Deployment.objects.filter(pk=deployment.pk).update(last_verified_on=day)


def titles(today=TODAY):
    return [d.title for d in reverification_queue(today=today)]


def test_the_queue_puts_source_trouble_first_then_importance_and_age(settings):
    settings.VERIFY_AFTER_DAYS = 365
    old_pilot = DeploymentFactory(title="Old pilot", status="pilot")
    checked(old_pilot, date(2020, 1, 1))
    in_use = DeploymentFactory(title="In use, few cameras", camera_count=5)
    checked(in_use, date(2024, 1, 1))
    in_use_big = DeploymentFactory(title="In use, many cameras", camera_count=500)
    checked(in_use_big, date(2024, 1, 1))
    in_use_older = DeploymentFactory(title="In use, older check", camera_count=1)
    checked(in_use_older, date(2023, 1, 1))
    fresh = DeploymentFactory(title="Checked lately")
    checked(fresh, date(2026, 5, 1))
    troubled = DeploymentFactory(title="Checked lately, source broke", status="pilot")
    checked(troubled, date(2026, 5, 1))
    citation = CitationFactory(deployment=troubled)
    ReviewItem.objects.create(source=citation.source, citation=citation, reason="broken")

    assert titles() == [
        "Checked lately, source broke",
        "In use, older check",
        "In use, many cameras",
        "In use, few cameras",
        "Old pilot",
    ]


def test_ageing_moves_with_an_injected_today(settings):
    settings.VERIFY_AFTER_DAYS = 30
    deployment = DeploymentFactory(title="Checked in May")
    checked(deployment, date(2026, 5, 1))
    assert titles(date(2026, 5, 30)) == []
    assert titles(date(2026, 5, 31)) == ["Checked in May"]
    never = DeploymentFactory(title="Never re-checked")
    recorded = timezone.localdate(never.created_at)
    assert "Never re-checked" not in titles(recorded + timedelta(days=29))
    assert "Never re-checked" in titles(recorded + timedelta(days=30))


def test_an_item_is_held_for_seven_days(volunteer, other_volunteer, client):
    deployment = DeploymentFactory(title="Old entry")
    checked(deployment, date(2000, 1, 1))
    mine = signed_in(volunteer)
    mine.post(reverse("moderation:verify-take", args=[deployment.pk]))
    hold = VerificationHold.objects.get()
    assert hold.holder == volunteer
    assert hold.expires_at - hold.taken_at == timedelta(days=7)
    theirs = signed_in(other_volunteer)
    page = theirs.get(reverse("moderation:verify-queue")).content.decode()
    assert "Ravi K, until" in page and "I&#x27;ll check this" not in page
    refused = theirs.post(reverse("moderation:verify-take", args=[deployment.pk]), follow=True)
    assert "Someone else is checking this entry until" in refused.content.decode()
    assert VerificationHold.objects.get().holder == volunteer
    # Seven days later it is free again.
    later = hold.expires_at + timedelta(seconds=1)
    verification_hold_take(deployment_id=deployment.pk, holder=other_volunteer, now=later)
    assert VerificationHold.objects.get().holder == other_volunteer
    assert client.get(reverse("moderation:verify-queue")).status_code == 302  # sign in first


def test_a_moderator_records_a_recheck(moderator):
    deployment = DeploymentFactory(title="Old entry")
    checked(deployment, date(2000, 1, 1))
    citation = CitationFactory(deployment=deployment, source__title="Council minutes")
    ReviewItem.objects.create(source=citation.source, citation=citation, reason="changed")
    staff = signed_in(moderator)
    staff.post(reverse("moderation:verify-take", args=[deployment.pk]))
    url = reverse("moderation:verify-entry", args=[deployment.pk])
    unconfirmed = staff.post(url, {"source": citation.source.pk, "note": "Same figures."})
    assert "Confirm that the source still supports the entry" in unconfirmed.content.decode()
    response = staff.post(url, {"source": citation.source.pk, "note": "Same.", "confirm": "on"})
    assert response.status_code == 302
    deployment.refresh_from_db()
    assert deployment.last_verified_on == timezone.localdate()
    assert not VerificationHold.objects.exists()
    assert not ReviewItem.objects.filter(reviewed_at__isnull=True).exists()
    assert "Old entry" not in titles(timezone.localdate())
    history = signed_in(None).get(detail_url(deployment)).content.decode()
    assert "Re-checked against “Council minutes”: Same." in history
    assert "by Asha Moderator" in history


def test_a_volunteer_recheck_goes_through_review(volunteer, moderator):
    deployment = DeploymentFactory(title="Old entry")
    checked(deployment, date(2000, 1, 1))
    citation = CitationFactory(deployment=deployment, source__title="Council minutes")
    signed_in(volunteer).post(
        reverse("moderation:verify-entry", args=[deployment.pk]),
        {"source": citation.source.pk, "note": "Still 40 cameras.", "confirm": "on"},
    )
    assert Deployment.objects.get(pk=deployment.pk).last_verified_on == date(2000, 1, 1)
    submission = Submission.objects.get()
    assert submission.kind == SubmissionKind.VERIFY and submission.status == "pending"
    review = signed_in(moderator).get(reverse("moderation:review", args=[submission.pk]))
    assert "checked the entry against this source" in review.content.decode()
    approve(submission, moderator)
    deployment.refresh_from_db()
    assert deployment.last_verified_on == timezone.localdate()
    record = deployment.history.latest()
    assert record.history_contributor_name == "Ravi K"
    assert Submission.objects.get().status == SubmissionStatus.APPROVED


def test_a_verification_by_someone_not_allowed_is_refused(volunteer, moderator):
    deployment = DeploymentFactory()
    checked(deployment, date(2000, 1, 1))
    live = CitationFactory(deployment=deployment).source
    broken = CitationFactory(deployment=deployment, source__health="broken").source
    elsewhere = CitationFactory().source
    with pytest.raises(PermissionDenied):
        deployment_verify(
            deployment_id=deployment.pk, actor=volunteer, source_id=live.pk, today=TODAY
        )
    for source in (broken, elsewhere):
        with pytest.raises(ValidationError):
            deployment_verify(
                deployment_id=deployment.pk, actor=moderator, source_id=source.pk, today=TODAY
            )
    assert Deployment.objects.get(pk=deployment.pk).last_verified_on == date(2000, 1, 1)
    # The page offers only the live sources it cites.
    page = signed_in(moderator).get(reverse("moderation:verify-entry", args=[deployment.pk]))
    text = page.content.decode()
    assert live.title in text and broken.title not in text and elsewhere.title not in text
    assert person("nobody", "No Role").has_perm("tracker.verify_deployment") is False
