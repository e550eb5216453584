"""The operator's PMTiles archive is served a range at a time (206), and a bad, overlapping or
out-of-file range is a 416, never a 500 nor the whole archive."""

import pytest

from tests.support.pmtiles_archive import write_archive

URL = "/map/basemap.pmtiles"


@pytest.fixture
def archive(tmp_path, settings):
    path = write_archive(tmp_path / "india.pmtiles")
    settings.MAP_PMTILES = str(path)
    return path.read_bytes()


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize(
    "header, start, stop",
    [
        ("bytes=0-126", 0, 127),  # the header, as a PMTiles reader asks first
        ("bytes=5-5", 5, 6),
        ("bytes=100-", 100, None),
        ("bytes=-10", -10, None),
        ("bytes=0-999999", 0, None),  # past the end: up to the end
    ],
)
def test_a_range_is_a_206_with_those_bytes(client, archive, header, start, stop):
    response = client.get(URL, HTTP_RANGE=header)
    assert response.status_code == 206
    expected = archive[start:stop]
    assert body(response) == expected
    first = start % len(archive)
    assert response["Content-Range"] == f"bytes {first}-{first + len(expected) - 1}/{len(archive)}"
    assert response["Content-Length"] == str(len(expected))
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "application/vnd.pmtiles"


@pytest.mark.parametrize(
    "header",
    [
        "bytes=abc",
        "bytes=9-2",
        "bytes=",
        "pages=0-1",
        "bytes=0-10,5-20",  # overlapping
        "bytes=0-1,4-5",  # several
        "bytes=100000-200000",  # outside the file
        "bytes=" + ",".join(f"{n}-{n}" for n in range(2000)),  # huge
    ],
)
def test_a_bad_range_is_a_416(client, archive, header):
    response = client.get(URL, HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(archive)}"


def test_the_whole_file_without_a_range(client, archive):
    response = client.get(URL)
    assert response.status_code == 200
    assert body(response) == archive
    assert response["Accept-Ranges"] == "bytes"
    assert not response.cookies


def test_revalidation_and_head(client, archive):
    etag = client.head(URL)["ETag"]
    head = client.head(URL, HTTP_RANGE="bytes=0-126")
    assert head.status_code == 206 and head["Content-Length"] == "127"
    assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 304
    # A reader that saw another version of the archive is told so, not sent a wrong range.
    assert client.get(URL, HTTP_RANGE="bytes=0-10", HTTP_IF_MATCH='"other"').status_code == 412


def test_no_archive_configured_is_a_404(client, settings):
    settings.MAP_PMTILES = ""
    assert client.get(URL).status_code == 404
