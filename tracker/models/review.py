"""Items raised for moderators when something needs a human look."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import DISPLAY_NAME_MAX, ChoiceLabels
from .vocab import Claim, EntryType

DISPUTE_REASON_MAX = 5000


class ReviewItem(ChoiceLabels):
    """A source that changed, broke, redirected or was blocked, on an entity citing it."""

    class Reason(models.TextChoices):
        CHANGED = "changed", _("Source text changed")
        BROKEN = "broken", _("Source is broken")
        REDIRECTED = "redirected", _("Source moved to another site")
        BLOCKED = "blocked", _("Source address refused")

    source = models.ForeignKey("tracker.Source", models.CASCADE, related_name="review_items")
    citation = models.ForeignKey(
        "tracker.Citation", models.CASCADE, null=True, blank=True, related_name="review_items"
    )
    source_check = models.ForeignKey(
        "tracker.SourceCheck", models.SET_NULL, null=True, blank=True, related_name="review_items"
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    old_excerpt = models.TextField(_("text before"), blank=True)
    new_excerpt = models.TextField(_("text now"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("review item")

    def __str__(self):
        return f"{self.get_reason_display()}: {self.source}"


class Dispute(ChoiceLabels):
    """A reader saying "this is wrong" about a claim of a public entry (or the whole entry).

    A reader may be signed in or anonymous; nothing identifying an anonymous reader (no
    address, no e-mail) is stored. The outcome and its note are public on the entry's
    history; the reason stays with moderators.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Upheld")
        DISMISSED = "dismissed", _("Dismissed")

    entity_type = models.CharField(_("entry type"), max_length=12, choices=EntryType.choices)
    entity_id = models.BigIntegerField(_("entry"))
    claim = models.CharField(
        _("claim"),
        max_length=20,
        choices=Claim.choices,
        blank=True,
        help_text=_("Empty: the entry as a whole."),
    )
    reason = models.TextField(_("what is wrong"), max_length=DISPUTE_REASON_MAX)
    source_url = models.URLField(_("source"), max_length=2000, blank=True)
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    outcome_note = models.TextField(_("outcome (public)"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by_name = models.CharField(max_length=DISPLAY_NAME_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("dispute")
        indexes = [models.Index(fields=["entity_type", "entity_id"], name="dispute_entry")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="dispute_reason_not_empty"),
        ]

    def __str__(self):
        return f"{self.get_entity_type_display()} #{self.entity_id}: {self.get_status_display()}"


class VerificationHold(models.Model):
    """Someone said "I'll check this" about a deployment due for re-verification: the
    item is theirs until ``expires_at``, and others see it as taken."""

    deployment = models.OneToOneField(
        "tracker.Deployment", models.CASCADE, related_name="verification_hold"
    )
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    taken_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("re-verification hold")

    def __str__(self):
        return f"{self.deployment_id} until {self.expires_at:%Y-%m-%d}"
