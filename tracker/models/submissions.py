"""The moderation queue: nothing a volunteer writes is public until approved."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .vocab import EntityType, SubmissionKind, SubmissionStatus


class Submission(models.Model):
    kind = models.CharField(_("kind"), max_length=6, choices=SubmissionKind.choices)
    entity_type = models.CharField(_("entity"), max_length=12, choices=EntityType.choices)
    target_id = models.BigIntegerField(
        _("entry edited"), null=True, blank=True, help_text=_("For corrections.")
    )
    data = models.JSONField(_("proposed data"), default=dict)
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="submissions"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.PENDING,
        db_index=True,
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_submissions",
    )
    reviewer_note = models.TextField(_("reviewer's note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("submission")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=SubmissionKind.NEW, target_id=None)
                | models.Q(kind=SubmissionKind.EDIT, target_id__isnull=False),
                name="submission_edit_has_target",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.get_entity_type_display()} #{self.pk}"
