"""The evidence archive: each version whose text changed, in WARC and as text, with a diff."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from warcio.archiveiterator import ArchiveIterator

from accounts.roles import Role, role_grant
from tests.factories import CitationFactory, DeploymentFactory, SourceFactory
from tests.support.servers import Reply, html_page
from tests.support.services import check
from tracker.catalogue.links import detail_url
from tracker.checking import archive
from tracker.models import ArchivedText, SourceVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive_root(settings, tmp_path):
    settings.ARCHIVE_ROOT = tmp_path / "archive"
    return settings.ARCHIVE_ROOT


@pytest.fixture
def moderator_client(client, django_user_model):
    moderator = django_user_model.objects.create_user("meera")
    role_grant(user=moderator, role=Role.MODERATOR)
    client.force_login(moderator)
    return client


@pytest.fixture
def changing(site):
    """A page whose article text changes when the test says so."""
    state = {"text": "The city installed forty cameras."}
    site.routes["/story"] = lambda handler: Reply(body=html_page(state["text"]))
    source = SourceFactory(url=site.url("/story"))
    return source, state


def warc_records(root: Path):
    records = []
    for path in sorted(root.rglob("*.warc.gz")):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "response":
                    records.append(
                        (
                            record.rec_headers.get_header("WARC-Target-URI"),
                            record.http_headers.get_statuscode(),
                            record.content_stream().read(),
                        )
                    )
    return records


def test_two_versions_of_a_changing_page_make_two_warc_records_and_a_diff(
    changing, archive_root, moderator_client
):
    source, page = changing
    check(source)
    check(source)  # unchanged: nothing new to keep
    page["text"] = "The city installed four hundred cameras."
    assert check(source).outcome == "changed"

    records = warc_records(archive_root)
    assert [(uri, status) for uri, status, _ in records] == [(source.url, "200")] * 2
    assert b"forty cameras" in records[0][2] and b"four hundred cameras" in records[1][2]
    newest, oldest = SourceVersion.objects.filter(source=source)
    assert oldest.text.text == "Cameras\nThe city installed forty cameras."
    assert archive.version_read_warc(newest)[2] == records[1][2]

    body = moderator_client.get("/moderation/sources/").content.decode()
    # Screen readers hear "removed:" and "added:", which most do not say for <del>, <ins>.
    hidden = '<span class="visually-hidden">{} </span>'
    assert f"<del>{hidden.format('removed:')}The city installed forty cameras.</del>" in body
    assert f"<ins>{hidden.format('added:')}The city installed four hundred cameras.</ins>" in body
    assert f"/sources/{source.pk}/archive/{oldest.pk}/" in body
    copy = moderator_client.get(f"/sources/{source.pk}/archive/{oldest.pk}/").content.decode()
    assert "The city installed forty cameras." in copy and "Archived copy of" in copy


def test_identical_text_is_stored_once(site, archive_root):
    site.routes["/a"] = Reply(body=html_page("Same words."))
    site.routes["/b"] = Reply(body=html_page("Same words.", script="var changed = 1;"))
    check(SourceFactory(url=site.url("/a")))
    check(SourceFactory(url=site.url("/b")))
    assert SourceVersion.objects.count() == 2
    assert ArchivedText.objects.count() == 1


def test_each_source_keeps_at_most_the_cap(
    changing, archive_root, settings, django_capture_on_commit_callbacks
):
    settings.ARCHIVE_MAX_VERSIONS = 2
    source, page = changing
    for n in range(4):
        page["text"] = f"Version {n}."
        with django_capture_on_commit_callbacks(execute=True):  # files go once committed
            check(source)
    kept = list(SourceVersion.objects.filter(source=source).values_list("text__text", flat=True))
    assert kept == ["Cameras\nVersion 3.", "Cameras\nVersion 2."]
    assert len(list(archive_root.rglob("*.warc.gz"))) == 2  # the older files are gone
    assert ArchivedText.objects.count() == 2
    storage = archive.archive_storage()
    assert (storage["files"], storage["versions"], storage["most_versions"]) == (2, 2, 2)
    assert storage["bytes"] > 0


def test_archived_copies_are_for_moderators_unless_archive_public(
    changing, archive_root, client, settings
):
    source, page = changing
    deployment = DeploymentFactory()
    CitationFactory(source=source, deployment=deployment)
    check(source)
    page["text"] = "Changed."
    check(source)
    version = SourceVersion.objects.filter(source=source).first()
    url = f"/sources/{source.pk}/archive/{version.pk}/"
    detail = detail_url(deployment)
    assert client.get(url).status_code == 404
    assert "archived copy of" not in client.get(detail).content.decode()
    settings.ARCHIVE_PUBLIC = True
    assert client.get(url).status_code == 200
    assert "archived copy of" in client.get(detail).content.decode()


def test_export_with_archive_includes_the_warc_files(changing, archive_root, tmp_path):
    source, page = changing
    CitationFactory(source=source, deployment=DeploymentFactory())
    check(source)
    out = StringIO()
    call_command("export_dataset", str(tmp_path / "export"), "--with-archive", stdout=out)
    exported = list((tmp_path / "export" / "archive").rglob("*.warc.gz"))
    assert len(exported) == 1
    assert warc_records(tmp_path / "export" / "archive")[0][0] == source.url
    manifest = (tmp_path / "export" / "archive" / "versions.csv").read_text()
    assert str(source.pk) in manifest and "Wrote 1 WARC files" in out.getvalue()
