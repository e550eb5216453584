"""A withdrawn entry is a tombstone: 410 on its page and in the API with its public reason,
listed in the change log, the feeds and the API's sync of withdrawals; restoring brings it
back with a change-log line; nothing private leaks."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from moderation.models import Submission, SubmissionKind, SubmissionStatus
from tests.factories import (
    AgencyFactory,
    DeploymentFactory,
    HotspotFactory,
    RTIRequestFactory,
)
from tests.support.people import signed_in
from tracker.catalogue.links import detail_url
from tracker.models import Deployment, Publication
from tracker.publication import entity_publish, entity_restore, entity_withdraw

pytestmark = pytest.mark.django_db


@pytest.fixture
def withdrawn(moderator, volunteer):
    """A published deployment, withdrawn with a reason, then edited in private (the admin
    can), with a rejected correction by a volunteer on the way."""
    deployment = DeploymentFactory(publication=Publication.DRAFT, title="Station cameras")
    entity_publish(entity=deployment, actor=moderator)
    Submission.objects.create(
        volunteer=volunteer,
        kind=SubmissionKind.EDIT,
        entity_type="deployment",
        target_id=deployment.pk,
        data={"title": "Secret rejected title"},
        status=SubmissionStatus.REJECTED,
    )
    entity_withdraw(entity=deployment, reason="A duplicate of another entry", actor=moderator)
    deployment.title = "Private draft title"
    deployment.summary = "Private draft summary"
    deployment.save()
    return Deployment.objects.get(pk=deployment.pk)


def test_the_page_answers_410_with_the_public_title_reason_and_date(client, withdrawn):
    response = client.get(detail_url(withdrawn))
    text = response.content.decode()
    assert response.status_code == 410
    assert "Station cameras" in text and "A duplicate of another entry" in text
    day = withdrawn.withdrawn_at.astimezone().strftime("%-d %B %Y")
    assert f"This entry was withdrawn on {day}." in text
    for private in ("Private draft title", "Private draft summary", "Secret rejected", "Ravi"):
        assert private not in text


@pytest.mark.parametrize("factory", [AgencyFactory, HotspotFactory, RTIRequestFactory])
def test_every_kind_of_entry_has_a_tombstone(client, moderator, factory):
    entry = factory()
    entry.history.update(history_user=None)
    entity_withdraw(entity=entry, reason="Wrong place", actor=moderator)
    response = client.get(detail_url(entry))
    assert response.status_code == 410 and "Wrong place" in response.content.decode()


def test_an_entry_never_published_is_simply_not_found(client, moderator):
    draft = DeploymentFactory(publication=Publication.DRAFT, title="Never public")
    entity_withdraw(entity=draft, reason="Spam", actor=moderator)
    assert client.get(detail_url(draft)).status_code == 404
    assert client.get(f"/api/v1/deployments/{draft.pk}/").status_code == 404
    assert "Never public" not in client.get(reverse("tracker:changes")).content.decode()
    assert client.get("/api/v1/withdrawals/").json()["count"] == 0


def test_the_api_answers_410_with_id_date_and_reason(client, withdrawn):
    response = client.get(f"/api/v1/deployments/{withdrawn.pk}/")
    assert response.status_code == 410
    body = response.json()
    assert body == {
        "id": withdrawn.pk,
        "withdrawn_at": body["withdrawn_at"],
        "reason": "A duplicate of another entry",
    }
    assert datetime.fromisoformat(body["withdrawn_at"]) == withdrawn.withdrawn_at
    assert client.get(f"/api/v1/deployments/{withdrawn.pk}/?format=geojson").status_code == 410
    assert client.get("/api/v1/deployments/999999/").status_code == 404


def test_the_sync_lists_withdrawals_since_a_time_and_restore_brings_it_back(
    client, moderator, withdrawn
):
    early = DeploymentFactory(title="Withdrawn long ago")
    entity_withdraw(entity=early, reason="Old", actor=moderator)
    Deployment.objects.filter(pk=early.pk).update(withdrawn_at=datetime(2020, 1, 1, tzinfo=UTC))
    hotspot = HotspotFactory()
    entity_withdraw(entity=hotspot, reason="Not a hotspot", actor=moderator)

    everything = client.get("/api/v1/withdrawals/").json()
    # Oldest withdrawal first.
    assert [(r["type"], r["id"]) for r in everything["results"]] == [
        ("deployment", early.pk),
        ("deployment", withdrawn.pk),
        ("hotspot", hotspot.pk),
    ]
    assert everything["count"] == 3
    since = client.get("/api/v1/withdrawals/", {"since": "2021-01-01"}).json()
    assert {(r["type"], r["id"]) for r in since["results"]} == {
        ("deployment", withdrawn.pk),
        ("hotspot", hotspot.pk),
    }
    only = client.get("/api/v1/withdrawals/", {"since": "2021-01-01", "type": "hotspot"}).json()
    assert only["results"] == [
        {
            "type": "hotspot",
            "id": hotspot.pk,
            "withdrawn_at": only["results"][0]["withdrawn_at"],
            "reason": "Not a hotspot",
        }
    ]
    bad = client.get("/api/v1/withdrawals/", {"since": "yesterday", "type": "planet"})
    assert bad.status_code == 400 and set(bad.json()) == {"since", "type"}

    # Restored: no longer a withdrawal, updated again, its page back, a line in the log.
    before = datetime.now(UTC).isoformat()
    entity_restore(entity=Deployment.objects.get(pk=withdrawn.pk), actor=moderator)
    since = client.get("/api/v1/withdrawals/", {"since": "2021-01-01"}).json()
    assert {r["id"] for r in since["results"]} == {hotspot.pk}
    updated = client.get("/api/v1/deployments/", {"updated_since": before}).json()
    assert [row["id"] for row in updated["results"]] == [withdrawn.pk]
    assert client.get(detail_url(withdrawn)).status_code == 200
    changes = client.get(reverse("tracker:changes")).content.decode()
    assert "Restored" in changes


def test_the_change_log_and_the_feed_list_withdrawals(client, withdrawn):
    changes = client.get(reverse("tracker:changes")).content.decode()
    assert "<strong>Withdrawn</strong> (A duplicate of another entry)" in changes
    assert "Station cameras" in changes
    for private in ("Private draft title", "Secret rejected", "Ravi"):
        assert private not in changes
    feed = client.get(reverse("tracker:feed-deployments")).content.decode()
    assert "Withdrawn: Station cameras" in feed
    assert "Private draft" not in feed


def test_moderators_restore_from_the_site(moderator, withdrawn, client):
    response = signed_in(moderator).post(
        reverse("moderation:entry-restore", args=["deployment", withdrawn.pk])
    )
    assert response.status_code == 302
    assert client.get(detail_url(Deployment.objects.get(pk=withdrawn.pk))).status_code == 200
