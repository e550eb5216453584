"""An RTI request's documents: private when uploaded, public only when a moderator
publishes them, and then as the redacted copy if one was uploaded.

A reply often carries the applicant's address and signature; the moderator
checks each document and may upload a copy with those removed, which is then
what the public downloads while the original stays private. The published
copy's text layer (PDF; no OCR) is extracted with poppler's ``pdftotext``,
bounded in pages, time and size, and feeds the request's search document (the
trigger of migration ``0019_rti_document_search``), so a phrase from a reply
finds the request.
"""

import subprocess
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import uploads
from ..models import RTIDocument

MAX_DOCUMENTS_PER_EVENT = uploads.MAX_ATTACHMENTS
TEXT_PAGES = 200  # pages read for the text layer
TEXT_SECONDS = 20  # pdftotext's time budget
TEXT_MAX_CHARS = 500_000


def rti_documents_attach(*, rti_request, event, files, by=None) -> list[RTIDocument]:
    """Store uploaded files as private documents of ``event`` (checked from their content)."""
    files = list(files or ())
    if len(files) > MAX_DOCUMENTS_PER_EVENT:
        raise ValidationError(
            {"documents": _("Attach at most %(n)d files.") % {"n": MAX_DOCUMENTS_PER_EVENT}}
        )
    documents = []
    for upload in files:
        try:
            content_type = uploads.attachment_check(upload)
        except ValidationError as error:
            raise ValidationError({"documents": error.messages}) from None
        document = RTIDocument(
            rti_request=rti_request,
            event=event,
            original_name=Path(upload.name).name[:200],
            content_type=content_type,
            size=upload.size,
            uploaded_by=by,
        )
        document.file.save(upload.name, upload, save=False)
        document.save()
        documents.append(document)
    return documents


@transaction.atomic
def rti_document_publish(*, document: RTIDocument, moderator, redacted=None) -> RTIDocument:
    """Publish ``document`` (the redacted copy instead, if given or uploaded before)."""
    document = RTIDocument.objects.select_for_update().get(pk=document.pk)
    if redacted is not None:
        try:
            content_type = uploads.attachment_check(redacted)
        except ValidationError as error:
            raise ValidationError({"redacted": error.messages}) from None
        old = document.redacted_file.name
        document.redacted_file.save(redacted.name, redacted, save=False)
        document.redacted_content_type = content_type
        if old:
            transaction.on_commit(lambda: document.redacted_file.storage.delete(old))
    document.text = document_text(document.public_file, document.public_content_type)
    document.published_at = timezone.now()
    document.published_by = moderator
    document.save()
    return document


@transaction.atomic
def rti_document_unpublish(*, document: RTIDocument, moderator) -> RTIDocument:
    """Take a published document down again (its files stay, private)."""
    document = RTIDocument.objects.select_for_update().get(pk=document.pk)
    document.published_at = None
    document.published_by = None
    document.text = ""
    document.save()
    return document


def document_text(file, content_type) -> str:
    """The text layer of a PDF ('' for images or a PDF without one), within bounds."""
    if content_type != "application/pdf" or not file:
        return ""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as copy:
        with file.open("rb") as source:
            for chunk in iter(lambda: source.read(1 << 16), b""):
                copy.write(chunk)
        copy.flush()
        return pdf_text(Path(copy.name))


def pdf_text(path: Path) -> str:
    """``pdftotext`` of the first TEXT_PAGES pages, or '' if it fails or runs out of time."""
    try:
        done = subprocess.run(
            ["pdftotext", "-q", "-l", str(TEXT_PAGES), "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            timeout=TEXT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    if done.returncode != 0:
        return ""
    text = done.stdout.decode("utf-8", "replace").replace("\x00", "")
    return " ".join(text.split())[:TEXT_MAX_CHARS]
