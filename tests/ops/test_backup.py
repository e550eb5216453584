"""make backup / make restore: a round trip gives back identical data and files."""

import os
import subprocess
import sys
import tarfile

import psycopg
import pytest
from django.db import connection

from tests.factories import CitationFactory, DeploymentFactory, SourceFactory, VendorFactory
from tests.support.servers import ROOT, database_url

pytestmark = pytest.mark.slow  # backs up and restores whole databases

RESTORED = "panoptic_restore_test"


def table_fingerprints(dbname):
    """{table: md5 of all its rows in a stable order} for every table of the public schema."""
    db = connection.settings_dict
    with psycopg.connect(
        dbname=dbname, host=db["HOST"], user=db.get("USER") or "postgres", port=db.get("PORT")
    ) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
            )
        ]
        return {
            table: conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                f'FROM "{table}" t'
            ).fetchone()
            for table in tables
        }


def admin_connection():
    db = connection.settings_dict
    return psycopg.connect(
        dbname="postgres",
        host=db["HOST"],
        user=db.get("USER") or "postgres",
        port=db.get("PORT"),
        autocommit=True,
    )


@pytest.fixture
def empty_database():
    with admin_connection() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {RESTORED}")
        conn.execute(f"CREATE DATABASE {RESTORED}")
    yield RESTORED
    with admin_connection() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {RESTORED} WITH (FORCE)")


def run_backup(*args, env):
    return subprocess.run(
        [sys.executable, "scripts/backup.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_backup_restores_identical_data_and_files(transactional_db, empty_database, tmp_path):
    deployment = DeploymentFactory(title="Safe City", summary="Cameras — कैमरे, 200 hotspots.")
    deployment.vendors.add(VendorFactory(name="Staqu"))
    CitationFactory(source=SourceFactory(url="https://example.org/news"), deployment=deployment)
    media, archive = tmp_path / "media", tmp_path / "archive"
    (media / "rti").mkdir(parents=True)
    (media / "rti" / "reply.pdf").write_bytes(b"%PDF-1.4 reply")
    (archive / "ab").mkdir(parents=True)
    (archive / "ab" / "abcdef.warc.gz").write_bytes(b"\x1f\x8b evidence")
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url(connection.settings_dict),
        MEDIA_ROOT=str(media),
        ARCHIVE_ROOT=str(archive),
    )
    made = run_backup("create", "--output", str(tmp_path / "backups"), env=env)
    assert made.returncode == 0, made.stderr
    backup = made.stdout.strip()
    assert backup.startswith(str(tmp_path / "backups" / "panoptic-")) and backup.endswith("Z.tar")
    with tarfile.open(backup) as tar:
        names = tar.getnames()
    assert {"database.dump", "backup.json", "media/rti/reply.pdf"} <= set(names)

    restored_media, restored_archive = tmp_path / "restored-media", tmp_path / "restored-archive"
    env.update(
        DATABASE_URL=database_url(connection.settings_dict, name=empty_database),
        MEDIA_ROOT=str(restored_media),
        ARCHIVE_ROOT=str(restored_archive),
    )
    back = run_backup("restore", backup, env=env)
    assert back.returncode == 0, back.stderr

    original = table_fingerprints(connection.settings_dict["NAME"])
    assert original["tracker_deployment"][0] >= 1
    assert table_fingerprints(empty_database) == original
    assert (restored_media / "rti" / "reply.pdf").read_bytes() == b"%PDF-1.4 reply"
    assert (restored_archive / "ab" / "abcdef.warc.gz").read_bytes() == b"\x1f\x8b evidence"

    # A second restore refuses: the database is no longer empty, nothing is overwritten.
    again = run_backup("restore", backup, env=env)
    assert again.returncode == 1
    assert again.stderr.strip() == (
        f"backup: database {empty_database} is not empty: restore into a new, empty database"
    )


def test_restore_of_a_missing_file_is_one_clear_line(tmp_path):
    result = run_backup("restore", str(tmp_path / "nope.tar"), env=None)
    assert result.returncode == 1
    assert result.stderr == f"backup: no backup file {tmp_path / 'nope.tar'}\n"
