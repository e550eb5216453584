"""Files that survive a form sent back with errors.

A volunteer who attached a PDF and forgot the source must not lose the PDF: when
``submission_propose`` refuses a proposal after its files passed their checks, it
keeps them here for that volunteer (``uploads_keep``), the form comes back with
them listed as attached, and the next send names them by key
(``uploads_claim``), so they become the submission's attachments without being
sent again. Only the volunteer who sent a file can claim it; files nobody claims
are deleted after ``PENDING_UPLOAD_HOURS``, whenever anyone keeps new ones.
"""

from datetime import timedelta

from django.utils import timezone

from .models import PendingUpload

PENDING_UPLOAD_HOURS = 24


def upload_named(upload, content_type):
    """The upload, ready for a FileField: ``attachment_path`` names the stored file from its
    content type."""
    upload.content_type = content_type
    return upload


def uploads_purge(*, now=None):
    """Delete pending files older than ``PENDING_UPLOAD_HOURS``, rows and bytes."""
    cutoff = (now or timezone.now()) - timedelta(hours=PENDING_UPLOAD_HOURS)
    for old in PendingUpload.objects.filter(created_at__lt=cutoff):
        old.file.delete(save=False)
        old.delete()


def uploads_keep(*, volunteer, files) -> list[PendingUpload]:
    """Store checked ``files`` ((upload, sniffed type) pairs) as the volunteer's pending
    uploads."""
    if not files:
        return []
    uploads_purge()
    return [
        PendingUpload.objects.create(
            volunteer=volunteer,
            file=upload_named(upload, content_type),
            original_name=upload.name[:200],
            content_type=content_type,
            size=upload.size,
        )
        for upload, content_type in files
    ]


def uploads_pending(*, volunteer, keys) -> list[PendingUpload]:
    """The volunteer's pending uploads named by ``keys`` that are still kept, in the order
    they were sent (another volunteer's keys name nothing)."""
    if not keys:
        return []
    cutoff = timezone.now() - timedelta(hours=PENDING_UPLOAD_HOURS)
    return list(
        PendingUpload.objects.filter(volunteer=volunteer, key__in=keys, created_at__gte=cutoff)
    )
