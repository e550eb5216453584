"""Items raised for moderators when something needs a human look."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import ChoiceLabels


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
