"""Dataset releases: numbered, immutable, citable snapshots with a changelog, built from one
database snapshot, listed on /data/releases/ and /api/v1/releases/, and backed up."""

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from lxml import etree

from tests.factories import AgencyFactory, CitationFactory, DeploymentFactory, SourceFactory
from tests.support.servers import ROOT, database_url
from tracker.exports import releases as release_module
from tracker.exports.releases import ReleaseError, dataset_release, release_next_name, releases
from tracker.publication import entity_withdraw

CFFCONVERT = Path(sys.executable).with_name("cffconvert")
DATACITE = "{http://datacite.org/schema/kernel-4}"


@pytest.fixture
def release_root(settings, tmp_path):
    settings.RELEASE_ROOT = tmp_path / "releases"
    return settings.RELEASE_ROOT


@pytest.fixture
def published(transactional_db):
    agency = AgencyFactory(name="Hyderabad Police", wikidata_id="Q3695175")
    first = DeploymentFactory(title="TSCOP face recognition", lead_agency=agency, cost_inr=100)
    second = DeploymentFactory(title="Airport DigiYatra", lead_agency=agency, camera_count=10)
    CitationFactory(source=SourceFactory(url="https://news.example.org/tscop"), deployment=first)
    return {"agency": agency, "first": first, "second": second}


def unpacked(release):
    """{file name: bytes} of everything in the release's zip."""
    with zipfile.ZipFile(release.zip_path) as archive:
        return {
            Path(name).name: archive.read(name)
            for name in archive.namelist()
            if name.startswith(release.manifest["folder"] + "/")
        }


def csv_of(files, name):
    return list(csv.DictReader(io.StringIO(files[name].decode())))


def test_a_release_holds_every_file_with_checksums_and_citations(published, release_root, tmp_path):
    release = dataset_release(today=date(2026, 12, 5))
    assert release.name == "2026.12.0"
    files = unpacked(release)
    assert {
        "deployments.csv",
        "deployments.geojson",
        "agencies.csv",
        "agencies.geojson",
        "hotspots.csv",
        "hotspots.geojson",
        "rti-requests.csv",
        "sources.csv",
        "evidence.csv",
        "datapackage.json",
        "CITATION.cff",
        "datacite.xml",
        "SHA256SUMS",
        "CHANGELOG.md",
        "changes.json",
    } == set(files)
    assert {row["title"] for row in csv_of(files, "deployments.csv")} == {
        "TSCOP face recognition",
        "Airport DigiYatra",
    }
    assert json.loads(files["datapackage.json"])["version"] == "2026.12.0"

    # Every file's checksum, as sha256sum -c reads them.
    sums = dict(reversed(line.split("  ", 1)) for line in files["SHA256SUMS"].decode().splitlines())
    assert set(sums) == set(files) - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256(files[name]).hexdigest() == digest
    assert (
        release.manifest["zip"]["sha256"]
        == hashlib.sha256(release.zip_path.read_bytes()).hexdigest()
    )

    # CITATION.cff is valid Citation File Format, as cffconvert checks it.
    cff = tmp_path / "CITATION.cff"
    cff.write_bytes(files["CITATION.cff"])
    checked = subprocess.run(
        [str(CFFCONVERT), "--validate", "-i", str(cff)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert 'title: "Panoptic Tracker dataset"' in files["CITATION.cff"].decode()
    assert 'version: "2026.12.0"' in files["CITATION.cff"].decode()

    # DataCite 4: the mandatory properties, the version and the rights; the DOI to fill in.
    root = etree.fromstring(files["datacite.xml"])
    assert root.tag == f"{DATACITE}resource"
    identifier = root.find(f"{DATACITE}identifier")
    assert identifier.get("identifierType") == "DOI" and not identifier.text
    assert root.findtext(f"{DATACITE}creators/{DATACITE}creator/{DATACITE}creatorName") == (
        "Panoptic Tracker"
    )
    assert (
        root.findtext(f"{DATACITE}titles/{DATACITE}title") == "Panoptic Tracker dataset 2026.12.0"
    )
    assert root.findtext(f"{DATACITE}publisher") == "Panoptic Tracker"
    assert root.findtext(f"{DATACITE}publicationYear") == "2026"
    assert root.find(f"{DATACITE}resourceType").get("resourceTypeGeneral") == "Dataset"
    assert root.findtext(f"{DATACITE}version") == "2026.12.0"
    rights = root.find(f"{DATACITE}rightsList/{DATACITE}rights")
    assert rights.get("rightsIdentifier") == "CC-BY-4.0"


def test_an_invalid_citation_file_fails_cffconvert(tmp_path):
    """The validation above can fail: a citation without its title is refused."""
    cff = tmp_path / "CITATION.cff"
    cff.write_text('cff-version: 1.2.0\nmessage: "Cite it."\nauthors:\n  - name: "Us"\n')
    checked = subprocess.run([str(CFFCONVERT), "--validate", "-i", str(cff)], capture_output=True)
    assert checked.returncode != 0


def test_the_changelog_lists_ids_added_changed_with_fields_and_withdrawn(published, release_root):
    first = dataset_release(today=date(2026, 11, 30))
    assert first.manifest["changes"]["deployments"] == {"added": 2, "changed": 0, "withdrawn": 0}

    new = DeploymentFactory(title="Metro gates", lead_agency=published["agency"])
    published["first"].camera_count = 700
    published["first"].status = "pilot"
    published["first"].save()
    entity_withdraw(entity=published["second"], reason="Duplicate of another entry")
    second = dataset_release(today=date(2026, 12, 1))

    assert second.name == "2026.12.0" and second.manifest["previous"] == first.name
    changes = json.loads(unpacked(second)["changes.json"])
    assert changes["previous"] == "2026.11.0"
    assert changes["entities"]["deployments"] == {
        "added": [new.pk],
        # Its verification level is derived from its claims, so it moved with them.
        "changed": [
            {"id": published["first"].pk, "fields": ["status", "camera_count", "confidence"]}
        ],
        "withdrawn": [published["second"].pk],
    }
    markdown = unpacked(second)["CHANGELOG.md"].decode()
    assert f"- {published['first'].pk}: status, camera_count, confidence" in markdown
    assert json.loads(second.changes_path.read_text()) == changes

    # Nothing changed: an empty changelog, and the month's next number.
    third = dataset_release(today=date(2026, 12, 2))
    assert third.name == "2026.12.1"
    assert third.manifest["changes"]["deployments"] == {"added": 0, "changed": 0, "withdrawn": 0}


def test_a_changelog_leaves_the_csv_imports_size_limit_as_it_was(published, release_root):
    """The changelog reads long cells, but the process's CSV limit is the import's guard
    against a huge field: it is the same after a release as before."""
    limit = csv.field_size_limit()
    dataset_release(today=date(2026, 11, 30))
    DeploymentFactory(title="Metro gates", lead_agency=published["agency"])
    dataset_release(today=date(2026, 12, 1))
    assert csv.field_size_limit() == limit


def test_a_release_is_one_snapshot_even_while_data_changes(published, release_root, monkeypatch):
    """A write committed while the release is being built is in none of its files."""
    real = release_module.csv_chunks
    db = connection.settings_dict

    def committed_elsewhere():
        with psycopg.connect(
            dbname=db["NAME"], host=db["HOST"], user=db.get("USER") or "postgres", autocommit=True
        ) as other:
            other.execute(
                "UPDATE tracker_agency SET name = 'Renamed Police' WHERE id = %s",
                [published["agency"].pk],
            )

    def chunks(export, queryset):
        yield from real(export, queryset)
        if export.name == "deployments":
            committed_elsewhere()

    monkeypatch.setattr(release_module, "csv_chunks", chunks)
    files = unpacked(dataset_release(today=date(2026, 12, 5)))
    assert {row["name"] for row in csv_of(files, "agencies.csv")} == {"Hyderabad Police"}
    assert {row["lead_agency_name"] for row in csv_of(files, "deployments.csv")} == {
        "Hyderabad Police"
    }
    published["agency"].refresh_from_db()
    assert published["agency"].name == "Renamed Police"


def test_a_taken_name_or_a_missing_previous_release_is_refused_and_writes_nothing(
    published, release_root
):
    dataset_release(name="2026.12.0")
    before = sorted(path.name for path in release_root.iterdir())
    zip_bytes = releases()[0].zip_path.read_bytes()
    with pytest.raises(ReleaseError, match="release 2026.12.0 already exists"):
        dataset_release(name="2026.12.0")
    with pytest.raises(ReleaseError, match="no release '2025.01.0' to compare with"):
        dataset_release(previous="2025.01.0")
    with pytest.raises(ReleaseError, match="not a release name"):
        dataset_release(name="../etc")
    assert sorted(path.name for path in release_root.iterdir()) == before
    assert releases()[0].zip_path.read_bytes() == zip_bytes
    for path in releases()[0].path.iterdir():
        assert path.stat().st_mode & 0o222 == 0  # read-only

    with pytest.raises(CommandError, match="release 2026.12.0 already exists"):
        call_command("release_dataset", "--name", "2026.12.0")
    with pytest.raises(CommandError, match="no release '2024.02.0' to compare with"):
        call_command("release_dataset", "--previous", "2024.02.0")


def test_the_command_prints_the_release_and_its_changes(published, release_root):
    out = io.StringIO()
    call_command("release_dataset", stdout=out)
    text = out.getvalue()
    assert text.startswith("Release ")
    assert "deployments: 2 rows; against nothing (the first release): 2 added" in text


def test_a_redelivered_task_finds_the_release_it_made(published, release_root):
    made = dataset_release(task_id="task-1")
    assert dataset_release(task_id="task-1").name == made.name
    assert len(releases()) == 1


def test_month_numbers():
    assert release_next_name(today=date(2026, 12, 5), existing=[]) == "2026.12.0"
    existing = ["2026.12.0", "2026.12.1", "2026.11.4"]
    assert release_next_name(today=date(2026, 12, 5), existing=existing) == "2026.12.2"
    assert release_next_name(today=date(2027, 1, 1), existing=existing) == "2027.01.0"


def test_pages_and_api_list_releases_with_sizes_and_changes(published, release_root, client):
    dataset_release(today=date(2026, 11, 3))
    DeploymentFactory(title="Metro gates", lead_agency=published["agency"])
    latest = dataset_release(today=date(2026, 12, 5))

    page = client.get("/data/releases/")
    assert page.status_code == 200 and "Set-Cookie" not in page
    text = page.content.decode()
    assert "Panoptic Tracker dataset 2026.12.0" in text and "2026.11.0" in text
    assert latest.manifest["zip"]["sha256"] in text
    assert "Changes since 2026.11.0" in text
    # When the data was taken reads as a date and time, never a raw timestamp.
    as_of = datetime.fromisoformat(latest.manifest["data_as_of"]).astimezone(UTC)
    assert f"the data as it stood at {as_of:%-d %B %Y, %H:%M} (UTC)" in text
    assert latest.manifest["data_as_of"] not in text
    # In Hindi the datasets have their Hindi names.
    hindi = client.get("/hi/data/releases/").content.decode()
    assert '<th scope="row">साक्ष्य</th>' in hindi and '<th scope="row">Evidence</th>' not in hindi

    download = client.get("/data/releases/2026.12.0.zip")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == latest.zip_path.read_bytes()
    assert download["Content-Type"] == "application/zip"
    assert client.get("/data/releases/2031.01.0.zip").status_code == 404

    listed = client.get("/api/v1/releases/").json()
    assert [r["name"] for r in listed] == ["2026.12.0", "2026.11.0"]
    assert listed[0]["changes"]["deployments"] == {"added": 1, "changed": 0, "withdrawn": 0}
    assert listed[0]["download"] == {
        "url": "http://testserver/data/releases/2026.12.0.zip",
        "bytes": latest.zip_path.stat().st_size,
        "sha256": latest.manifest["zip"]["sha256"],
    }
    changelog = client.get(listed[0]["changelog"].removeprefix("http://testserver"))
    assert json.loads(b"".join(changelog.streaming_content))["previous"] == "2026.11.0"
    detail = client.get("/api/v1/releases/2026.12.0/").json()
    assert {f["path"] for f in detail["files"]} >= {"CITATION.cff", "datacite.xml"}
    assert client.get("/api/v1/releases/nope/").status_code == 404


def settings_with(**env):
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.CELERY_BEAT_SCHEDULE.get('dataset-release'))",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
    )


def test_beat_releases_monthly_only_when_a_schedule_is_set():
    assert settings_with(RELEASE_SCHEDULE="").stdout.strip() == "None"
    scheduled = settings_with(RELEASE_SCHEDULE="0 3 1 * *")
    assert "tracker.dataset_release" in scheduled.stdout
    assert "<crontab: 0 3 1 * * (m/h/dM/MY/d)>" in scheduled.stdout
    wrong = settings_with(RELEASE_SCHEDULE="monthly")
    assert wrong.returncode != 0
    assert "RELEASE_SCHEDULE must be a crontab line such as '0 3 1 * *'" in wrong.stderr


def test_backups_include_the_releases(published, release_root, tmp_path):
    release = dataset_release()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "ARCHIVE_ROOT": str(tmp_path / "archive"),
        "RELEASE_ROOT": str(release_root),
    }
    made = subprocess.run(
        [sys.executable, "scripts/backup.py", "create", "--output", str(tmp_path / "backups")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    with tarfile.open(made.stdout.strip()) as tar:
        names = tar.getnames()
    assert f"releases/{release.name}/{release.zip_path.name}" in names
