"""Webhooks: researchers' URLs told about changes to published data, and every delivery.

A change is one ``WebhookEvent`` (its JSON body, fixed when it happens, so each
retry sends the same bytes); each subscribed hook gets a ``WebhookDelivery`` of
it, and every try is a ``WebhookAttempt`` that the hook's owner can read. The
owner is an account (``AUTH_USER_MODEL``); nothing here knows about roles.
"""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class WebhookEventKind(models.TextChoices):
    PUBLISHED = "published", _("Published")
    CHANGED = "changed", _("Changed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    RTI_EVENT = "rti_event", _("RTI event")


class Webhook(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="webhooks", verbose_name=_("owner")
    )
    url = models.URLField(_("URL"), max_length=2000)
    events = ArrayField(
        models.CharField(max_length=20, choices=WebhookEventKind.choices),
        verbose_name=_("events"),
    )
    # Kept as given: each delivery is signed with it (HMAC-SHA256).
    secret = models.CharField(_("secret"), max_length=200)
    description = models.CharField(_("description"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("webhook")
        indexes = [models.Index(fields=["owner", "id"], name="webhook_owner")]

    def __str__(self):
        return self.url

    @property
    def event_labels(self) -> list[str]:
        """What the hook is told of, in the reader's language (the API keeps the codes)."""
        return [WebhookEventKind(kind).label for kind in self.events]


class WebhookEvent(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=WebhookEventKind.choices)
    body = models.TextField()  # the JSON sent, byte for byte (UTF-8)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.kind} {self.uuid}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")  # every retry failed
    CANCELLED = "cancelled", _("Cancelled")  # the hook was disabled or deleted first


class WebhookDelivery(models.Model):
    webhook = models.ForeignKey(Webhook, models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(WebhookEvent, models.CASCADE, related_name="deliveries")
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["webhook", "event"], name="webhook_delivery_once")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_due",
                condition=models.Q(state="pending"),
            )
        ]

    def __str__(self):
        return f"{self.event_id} to {self.webhook_id}: {self.state}"


class WebhookAttempt(models.Model):
    """One try of a delivery, as its hook's owner sees it in the log."""

    delivery = models.ForeignKey(WebhookDelivery, models.CASCADE, related_name="tries")
    at = models.DateTimeField()
    http_status = models.PositiveIntegerField(null=True, blank=True)
    succeeded = models.BooleanField(default=False)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.http_status or self.error}"
