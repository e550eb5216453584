"""The moderation queue: nothing a volunteer writes is public until a moderator approves it."""

import secrets
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracker import uploads


class SubmissionKind(models.TextChoices):
    NEW = "new", _("New entry")
    EDIT = "edit", _("Correction of a published entry")
    VERIFY = "verify", _("Re-check of a published entry")


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Pending")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A draft saved from the site keeps the form's raw input, valid or not, under this key of
# ``Submission.data``.
DRAFT_KEY = "_draft"
WITHDRAW_UNDO_SECONDS = 5 * 60  # a withdrawal can be undone this long

# A volunteer may still change a submission in these states.
EDITABLE_STATUSES = (
    SubmissionStatus.DRAFT,
    SubmissionStatus.PENDING,
    SubmissionStatus.CHANGES_REQUESTED,
)


class EntityType(models.TextChoices):
    DEPLOYMENT = "deployment", _("Deployment")
    AGENCY = "agency", _("Agency")
    HOTSPOT = "hotspot", _("Hotspot")
    RTI_REQUEST = "rti_request", _("RTI request")
    RTI_EVENT = "rti_event", _("RTI event")


# A submission for a new entry not titled yet (a draft), in whole sentences per kind.
UNTITLED = {
    EntityType.DEPLOYMENT: _("A new deployment, not titled yet"),
    EntityType.AGENCY: _("A new agency, not named yet"),
    EntityType.HOTSPOT: _("A new hotspot, not named yet"),
    EntityType.RTI_REQUEST: _("A new RTI request, not titled yet"),
}


class Submission(models.Model):
    """A proposed new entry or correction.

    ``data`` holds the proposed values as JSON (for a correction only the fields
    that differ from the published entry); ``sources`` the cited URLs. ``entry_name``
    is what people call the entry (its proposed title or name, or the corrected
    entry's), kept by the service that stores the submission, so every list can
    show a human ``title`` without reading the entries.
    """

    kind = models.CharField(_("kind"), max_length=6, choices=SubmissionKind.choices)
    entity_type = models.CharField(_("entry type"), max_length=12, choices=EntityType.choices)
    target_id = models.BigIntegerField(
        _("entry"), null=True, blank=True, help_text=_("The entry corrected, or created.")
    )
    data = models.JSONField(_("proposed data"), default=dict, blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    # Which source supports which claim: [{"claim", "url", "quote", "page"}]
    # (moderation.evidence).
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    # Goes up by one with every change of what a moderator reviews (the proposal, its
    # sources, evidence, attachments): a decision names the revision it was made on.
    revision = models.PositiveIntegerField(_("revision"), default=1)
    entry_name = models.CharField(_("entry's name"), max_length=300, blank=True)
    why = models.TextField(
        _("why"),
        blank=True,
        help_text=_("A correction's reason, shown to moderators and in the public history."),
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="submissions",
        verbose_name=_("volunteer"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_submissions",
        verbose_name=_("reviewer"),
    )
    reviewer_note = models.TextField(_("reviewer's note"), blank=True)
    language = models.CharField(
        _("language"), max_length=10, default="en", help_text=_("For e-mails to the volunteer.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # A withdrawal can be undone for WITHDRAW_UNDO_SECONDS (withdrawal_undo_until).
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    status_before_withdrawal = models.CharField(
        max_length=20, choices=SubmissionStatus.choices, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        permissions = [("review_submission", "Can review submissions and withdraw entries")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind=SubmissionKind.EDIT, target_id=None),
                name="moderation_edit_has_target",
            )
        ]
        indexes = [
            # The queue: pending items, oldest first.
            models.Index(fields=["status", "submitted_at", "id"], name="submission_queue"),
            models.Index(fields=["volunteer", "-created_at"], name="submission_by_volunteer"),
        ]

    def __str__(self):
        return str(self.title)

    @property
    def title(self):
        """The human title every list, page, e-mail and the API show: the proposed title,
        or "Correction: <entry>"."""
        if self.kind == SubmissionKind.EDIT:
            return _("Correction: %(entry)s") % {"entry": self.entry_name or f"#{self.target_id}"}
        return self.entry_name or UNTITLED.get(self.entity_type, self.get_entity_type_display())

    @property
    def is_editable(self):
        return self.status in EDITABLE_STATUSES

    def withdrawal_undo_until(self, *, now=None):
        """Until when the volunteer may undo its withdrawal; None when they no longer can."""
        if self.status != SubmissionStatus.WITHDRAWN or not self.withdrawn_at:
            return None
        if not self.status_before_withdrawal:
            return None
        until = self.withdrawn_at + timedelta(seconds=WITHDRAW_UNDO_SECONDS)
        return until if until > (now or timezone.now()) else None


def _upload_key():
    return secrets.token_urlsafe(32)


def attachment_path(instance, filename):
    """A random name (never the uploader's), keeping only a known extension."""
    extension = uploads.EXTENSIONS.get(instance.content_type, "")
    return str(PurePath("submissions") / (secrets.token_hex(16) + extension))


class AttachedFile(models.Model):
    """A stored file a volunteer sent, with the name they gave it and its sniffed type."""

    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name


class PendingUpload(AttachedFile):
    """A file sent with a form that came back with errors, kept so the volunteer need not
    choose it again: the next send of the form names it by ``key`` and it becomes one of
    the submission's attachments. Only its volunteer can use it; unused ones are deleted
    after ``moderation.pending.PENDING_UPLOAD_HOURS``."""

    key = models.CharField(max_length=43, unique=True, default=_upload_key)
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="pending_uploads"
    )

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["created_at"], name="pending_upload_age")]


class Attachment(AttachedFile):
    """A document supporting a submission (an RTI reply, a tender): private to moderators and
    the submitter, served only as a download."""

    submission = models.ForeignKey(Submission, models.CASCADE, related_name="attachments")

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")


class Approval(models.Model):
    """One moderator's approval of one revision of a submission (four-eyes moderation:
    ``APPROVALS_REQUIRED`` different moderators must approve the same version). ``version``
    is the review version approved (the revision and, for a correction, when its entry
    last changed): an approval given before the entry changed no longer counts."""

    submission = models.ForeignKey(Submission, models.CASCADE, related_name="approvals")
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    revision = models.PositiveIntegerField()
    version = models.CharField(max_length=80, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("approval")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "moderator", "revision"], name="approval_once_per_revision"
            )
        ]

    def __str__(self):
        return f"{self.submission_id} r{self.revision} by {self.moderator_id}"
