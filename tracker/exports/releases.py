"""Dataset releases: immutable, numbered snapshots a researcher can cite.

A release (``2026.12.0``: year, month, and its number within the month) holds
every CSV and GeoJSON export, ``datapackage.json`` with its ``version``,
``CITATION.cff``, DataCite XML, ``SHA256SUMS`` and a changelog against the
previous release (ids added, changed with the columns that changed, and
withdrawn), in one zip. Every export is read inside one REPEATABLE READ, READ
ONLY transaction, so a release shows the data of a single moment even while
moderators publish. The files are the same the live exports give (one column
table, ``datasets``), and the changelog is computed from the files themselves.

A release is built in a hidden folder under RELEASE_ROOT and renamed into place
when complete, so a failed or interrupted build leaves nothing that looks like a
release; its files are then read-only. Only one release is built at a time (a
PostgreSQL advisory lock). RELEASE_ROOT is part of every backup.
"""

import csv
import hashlib
import io
import json
import os
import re
import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from .citation import ReleaseDescription, citation_cff, datacite_xml
from .datasets import EXPORTS, csv_chunks, datapackage, geojson_chunks

NAME = re.compile(r"(\d{4})\.(0[1-9]|1[0-2])\.(\d{1,4})")
MANIFEST = "release.json"
CHANGES = "changes.json"
CHECKSUMS = "SHA256SUMS"
# Columns that change whenever anything is saved: not a change of the row by themselves.
UNCOMPARED = frozenset({"updated_at"})
LOCK_KEY = 0x70616E7265  # the advisory lock that lets one release be built at a time
CHUNK = 1024 * 1024
TAKEN = "release {name} already exists; releases never change"


class ReleaseError(Exception):
    """A release cannot be made as asked; nothing was written."""


@dataclass(frozen=True)
class Release:
    """A finished release on disk, described by its manifest."""

    name: str
    path: Path
    manifest: dict

    @property
    def zip_path(self) -> Path:
        return self.path / self.manifest["zip"]["file"]

    @property
    def changes_path(self) -> Path:
        return self.path / CHANGES

    @property
    def created_at(self) -> datetime:
        return datetime.fromisoformat(self.manifest["created_at"])


def release_root() -> Path:
    return Path(settings.RELEASE_ROOT)


def _order(name):
    year, month, number = NAME.fullmatch(name).groups()
    return int(year), int(month), int(number)


def releases() -> list[Release]:
    """Every finished release, newest first."""
    root = release_root()
    if not root.is_dir():
        return []
    found = []
    for path in root.iterdir():
        if NAME.fullmatch(path.name) and (path / MANIFEST).is_file():
            manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
            found.append(Release(name=path.name, path=path, manifest=manifest))
    return sorted(found, key=lambda release: _order(release.name), reverse=True)


def release_get(name: str) -> Release | None:
    if not NAME.fullmatch(name or ""):
        return None
    return next((release for release in releases() if release.name == name), None)


def release_next_name(*, today: date, existing) -> str:
    """The month's next number: 2026.12.0, then 2026.12.1, ..."""
    prefix = f"{today.year:04d}.{today.month:02d}."
    taken = [_order(name)[2] for name in existing if name.startswith(prefix)]
    return f"{prefix}{max(taken, default=-1) + 1}"


# ---------------------------------------------------------------- building


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        while block := data.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _write(path: Path, chunks) -> None:
    with path.open("wb") as out:
        for chunk in chunks:
            out.write(chunk)


def _snapshot_exports(folder: Path) -> tuple[dict, dict, str]:
    """Write every export from one REPEATABLE READ snapshot: ({export: [file names]},
    {export: rows}, the snapshot's time)."""
    files, rows = {}, {}
    with transaction.atomic():
        with connection.cursor() as cursor:
            # First statement of the transaction: the snapshot every export below reads.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT now()")
            taken_at = cursor.fetchone()[0]
        for name, export in EXPORTS.items():
            queryset = export.queryset()
            _write(folder / f"{name}.csv", csv_chunks(export, queryset))
            files[name] = [f"{name}.csv"]
            if export.geometry:
                _write(folder / f"{name}.geojson", geojson_chunks(export, queryset))
                files[name].append(f"{name}.geojson")
            rows[name] = queryset.count()
    return files, rows, taken_at.astimezone(UTC).isoformat()


# ---------------------------------------------------------------- the changelog


def _csv_rows(lines):
    """The rows of one of our own CSV files, where a long summary is one cell: csv's field
    limit is raised while they are read and put back after, as it is the whole process's
    (the CSV import names its own limit in its errors)."""
    previous = csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        yield from csv.DictReader(lines)
    finally:
        csv.field_size_limit(previous)


def _digests(lines) -> dict:
    """{id: digest of the row's compared cells} for one CSV file."""
    found = {}
    for row in _csv_rows(lines):
        compared = [(k, v) for k, v in row.items() if k not in UNCOMPARED]
        found[row["id"]] = hashlib.blake2b(repr(compared).encode(), digest_size=16).digest()
    return found


def _rows_of(lines, ids) -> dict:
    return {row["id"]: row for row in _csv_rows(lines) if row["id"] in ids}


def export_changes(old_file, new_file) -> dict:
    """Ids added, changed (with the columns that changed) and withdrawn between two CSV files
    of one export. ``old_file`` and ``new_file`` open their CSV text (called twice each),
    so only the changed rows are ever held in memory."""
    with old_file() as old_lines, new_file() as new_lines:
        old, new = _digests(old_lines), _digests(new_lines)
    changed_ids = {pk for pk in old.keys() & new.keys() if old[pk] != new[pk]}
    changed = []
    if changed_ids:
        with old_file() as old_lines, new_file() as new_lines:
            before, after = _rows_of(old_lines, changed_ids), _rows_of(new_lines, changed_ids)
        for pk in sorted(changed_ids, key=int):
            fields = [
                name
                for name, value in after[pk].items()
                if name not in UNCOMPARED and before[pk].get(name) != value
            ]
            changed.append({"id": int(pk), "fields": fields})
    return {
        "added": sorted(int(pk) for pk in new.keys() - old.keys()),
        "changed": changed,
        "withdrawn": sorted(int(pk) for pk in old.keys() - new.keys()),
    }


def _text(opener):
    """A callable opening a binary file-like as UTF-8 text for the csv module."""

    def open_text():
        return io.TextIOWrapper(opener(), encoding="utf-8", newline="")

    return open_text


def release_changes(*, folder: Path, previous: Release | None) -> dict:
    """The changelog of the files in ``folder`` against ``previous`` (None: the first)."""
    entities = {}
    archive = zipfile.ZipFile(previous.zip_path) if previous else None
    try:
        for name in EXPORTS:
            new_file = _text(lambda name=name: (folder / f"{name}.csv").open("rb"))
            if archive is None:
                with new_file() as lines:
                    added = sorted(int(row["id"]) for row in _csv_rows(lines))
                entities[name] = {"added": added, "changed": [], "withdrawn": []}
                continue
            member = f"{previous.manifest['folder']}/{name}.csv"
            if member not in archive.namelist():  # an export the previous release lacked
                old_file = _text(lambda: io.BytesIO(b"id\n"))
            else:
                old_file = _text(lambda member=member: archive.open(member))
            entities[name] = export_changes(old_file, new_file)
    finally:
        if archive is not None:
            archive.close()
    return {"previous": previous.name if previous else None, "entities": entities}


def changelog_markdown(name: str, changes: dict) -> str:
    previous = changes["previous"]
    lines = [f"# Changes in {name}", ""]
    lines.append(
        f"Against release {previous}." if previous else "The first release: every row is new."
    )
    for entity, found in changes["entities"].items():
        lines += ["", f"## {entity}", ""]
        lines.append(
            f"{len(found['added'])} added, {len(found['changed'])} changed, "
            f"{len(found['withdrawn'])} withdrawn."
        )
        if previous and found["added"]:
            lines += ["", "Added: " + ", ".join(map(str, found["added"]))]
        for row in found["changed"]:
            lines.append(f"- {row['id']}: {', '.join(row['fields'])}")
        if found["withdrawn"]:
            lines += ["", "Withdrawn: " + ", ".join(map(str, found["withdrawn"]))]
    return "\n".join(lines) + "\n"


def change_counts(changes: dict) -> dict:
    return {
        entity: {kind: len(found[kind]) for kind in ("added", "changed", "withdrawn")}
        for entity, found in changes["entities"].items()
    }


# ---------------------------------------------------------------- the release


def release_description(name: str, *, released_on: date, previous: Release | None):
    return ReleaseDescription(
        title=f"{settings.DATA_PUBLISHER} dataset",
        publisher=settings.DATA_PUBLISHER,
        version=name,
        released_on=released_on,
        url=f"{settings.SITE_URL}/data/releases/",
        abstract=(
            "Facial-recognition and AI-camera deployments in India, the agencies running "
            "them, camera hotspots, Right to Information requests about them and the "
            "sources cited for every claim, as CSV and GeoJSON with a Frictionless data "
            "package describing every column."
        ),
        previous_url=(f"{settings.SITE_URL}/data/releases/{previous.name}.zip" if previous else ""),
    )


def _zip(folder: Path, target: Path, *, stamp: datetime) -> None:
    """Every file of ``folder`` into ``target`` under the folder's name, in a stable order."""
    when = stamp.timetuple()[:6]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for path in sorted(folder.iterdir()):
            info = zipfile.ZipInfo(f"{folder.name}/{path.name}", date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o444 << 16
            with path.open("rb") as source, archive.open(info, "w", force_zip64=True) as out:
                shutil.copyfileobj(source, out, CHUNK)


class _Lock:
    """One release build at a time, across processes (a session-level advisory lock)."""

    def __enter__(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
            if not cursor.fetchone()[0]:
                raise ReleaseError("another release is being built; try again when it is done")

    def __exit__(self, *exc):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def dataset_release(
    *, name: str | None = None, previous: str | None = None, today=None, task_id: str = ""
) -> Release:
    """Build and store a release; its name is the month's next unless given.

    ``previous`` names the release the changelog compares with (default: the newest).
    A ``task_id`` already recorded by a release (a redelivered task) returns that one.
    Raises ReleaseError, having written nothing, for a bad or taken name or a missing
    previous release.
    """
    if connection.in_atomic_block:
        raise RuntimeError("a release takes its own snapshot: call it outside a transaction")
    today = today or timezone.localdate()
    existing = releases()
    if task_id:
        done = next((r for r in existing if r.manifest.get("task_id") == task_id), None)
        if done is not None:
            return done
    names = {release.name for release in existing}
    if name is None:
        name = release_next_name(today=today, existing=names)
    elif not NAME.fullmatch(name):
        raise ReleaseError(f"{name[:80]!r} is not a release name like 2026.12.0")
    if name in names or (release_root() / name).exists():
        raise ReleaseError(TAKEN.format(name=name))
    if previous is not None:
        base = next((release for release in existing if release.name == previous), None)
        if base is None:
            raise ReleaseError(f"there is no release {previous[:80]!r} to compare with")
    else:
        older = [r for r in existing if _order(r.name) < _order(name)]
        base = older[0] if older else None
    root = release_root()
    root.mkdir(parents=True, exist_ok=True)
    with _Lock():
        staging = Path(tempfile.mkdtemp(prefix=f".building-{name}-", dir=root))
        try:
            release = _build(name, staging, base=base, today=today, task_id=task_id)
            target = root / name
            try:
                os.rename(staging, target)  # fails if a release of that name appeared
            except OSError:
                raise ReleaseError(TAKEN.format(name=name)) from None
            target.chmod(0o555)
            return Release(name=name, path=target, manifest=release)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)


def _build(name, staging: Path, *, base: Release | None, today, task_id) -> dict:
    folder_name = f"{slugify(settings.DATA_PUBLISHER) or 'dataset'}-{name}"
    folder = staging / folder_name
    folder.mkdir()
    files, rows, taken_at = _snapshot_exports(folder)
    (folder / "datapackage.json").write_text(
        json.dumps(datapackage(files, version=name, created=taken_at), indent=2, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    changes = {"release": name, **release_changes(folder=folder, previous=base)}
    (folder / CHANGES).write_text(json.dumps(changes, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / "CHANGELOG.md").write_text(changelog_markdown(name, changes), encoding="utf-8")
    description = release_description(name, released_on=today, previous=base)
    (folder / "CITATION.cff").write_text(citation_cff(description), encoding="utf-8")
    (folder / "datacite.xml").write_bytes(datacite_xml(description))
    checksums = {path.name: _sha256(path) for path in sorted(folder.iterdir())}
    (folder / CHECKSUMS).write_text(
        "".join(f"{digest}  {file}\n" for file, digest in checksums.items()), encoding="utf-8"
    )
    created_at = timezone.now()
    zip_name = f"{folder_name}.zip"
    _zip(folder, staging / zip_name, stamp=timezone.localtime(created_at))
    shutil.copyfile(folder / CHANGES, staging / CHANGES)
    manifest = {
        "name": name,
        "version": name,
        "title": f"{settings.DATA_PUBLISHER} dataset {name}",
        "created_at": created_at.isoformat(),
        "data_as_of": taken_at,
        "previous": base.name if base else None,
        "doi": "",
        "folder": folder_name,
        "zip": {
            "file": zip_name,
            "bytes": (staging / zip_name).stat().st_size,
            "sha256": _sha256(staging / zip_name),
        },
        "files": [
            {"path": file, "bytes": (folder / file).stat().st_size, "sha256": digest}
            for file, digest in checksums.items()
        ],
        "rows": rows,
        "changes": change_counts(changes),
        "task_id": task_id,
    }
    shutil.rmtree(folder)
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    for path in staging.iterdir():
        path.chmod(0o444)
    return manifest
