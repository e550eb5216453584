"""What is announced: a change to published data, as one event for every hook that wants it.

``publication_announce`` is called by the publication service (published, changed,
withdrawn) and ``rti_announce`` by the RTI lifecycle, inside their transactions:
the event and its deliveries are written with the change, so a change that is
rolled back announces nothing, and one that commits is delivered even if the
message to the worker is lost (the sweep finds it). Only public facts go out: an
entity's type, id, title and addresses, the fields that changed, a withdrawal's
public reason, an RTI event's kind and date.
"""

import json
import uuid

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..catalogue.links import detail_url
from ..models import (
    Agency,
    Deployment,
    Hotspot,
    Publication,
    RTIRequest,
    Webhook,
    WebhookDelivery,
    WebhookEvent,
    WebhookEventKind,
)

ENTITY_TYPES = {
    Deployment: ("deployment", "deployments"),
    Agency: ("agency", "agencies"),
    Hotspot: ("hotspot", "hotspots"),
    RTIRequest: ("rti_request", "rti-requests"),
}
# Saved with every change, so never a change by itself.
UNANNOUNCED_FIELDS = frozenset({"updated_at", "search_document"})


def entity_summary(entity) -> dict:
    kind, api_path = ENTITY_TYPES[type(entity)]
    return {
        "type": kind,
        "id": entity.pk,
        "title": str(entity),
        "url": settings.SITE_URL + detail_url(entity),
        "api_url": f"{settings.SITE_URL}/api/v1/{api_path}/{entity.pk}/",
        "is_demo": entity.is_demo,
    }


def changed_fields(entity) -> list[str]:
    """The fields its latest save changed, from its history (none for a first record)."""
    latest = list(entity.history.order_by("-history_date", "-history_id")[:2])
    if len(latest) < 2:
        return []
    delta = latest[0].diff_against(latest[1])
    return sorted(set(delta.changed_fields) - UNANNOUNCED_FIELDS)


def publication_announce(*, entity, before: str | None):
    """Announce what a save of ``entity`` did to the public, given its ``publication``
    before the save (None for a new entry)."""
    if type(entity) not in ENTITY_TYPES:
        return None
    published = entity.publication == Publication.PUBLISHED
    if published and before != Publication.PUBLISHED:
        return webhook_event_announce(kind=WebhookEventKind.PUBLISHED, entity=entity)
    if published:
        fields = changed_fields(entity)
        if not fields:
            return None
        return webhook_event_announce(
            kind=WebhookEventKind.CHANGED, entity=entity, changed_fields=fields
        )
    if before == Publication.PUBLISHED:
        return webhook_event_announce(
            kind=WebhookEventKind.WITHDRAWN, entity=entity, reason=entity.withdrawn_reason
        )
    return None


def rti_announce(*, rti_request, status, event=None):
    """Announce something that happened to a published RTI request: a recorded event, or a
    status that followed from the calendar (deemed refused). ``status`` is the request's
    status when it happened (the RTI code judges it against its clock)."""
    if rti_request.publication != Publication.PUBLISHED:
        return None
    details = {"status": str(status)}
    if event is not None:
        details["rti_event"] = {"kind": event.kind, "date": event.date.isoformat()}
    return webhook_event_announce(kind=WebhookEventKind.RTI_EVENT, entity=rti_request, **details)


def webhook_event_announce(*, kind, entity, **details):
    """Record the event and a delivery for each active hook that wants ``kind``; the
    deliveries are sent once the surrounding transaction commits. None without hooks."""
    hooks = list(
        Webhook.objects.filter(is_active=True, events__contains=[kind]).values_list("pk", flat=True)
    )
    if not hooks:
        return None
    now = timezone.now()
    event_id = uuid.uuid4()
    body = {
        "id": str(event_id),
        "kind": str(kind),
        "occurred_at": now.isoformat().replace("+00:00", "Z"),
        "entity": entity_summary(entity),
        **details,
    }
    with transaction.atomic():
        event = WebhookEvent.objects.create(
            uuid=event_id, kind=kind, body=json.dumps(body, ensure_ascii=False)
        )
        deliveries = WebhookDelivery.objects.bulk_create(
            [WebhookDelivery(webhook_id=pk, event=event, next_attempt_at=now) for pk in hooks]
        )
        ids = [delivery.pk for delivery in deliveries]
        transaction.on_commit(lambda: deliveries_enqueue(ids))
    return event


DELIVER_TASK = "tracker.webhook_deliver"


def deliveries_enqueue(ids, *, countdown=0):
    """Send a delivery task for each id (by name: the tasks sit above this module)."""
    if not ids:
        return
    with current_app.producer_or_acquire() as producer:
        for pk in ids:
            current_app.send_task(DELIVER_TASK, args=[pk], countdown=countdown, producer=producer)
