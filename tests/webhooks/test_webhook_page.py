"""An account's webhook page reads in the reader's language: what the hook is told of by
name, never by code, and dates as dates."""

import pytest
from django.utils import timezone

from tests.support.people import signed_in
from tracker.models import Webhook, WebhookDelivery, WebhookEvent

pytestmark = pytest.mark.django_db


def test_the_webhook_page_names_events_in_the_readers_language(volunteer):
    hook = Webhook.objects.create(
        owner=volunteer,
        url="https://hooks.example.org/receive",
        events=["published", "rti_event"],
        secret="s" * 32,
        is_active=False,
        disabled_at=timezone.now(),
        disabled_reason="20 failures in a row.",
    )
    event = WebhookEvent.objects.create(kind="withdrawn", body="{}")
    WebhookDelivery.objects.create(webhook=hook, event=event, state="failed", attempts=1)
    client = signed_in(volunteer)
    page = client.get(f"/accounts/profile/webhooks/{hook.pk}/").content.decode()
    assert "<dd>Published, RTI event</dd>" in page
    assert '<th scope="row">Withdrawn <code>' in page
    when = timezone.localtime(hook.disabled_at)
    assert f"Disabled on {when:%-d %B %Y, %H:%M}: 20 failures in a row." in page
    hindi = client.get(f"/hi/accounts/profile/webhooks/{hook.pk}/").content.decode()
    assert "rti_event" not in hindi and "published" not in hindi.split("<main", 1)[1]
    profile = client.get("/accounts/profile/").content.decode()
    assert "(Published, RTI event)" in profile
