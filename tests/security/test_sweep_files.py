"""Files from outside and names in URLs: a hostile OpenStreetMap file (entities that
expand a billion times, or name a local file) is refused whole; a release name never
leaves the releases folder."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tracker.models import OsmCamera, OsmImport

pytestmark = pytest.mark.django_db

LAUGHS = "\n".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 16 if n else "ha" * 20}">' for n in range(8))
HOSTILE_OSM = f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE osm [
{LAUGHS}
<!ENTITY local SYSTEM "file:///etc/hostname">
]>
<osm version="0.6">
<node id="1" version="1" lat="26.8" lon="80.9">
<tag k="man_made" v="surveillance"/><tag k="name" v="&local;"/><tag k="note" v="&l7;"/>
</node>
</osm>
"""


def test_an_osm_file_with_entities_is_refused_whole(tmp_path):
    path = tmp_path / "laughs.osm"
    path.write_text(HOSTILE_OSM)
    with pytest.raises(CommandError) as caught:
        call_command("import_osm", str(path))
    assert "nothing was imported" in str(caught.value)
    assert "\n" not in str(caught.value).strip()
    assert not OsmCamera.objects.exists() and not OsmImport.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/data/releases/..%2F..%2Fsettings.zip",
        "/data/releases/%2E%2E/changes.json",
        "/data/releases/2026.01.1%00.zip",
        "/data/releases/\uff12\uff10\uff12\uff16.01.1.zip",  # digits, but not ASCII ones
        "/api/v1/releases/..%2F..%2F/",
        "/api/v1/releases/%2E%2E/",
    ],
)
def test_a_release_name_never_leaves_the_releases_folder(client, settings, tmp_path, path):
    settings.RELEASE_ROOT = tmp_path / "releases"
    (tmp_path / "settings.zip").write_bytes(b"PK secret")
    response = client.get(path)
    assert response.status_code == 404
    assert b"secret" not in response.content
