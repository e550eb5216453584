"""Back up and restore everything the site cannot recreate: the database and the files.

    python scripts/backup.py create [--output DIR] [--keep N]   (make backup)
    python scripts/backup.py restore FILE                       (make restore FILE=...)

A backup is one tar file named by its UTC time, ``panoptic-<YYYYmmddTHHMMSSZ>.tar``,
holding ``database.dump`` (pg_dump's custom format), ``media/`` (uploads),
``archive/`` (the evidence archive, when there is one), ``releases/`` (the dataset
releases, when there are some) and ``backup.json`` (what and when). It holds
password hashes, e-mail addresses, sessions and API tokens, so it is readable by
its owner only (mode 0600, in a folder of mode 0700 when the script creates it).
It is written under a temporary name and renamed when complete, so a half-written
backup never looks like a good one.

Restoring needs an empty database and empty media and archive folders: it
never overwrites data. It runs as the role DATABASE_URL names, the site's own,
so that every restored table belongs to the role the site connects as. That
role need not be a superuser: extensions (PostGIS) already created in the
database are left as they are, with their comments and the rows of their
tables, and a missing one is created when the role may do so. Members of the
tar file are checked and written one by one, the same way on every Python 3.11
(Debian 12's has no extraction filters). Connection settings come from the
Django settings, so the same environment variables as the site apply.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path, PurePosixPath

from django.db import DatabaseError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

DUMP = "database.dump"
MANIFEST = "backup.json"
NAME_PATTERN = "panoptic-*Z.tar"


class BackupError(Exception):
    pass


def _settings():
    import django

    django.setup()
    from django.conf import settings

    return settings


def _tool(name):
    """pg_dump/pg_restore of the newest PostgreSQL installed, else the one on PATH."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3])
    )
    if candidates:
        return str(candidates[-1])
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found: install the PostgreSQL client")
    return found


def _connection_args(db):
    """libpq arguments and environment for Django's database settings."""
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(tool, *args, db=None):
    """Run a PostgreSQL client tool (connected to ``db`` when given); its output, or one error."""
    connection_args, env = _connection_args(db) if db else ([], None)
    result = subprocess.run(
        [_tool(tool), *connection_args, *args], env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise BackupError(f"{tool} failed: {result.stderr.strip()}")
    return result.stdout


def _folders(settings):
    return {
        "media": Path(settings.MEDIA_ROOT),
        "archive": Path(settings.ARCHIVE_ROOT),
        "releases": Path(settings.RELEASE_ROOT),
    }


def _only_files_and_folders(member):
    """tar.add's filter: uploads and the archive are plain files; anything else stays out."""
    return member if member.isfile() or member.isdir() else None


def create(output, keep=None):
    settings = _settings()
    db = settings.DATABASES["default"]
    output = Path(output)
    if not output.is_dir():
        output.mkdir(mode=0o700, parents=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    final = output / f"panoptic-{stamp}.tar"
    with tempfile.TemporaryDirectory(dir=output) as work:
        dump = Path(work) / DUMP
        _run("pg_dump", "--format=custom", "--no-owner", "--file", str(dump), db=db)
        partial = Path(work) / "backup.tar"
        folders = {name: path for name, path in _folders(settings).items() if path.is_dir()}
        manifest = {"created": stamp, "database": db["NAME"], "folders": sorted(folders)}
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file, tarfile.open(fileobj=file, mode="w") as tar:
            tar.add(dump, arcname=DUMP)
            for name, path in folders.items():
                tar.add(path, arcname=name, filter=_only_files_and_folders)
            info = tarfile.TarInfo(MANIFEST)
            data = json.dumps(manifest, indent=2).encode()
            info.size = len(data)
            tar.addfile(info, BytesIO(data))
        os.replace(partial, final)
    if keep:
        for old in sorted(output.glob(NAME_PATTERN))[:-keep]:
            old.unlink()
    return final


def _members(tar, path):
    """The backup's members, each a plain file or folder under a name a backup may hold.

    Refusing everything else (links, devices, absolute paths, ``..``) is what
    makes writing the members out safe.
    """
    members = tar.getmembers()
    for member in members:
        parts = PurePosixPath(member.name).parts
        safe = (
            parts
            and not PurePosixPath(member.name).is_absolute()
            and ".." not in parts
            and (member.isfile() or member.isdir())
            and (parts[0] in ("media", "archive") or member.name in (DUMP, MANIFEST))
        )
        if not safe:
            raise BackupError(f"{path} holds {member.name!r}, which no backup holds: refused")
    names = {member.name for member in members}
    if DUMP not in names:
        raise BackupError(f"{path} is not a Panoptic Tracker backup (no {DUMP})")
    return members


def _write_member(tar, member, target):
    if member.isdir():
        target.mkdir(parents=True, exist_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    with tar.extractfile(member) as source, open(target, "xb") as destination:
        shutil.copyfileobj(source, destination, 1 << 20)


def _query(sql, *params):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# Relations in the public schema that no extension brought (PostGIS's spatial_ref_sys,
# geometry_columns and the like come with CREATE EXTENSION).
OWN_RELATIONS = """
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                    AND d.objid = c.oid AND d.deptype = 'e')
"""
EXTENSION_TABLES = """
    SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
    WHERE c.relkind IN ('r', 'p')
"""


def _toc(dump):
    """pg_restore's table of contents of a dump: one line per entry, ``ID; OID OID TYPE ...``."""
    return _run("pg_restore", "--list", str(dump)).splitlines()


def _fields(line):
    return [] if line.startswith(";") or ";" not in line else line.split(";", 1)[1].split()


def _extensions_ensure(toc, database):
    """Every extension the dump holds exists in the target database, or one clear error."""
    from django.db import DatabaseError, connection

    wanted = {fields[4] for fields in map(_fields, toc) if fields[2:3] == ["EXTENSION"]}
    present = {name for (name,) in _query("SELECT extname FROM pg_extension")}
    for name in sorted(wanted - present):
        try:
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE EXTENSION IF NOT EXISTS "{name}"')
        except DatabaseError as error:
            raise BackupError(
                f"database {database} lacks the {name} extension and this role may not create "
                f"it ({str(error).splitlines()[0]}): as a superuser, run CREATE EXTENSION {name}; "
                "in that database, then restore again"
            ) from None


def _restore_list(toc):
    """The dump's table of contents less what the target's extensions already hold:
    the extensions, their comments and the rows of their own tables (spatial_ref_sys)."""
    extension_tables = {f"{schema} {table}" for schema, table in _query(EXTENSION_TABLES)}
    kept = []
    for line in toc:
        fields = _fields(line)
        if (
            fields[2:3] == ["EXTENSION"]
            or fields[2:5] == ["COMMENT", "-", "EXTENSION"]
            or fields[2:4] == ["TABLE", "DATA"]
            and " ".join(fields[4:6]) in extension_tables
        ):
            continue
        kept.append(line)
    return "\n".join(kept) + "\n"


def restore(path):
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"no backup file {path}")
    with tempfile.TemporaryDirectory() as work, tarfile.open(path) as tar:
        members = _members(tar, path)  # a hostile file is refused before Django starts
        settings = _settings()
        db = settings.DATABASES["default"]
        targets = _folders(settings)
        if _query(OWN_RELATIONS):
            raise BackupError(
                f"database {db['NAME']} is not empty: restore into a new, empty database"
            )
        for name, target in targets.items():
            if target.is_dir() and any(target.iterdir()):
                raise BackupError(f"{name} folder {target} is not empty: restore into an empty one")
        dump = Path(work) / DUMP
        _write_member(tar, tar.getmember(DUMP), dump)
        toc = _toc(dump)
        _extensions_ensure(toc, db["NAME"])
        (Path(work) / "restore.list").write_text(_restore_list(toc))
        _run(
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--use-list",
            str(Path(work) / "restore.list"),
            str(dump),
            db=db,
        )
        for member in members:
            parts = PurePosixPath(member.name).parts
            if parts[0] in targets:
                _write_member(tar, member, targets[parts[0]].joinpath(*parts[1:]))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("create", help="write a timestamped backup")
    make.add_argument("--output", default=str(ROOT / "var" / "backups"))
    make.add_argument(
        "--keep", type=int, default=None, help="then delete all but the newest N backups there"
    )
    back = commands.add_parser("restore", help="restore a backup into an empty database")
    back.add_argument("file")
    options = parser.parse_args(argv)
    if options.command == "create" and options.keep is not None and options.keep < 1:
        parser.error("--keep must be 1 or more")
    try:
        if options.command == "create":
            print(create(options.output, keep=options.keep))
        else:
            restore(options.file)
            print(f"restored {options.file}")
    except (BackupError, tarfile.TarError, OSError, DatabaseError) as error:
        print(f"backup: {error}".strip(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
