"""Attachment checks: the type comes from the file's first bytes, never from its name."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Signatures of the only types accepted: PDF, PNG and JPEG.
SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
]
MAX_ATTACHMENTS = 5


def sniff_content_type(head: bytes) -> str | None:
    """The content type the first bytes show, or None when it is not one we accept."""
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def attachment_check(upload) -> str:
    """Validate one uploaded file; returns its sniffed content type."""
    limit = settings.SUBMISSION_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            }
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff_content_type(head)
    if content_type is None:
        raise ValidationError(
            _("“%(name)s” is not a PDF, PNG or JPEG file (checked from its content).")
            % {"name": upload.name}
        )
    return content_type
