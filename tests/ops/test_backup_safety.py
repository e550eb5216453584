"""What a restore refuses, each with one line and nothing written: a tar file whose
members could land outside the target folders, and a database without PostGIS that
the app's role may not extend."""

import io
import os
import secrets
import stat
import subprocess
import sys
import tarfile

import psycopg
import pytest
from django.db import connection

from tests.support.servers import ROOT, database_url

pytestmark = pytest.mark.slow  # every test runs the backup script


def run_backup(*args, env):
    return subprocess.run(
        [sys.executable, "scripts/backup.py", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )


def superuser():
    db = connection.settings_dict
    return psycopg.connect(
        dbname="postgres", host=db["HOST"], user=db.get("USER") or "postgres", autocommit=True
    )


@pytest.fixture
def app_role_database():
    """An empty database owned by a role that is no superuser, without PostGIS."""
    name = f"panoptic_bare_{secrets.token_hex(4)}"
    with superuser() as conn:
        conn.execute(f"CREATE ROLE {name} LOGIN")
        conn.execute(f"CREATE DATABASE {name} OWNER {name} TEMPLATE template0")
    settings = {**connection.settings_dict, "USER": name, "NAME": name}
    yield database_url(settings)
    with superuser() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"DROP ROLE IF EXISTS {name}")


def backup_file(path, members):
    """A tar file holding ``members``: (TarInfo, bytes or None) pairs."""
    with tarfile.open(path, "w") as tar:
        for info, data in members:
            if data is not None:
                info.size = len(data)
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


def member(name, data=b"x", kind=tarfile.REGTYPE, link=""):
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, link
    return info, data if kind == tarfile.REGTYPE else None


@pytest.mark.parametrize(
    "hostile",
    [
        member("media/../../escaped.txt"),
        member("/tmp/absolute.txt"),
        member("media/link", kind=tarfile.SYMTYPE, link="/etc/passwd"),
        member("media/hard", kind=tarfile.LNKTYPE, link="database.dump"),
        member("media/fifo", kind=tarfile.FIFOTYPE),
        member("settings.py"),
    ],
    ids=["dot-dot", "absolute", "symlink", "hardlink", "fifo", "stray-file"],
)
def test_a_member_no_backup_holds_is_refused_before_anything_is_touched(hostile, tmp_path):
    members = [member("database.dump", b"PGDMP"), member("media/a.txt"), hostile]
    path = backup_file(tmp_path / "hostile.tar", members)
    media = tmp_path / "media"
    env = {
        # Refused before any connection: this database does not even exist.
        "DATABASE_URL": database_url(connection.settings_dict, name="panoptic_never_touched"),
        "MEDIA_ROOT": str(media),
        "ARCHIVE_ROOT": str(tmp_path / "archive"),
    }
    result = run_backup("restore", str(path), env=env)
    assert result.returncode == 1
    assert result.stderr == (
        f"backup: {path} holds {hostile[0].name!r}, which no backup holds: refused\n"
    )
    assert not media.exists()
    assert not (tmp_path.parent / "escaped.txt").exists()


def test_a_database_without_postgis_the_role_cannot_add_is_one_clear_line(
    app_role_database, tmp_path, transactional_db
):
    made = run_backup(
        "create",
        "--output",
        str(tmp_path / "backups"),
        env={
            "DATABASE_URL": database_url(connection.settings_dict),
            "MEDIA_ROOT": str(tmp_path / "media"),
            "ARCHIVE_ROOT": str(tmp_path / "archive"),
        },
    )
    assert made.returncode == 0, made.stderr
    backup = made.stdout.strip()
    assert stat.S_IMODE(os.stat(backup).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / "backups").st_mode) == 0o700

    result = run_backup(
        "restore",
        backup,
        env={
            "DATABASE_URL": app_role_database,
            "MEDIA_ROOT": str(tmp_path / "restored-media"),
            "ARCHIVE_ROOT": str(tmp_path / "restored-archive"),
        },
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "lacks the postgis extension" in result.stderr
    assert "as a superuser, run CREATE EXTENSION postgis;" in result.stderr
    assert not (tmp_path / "restored-media").exists()
