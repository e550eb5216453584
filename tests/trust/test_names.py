"""Names in the record: display names are unique (without capitals or accents), renamed at
most once every 30 days, and history keeps the name a person had at the time."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from accounts.models import DisplayName, display_name_key
from tests.support.pages import NEW_DEPLOYMENT_URL, approve, deployment_post
from tests.support.people import sign_up, signed_in
from tracker.catalogue.links import detail_url
from tracker.models import Deployment

pytestmark = pytest.mark.django_db
User = get_user_model()


def rename(user, name):
    return signed_in(user).post(reverse("accounts:profile"), {"first_name": name})


def test_names_compare_without_capitals_accents_or_extra_spaces():
    assert display_name_key("  Āsha   MODERATOR ") == display_name_key("asha moderator")
    assert display_name_key("Ravi K") != display_name_key("Ravi")


def test_nobody_takes_a_moderator_name_with_other_capitals_or_accents(moderator, volunteer):
    response = sign_up(name="ÂSHA  moderator", email="new@example.org")
    assert "This display name is taken" in response.content.decode()
    assert not User.objects.filter(email="new@example.org").exists()
    page = rename(volunteer, "asha Modérator").content.decode()
    assert "This display name is taken" in page
    assert User.objects.get(pk=volunteer.pk).first_name == "Ravi K"
    assert sign_up(name="Kiran", email="new@example.org").status_code == 302
    assert DisplayName.objects.get(user__email="new@example.org").key == "kiran"


def test_a_name_changes_at_most_once_every_30_days(volunteer):
    assert rename(volunteer, "Ravi from Lucknow").status_code == 302  # the first change
    page = rename(volunteer, "Ravi again").content.decode()
    day = timezone.localdate(timezone.now() + timedelta(days=30)).isoformat()
    assert f"You can change your display name once every 30 days: next on {day}." in page
    # The same name with other capitals is not a change.
    assert rename(volunteer, "RAVI from lucknow").status_code == 302
    DisplayName.objects.filter(user=volunteer).update(
        changed_at=timezone.now() - timedelta(days=31)
    )
    assert rename(volunteer, "Ravi again").status_code == 302
    assert User.objects.get(pk=volunteer.pk).first_name == "Ravi again"


def test_history_keeps_the_names_of_the_time(volunteer, moderator, client):
    signed_in(volunteer).post(NEW_DEPLOYMENT_URL, deployment_post())
    from moderation.models import Submission

    approve(Submission.objects.get(), moderator)
    rename(volunteer, "Someone Else")
    rename(moderator, "Another Name")
    page = client.get(detail_url(Deployment.objects.get())).content.decode()
    assert "by Asha Moderator" in page and "proposed by Ravi K" in page
    assert "Someone Else" not in page and "Another Name" not in page
    changes = client.get(reverse("tracker:changes")).content.decode()
    assert "proposed by Ravi K" in changes and "Someone Else" not in changes


def test_the_admin_refuses_a_taken_name(administrator, moderator, volunteer):
    admin = signed_in(administrator)
    url = reverse("admin:auth_user_change", args=[volunteer.pk])
    form = admin.get(url)
    assert form.status_code == 200
    response = admin.post(
        url,
        {
            "username": volunteer.username,
            "first_name": "ASHA MODERATOR",
            "last_name": "",
            "email": volunteer.email,
            "is_active": "on",
            "date_joined_0": "2024-01-01",
            "date_joined_1": "00:00:00",
            "groups": [g.pk for g in volunteer.groups.all()],
        },
    )
    assert response.status_code == 200
    assert "This display name is taken" in response.content.decode()
    assert User.objects.get(pk=volunteer.pk).first_name == "Ravi K"
