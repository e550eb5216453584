"""What is announced: publication, changes (with their fields), withdrawal and RTI events,
written with the change itself, only to hooks that want them, only public facts."""

import json
from datetime import date

import pytest
from django.db import transaction

from tests.factories import AgencyFactory, DeploymentFactory, RTIRequestFactory, UserFactory
from tests.support.data import clock_at
from tracker.models import Publication, RTIEventKind, Webhook, WebhookDelivery, WebhookEvent
from tracker.publication import entity_publish, entity_restore, entity_save, entity_withdraw
from tracker.rti.chasing import rti_requests_chase
from tracker.rti.lifecycle import rti_event_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def hooks():
    owner = UserFactory(username="newsroom")
    every = Webhook.objects.create(
        owner=owner,
        url="http://127.0.0.1:9/every",
        secret="s" * 20,
        events=["published", "changed", "withdrawn", "rti_event"],
    )
    only_published = Webhook.objects.create(
        owner=owner, url="http://127.0.0.1:9/new", secret="s" * 20, events=["published"]
    )
    return every, only_published


def announced(kind=None):
    events = WebhookEvent.objects.order_by("id")
    if kind:
        events = events.filter(kind=kind)
    return [json.loads(event.body) for event in events]


def test_publishing_changing_and_withdrawing_are_announced(
    hooks, django_capture_on_commit_callbacks
):
    every, only_published = hooks
    draft = DeploymentFactory(title="Drone cameras", publication=Publication.DRAFT)
    assert announced() == []

    with django_capture_on_commit_callbacks() as sent:
        entity_publish(entity=draft, reason="Checked")
    [published] = announced("published")
    assert published["entity"]["type"] == "deployment"
    assert published["entity"]["id"] == draft.pk
    assert published["entity"]["title"] == "Drone cameras"
    assert published["entity"]["api_url"].endswith(f"/api/v1/deployments/{draft.pk}/")
    assert f"/deployments/{draft.pk}-" in published["entity"]["url"]
    assert set(WebhookDelivery.objects.values_list("webhook_id", flat=True)) == {
        every.pk,
        only_published.pk,
    }
    assert sum("webhook" in c.__qualname__ for c in sent) == 1  # sent once it commits

    draft.camera_count = 40
    draft.status = "pilot"
    entity_publish(entity=draft, reason="Correction approved")
    [changed] = announced("changed")
    assert changed["changed_fields"] == ["camera_count", "status"]
    assert WebhookDelivery.objects.filter(event__kind="changed").count() == 1  # only "every"

    entity_save(entity=draft, reason="Saved unchanged")  # nothing the public sees changed
    assert len(announced("changed")) == 1

    entity_withdraw(entity=draft, reason="A duplicate")
    [withdrawn] = announced("withdrawn")
    assert withdrawn["reason"] == "A duplicate"

    entity_restore(entity=draft)
    assert len(announced("published")) == 2


def test_edits_of_drafts_and_changes_without_hooks_announce_nothing(hooks):
    draft = AgencyFactory(name="Draft agency", publication=Publication.DRAFT)
    draft.city = "Pune"
    entity_save(entity=draft)
    assert announced() == []
    Webhook.objects.all().delete()
    entity_publish(entity=draft)
    assert announced() == []


def test_a_change_rolled_back_announces_nothing(hooks):
    agency = AgencyFactory(name="Pune Police", publication=Publication.DRAFT)
    with pytest.raises(RuntimeError), transaction.atomic():
        entity_publish(entity=agency)
        raise RuntimeError("the approval failed later")
    assert announced() == [] and not WebhookDelivery.objects.exists()


def test_a_disabled_hook_gets_nothing(hooks):
    every, only_published = hooks
    Webhook.objects.filter(pk=only_published.pk).update(is_active=False)
    entity_publish(entity=AgencyFactory(publication=Publication.DRAFT))
    assert list(WebhookDelivery.objects.values_list("webhook_id", flat=True)) == [every.pk]


def test_rti_events_and_deemed_refusal_are_announced(hooks):
    rti = RTIRequestFactory(title="Cameras in Pune", received_on=date(2024, 1, 10))
    rti_event_record(
        rti_request=rti, kind=RTIEventKind.FILED, day=date(2024, 1, 8), today=date(2024, 1, 20)
    )
    [filed] = announced("rti_event")
    assert filed["entity"]["type"] == "rti_request"
    assert filed["rti_event"] == {"kind": "filed", "date": "2024-01-08"}
    assert filed["status"] == "filed"

    # No event marks a deemed refusal: the daily job announces it, once, when the
    # calendar has passed the PIO's 30 days.
    with clock_at(date(2024, 2, 5)):
        assert rti_requests_chase(today=date(2024, 2, 5))["deemed_refused"] == []
    with clock_at(date(2024, 2, 12)):  # deemed refused from 10 February
        assert rti_requests_chase(today=date(2024, 2, 12))["deemed_refused"] == [rti.pk]
    deemed = announced("rti_event")[-1]
    assert deemed["status"] == "deemed_refused" and "rti_event" not in deemed

    with clock_at(date(2024, 2, 13)):
        assert rti_requests_chase(today=date(2024, 2, 13))["deemed_refused"] == []
    assert len(announced("rti_event")) == 2


def test_an_unpublished_rti_request_is_never_announced(hooks):
    rti = RTIRequestFactory(publication=Publication.DRAFT, received_on=date(2024, 1, 10))
    rti_event_record(
        rti_request=rti, kind=RTIEventKind.FILED, day=date(2024, 1, 8), today=date(2024, 1, 20)
    )
    assert announced() == []
