"""Back up and restore everything the site cannot recreate: the database and the files.

    python scripts/backup.py create [--output DIR]   (make backup)
    python scripts/backup.py restore FILE            (make restore FILE=...)

A backup is one tar file named by its UTC time, ``panoptic-<YYYYmmddTHHMMSSZ>.tar``,
holding ``database.dump`` (pg_dump's custom format), ``media/`` (uploads),
``archive/`` (the evidence archive, when there is one), ``releases/`` (the dataset
releases, when there are some) and ``backup.json``
(what and when). It is written under a temporary name and renamed when
complete, so a half-written backup never looks like a good one.

Restoring needs an empty database (create it, with PostGIS available, and
point DATABASE_URL at it) and empty media and archive folders: it never
overwrites data. Connection settings come from the Django settings, so the
same environment variables as the site apply.
"""

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


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


def _archive_root(settings):
    return Path(settings.ARCHIVE_ROOT)


def create(output):
    settings = _settings()
    db = settings.DATABASES["default"]
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    final = output / f"panoptic-{stamp}.tar"
    with tempfile.TemporaryDirectory(dir=output) as work:
        dump = Path(work) / "database.dump"
        args, env = _connection_args(db)
        result = subprocess.run(
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(dump), *args],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        partial = Path(work) / "backup.tar"
        folders = {
            "media": Path(settings.MEDIA_ROOT),
            "archive": _archive_root(settings),
            "releases": Path(settings.RELEASE_ROOT),
        }
        manifest = {
            "created": stamp,
            "database": db["NAME"],
            "folders": [name for name, path in folders.items() if path.is_dir()],
        }
        with tarfile.open(partial, "w") as tar:
            tar.add(dump, arcname="database.dump")
            for name, path in folders.items():
                if path.is_dir():
                    tar.add(path, arcname=name)
            info = tarfile.TarInfo("backup.json")
            data = json.dumps(manifest, indent=2).encode()
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        os.replace(partial, final)
    return final


def _database_is_empty(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' "
            "AND table_name NOT IN ('spatial_ref_sys', 'geography_columns', 'geometry_columns')"
        )
        return cursor.fetchone()[0] == 0


def restore(path):
    settings = _settings()
    db = settings.DATABASES["default"]
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"no backup file {path}")
    if not _database_is_empty(db):
        raise BackupError(f"database {db['NAME']} is not empty: restore into a new, empty database")
    targets = {
        "media": Path(settings.MEDIA_ROOT),
        "archive": _archive_root(settings),
        "releases": Path(settings.RELEASE_ROOT),
    }
    for name, target in targets.items():
        if target.is_dir() and any(target.iterdir()):
            raise BackupError(f"{name} folder {target} is not empty: restore into an empty one")
    with tempfile.TemporaryDirectory() as work, tarfile.open(path) as tar:
        tar.extractall(work, filter="data")
        work = Path(work)
        if not (work / "database.dump").is_file():
            raise BackupError(f"{path} is not a Panoptic Tracker backup (no database.dump)")
        args, env = _connection_args(db)
        result = subprocess.run(
            [
                _tool("pg_restore"),
                "--no-owner",
                "--exit-on-error",
                "--single-transaction",
                *args,
                str(work / "database.dump"),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        for name, target in targets.items():
            if (work / name).is_dir():
                target.mkdir(parents=True, exist_ok=True)
                shutil.copytree(work / name, target, dirs_exist_ok=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("create", help="write a timestamped backup")
    make.add_argument("--output", default=str(ROOT / "var" / "backups"))
    back = commands.add_parser("restore", help="restore a backup into an empty database")
    back.add_argument("file")
    options = parser.parse_args(argv)
    try:
        if options.command == "create":
            print(create(options.output))
        else:
            restore(options.file)
            print(f"restored {options.file}")
    except BackupError as error:
        print(f"backup: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
