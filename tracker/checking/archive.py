"""The evidence archive: what a cited page said, each time its text changed.

A source's claim may outlive the page that made it, so every version whose
text changed is kept twice: the raw HTTP response in a WARC file (the format
web archivists use: pywb and ReplayWeb.page open it, warcio reads it back)
under ARCHIVE_ROOT, and the extracted text in the database (``ArchivedText``,
one row per distinct text, shared by every version with that text). A group
of checks writes one WARC file; a version records where its record lies.
Each source keeps at most ARCHIVE_MAX_VERSIONS versions: older ones go, and a
WARC file goes with the last version that points into it.
"""

import io
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ..models import ArchivedText, SourceVersion
from .text import text_sha256

# Headers that describe the bytes on the wire, not the (de-chunked) body we keep.
_WIRE_HEADERS = frozenset({"transfer-encoding", "content-length", "connection", "keep-alive"})


@dataclass
class Capture:
    """One response to archive: what the fetch received and the text read from it."""

    url: str
    status: int
    head: bytes
    body: bytes
    text: str
    content_type: str = ""


def archive_root() -> Path:
    return Path(settings.ARCHIVE_ROOT)


def _http_headers(capture: Capture) -> StatusAndHeaders:
    lines = capture.head.decode("latin-1").split("\n")
    parts = lines[0].strip().split(" ", 1)
    protocol = parts[0] if parts[0].startswith("HTTP/") else "HTTP/1.1"
    statusline = parts[1] if len(parts) > 1 else str(capture.status)
    headers = []
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep and name.strip() and name.strip().lower() not in _WIRE_HEADERS:
            headers.append((name.strip(), value.strip()))
    headers.append(("Content-Length", str(len(capture.body))))
    return StatusAndHeaders(statusline, headers, protocol=protocol)


def _write_warc(captures: list[Capture], when) -> tuple[str, list[tuple[int, int]]]:
    """Write the captures as response records of one new WARC file; returns its path
    (relative to ARCHIVE_ROOT) and each record's (offset, length)."""
    relative = Path(when.strftime("%Y/%m/%d")) / (
        f"panoptic-{when:%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.warc.gz"
    )
    path = archive_root() / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    spans = []
    partial = path.with_suffix(".partial")
    with partial.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for capture in captures:
            start = out.tell()
            record = writer.create_warc_record(
                capture.url,
                "response",
                payload=io.BytesIO(capture.body),
                length=len(capture.body),
                http_headers=_http_headers(capture),
                warc_headers_dict={"WARC-Date": when.strftime("%Y-%m-%dT%H:%M:%SZ")},
            )
            writer.write_record(record)
            spans.append((start, out.tell() - start))
        out.flush()
        os.fsync(out.fileno())
    partial.replace(path)
    return str(relative), spans


def versions_archive(captures: dict, checks: dict, *, when=None) -> int:
    """Archive ``{source_id: Capture}`` (the checks in ``checks`` found their text
    changed): one WARC file for the group, one text row per distinct text, one
    version each; then trim each source to ARCHIVE_MAX_VERSIONS. Returns versions kept."""
    if not captures:
        return 0
    when = when or timezone.now()
    order = list(captures)
    warc_path, spans = _write_warc([captures[pk] for pk in order], when)
    hashes = {pk: text_sha256(captures[pk].text) for pk in order}
    ArchivedText.objects.bulk_create(
        [ArchivedText(sha256=hashes[pk], text=captures[pk].text) for pk in order],
        ignore_conflicts=True,
    )
    text_ids = dict(
        ArchivedText.objects.filter(sha256__in=set(hashes.values())).values_list("sha256", "pk")
    )
    SourceVersion.objects.bulk_create(
        SourceVersion(
            source_id=pk,
            source_check=checks.get(pk),
            text_id=text_ids[hashes[pk]],
            fetched_at=when,
            url=captures[pk].url[:2000],
            http_status=captures[pk].status,
            content_type=captures[pk].content_type[:200],
            bytes=len(captures[pk].body),
            warc_path=warc_path,
            warc_offset=offset,
            warc_bytes=length,
        )
        for pk, (offset, length) in zip(order, spans, strict=True)
    )
    versions_trim(source_ids=order)
    return len(order)


def versions_trim(*, source_ids) -> int:
    """Drop each source's versions beyond ARCHIVE_MAX_VERSIONS (oldest first), their text
    when nothing else uses it, and WARC files no version points into any more."""
    cap = max(1, settings.ARCHIVE_MAX_VERSIONS)
    over = (
        SourceVersion.objects.filter(source_id__in=list(source_ids))
        .values("source_id")
        .annotate(n=Count("id"))
        .filter(n__gt=cap)
    )
    doomed = []
    for row in over:
        doomed += list(
            SourceVersion.objects.filter(source_id=row["source_id"])
            .order_by("-fetched_at", "-id")
            .values_list("pk", "text_id", "warc_path")[cap:]
        )
    return _versions_delete(doomed)


def versions_delete(*, source_ids) -> int:
    """Drop every version of these sources (before the sources themselves go), their text
    when nothing else uses it, and WARC files no version points into any more."""
    doomed = SourceVersion.objects.filter(source_id__in=list(source_ids))
    return _versions_delete(list(doomed.values_list("pk", "text_id", "warc_path")))


def _versions_delete(doomed) -> int:
    """Delete versions given as (pk, text_id, warc_path), then what only they used."""
    if not doomed:
        return 0
    SourceVersion.objects.filter(pk__in=[pk for pk, _, _ in doomed]).delete()
    texts = {text_id for _, text_id, _ in doomed}
    ArchivedText.objects.filter(pk__in=texts, versions__isnull=True).delete()
    paths = {path for _, _, path in doomed}
    still_used = set(
        SourceVersion.objects.filter(warc_path__in=paths).values_list("warc_path", flat=True)
    )
    unused = paths - still_used
    transaction.on_commit(lambda: _unlink(unused))
    return len(doomed)


def _unlink(paths):
    for relative in paths:
        try:
            (archive_root() / relative).unlink()
        except FileNotFoundError:
            pass


def version_read_warc(version: SourceVersion):
    """The version's WARC record, read back with warcio: (http status line, headers, body)."""
    with (archive_root() / version.warc_path).open("rb") as warc:
        warc.seek(version.warc_offset)
        for record in ArchiveIterator(warc):
            return (
                record.http_headers.get_statuscode(),
                record.http_headers.headers,
                record.content_stream().read(),
            )
    raise FileNotFoundError(version.warc_path)


def source_archived_copy(source) -> SourceVersion | None:
    """The latest archived version of a source, if any (its "archived copy")."""
    return source.versions.only("pk", "fetched_at", "source_id").first()


def archive_storage() -> dict:
    """What the archive holds: WARC files and bytes on disk, versions, distinct texts, and
    versions per source (average and most)."""
    versions = SourceVersion.objects.aggregate(
        count=Count("id"), sources=Count("source", distinct=True), warc_bytes=Sum("warc_bytes")
    )
    most = (
        SourceVersion.objects.values("source")
        .annotate(n=Count("id"))
        .aggregate(most=Max("n"))["most"]
    )
    paths = set(SourceVersion.objects.values_list("warc_path", flat=True).distinct())
    disk = 0
    for relative in paths:
        try:
            disk += (archive_root() / relative).stat().st_size
        except OSError:
            pass
    sources = versions["sources"] or 0
    return {
        "files": len(paths),
        "bytes": disk,
        "versions": versions["count"] or 0,
        "texts": ArchivedText.objects.count(),
        "sources": sources,
        "versions_per_source": (versions["count"] / sources) if sources else 0.0,
        "most_versions": most or 0,
        "max_versions": settings.ARCHIVE_MAX_VERSIONS,
    }
