"""Attachment checks: the type comes from the file's first bytes, never from its name."""

import io
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Signatures of the only types accepted: PDF, PNG and JPEG.
SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
]
MAX_ATTACHMENTS = 5
# The one extension each accepted type is stored and downloaded with.
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}


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


def download_name(original_name: str, content_type: str) -> str:
    """The name a download is offered under: the uploader's name without any extension or
    path, plus the extension of the type its content was checked to be. A file named
    ``report.html`` or ``pic.svg`` can never be saved as a page or an SVG that runs."""
    stem = PurePath(original_name.replace("\\", "/")).name.split(".")[0]
    stem = "".join(ch for ch in stem if ch.isalnum() or ch in " -_").strip()[:100]
    return (stem or "attachment") + EXTENSIONS.get(content_type, ".bin")


class RefusedUpload(UploadedFile):
    """What is left of a file refused for its size: its name and the size it reached."""

    def __init__(self, name, size, content_type):
        super().__init__(io.BytesIO(), name=name, content_type=content_type, size=size)


class UploadSizeLimit(FileUploadHandler):
    """The first upload handler (``FILE_UPLOAD_HANDLERS``): counts each file's bytes as they
    stream in, and once a file passes ``SUBMISSION_ATTACHMENT_MAX_BYTES`` passes none of
    its further bytes on, so no file larger than the limit is ever kept, in memory or on
    disk. The file arrives as an empty ``RefusedUpload`` of the size it reached, which
    ``attachment_check`` refuses with the usual message naming it."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.seen = 0

    def receive_data_chunk(self, raw_data, start):
        self.seen += len(raw_data)
        if self.seen > settings.SUBMISSION_ATTACHMENT_MAX_BYTES:
            return None  # the next handlers never see the rest
        return raw_data

    def file_complete(self, file_size):
        if self.seen > settings.SUBMISSION_ATTACHMENT_MAX_BYTES:
            return RefusedUpload(self.file_name, self.seen, self.content_type)
        return None  # within the limit: the next handler's file
