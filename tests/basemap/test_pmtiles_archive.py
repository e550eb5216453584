"""The archive named by MAP_PMTILES is checked when the settings load: a good one passes, and
anything else stops the start with one line saying what is wrong."""

import pytest
from pmtiles.tile import Compression, TileType, deserialize_header, serialize_header

from tests.support.pmtiles_archive import write_archive
from tests.support.servers import production_env, run_manage
from tracker.basemap import ArchiveRefused, pmtiles_check


@pytest.fixture
def archive(tmp_path):
    return write_archive(tmp_path / "india.pmtiles")


def with_header(path, **changes):
    data = bytearray(path.read_bytes())
    header = deserialize_header(bytes(data[:127]))
    header.update(changes)
    data[:127] = serialize_header(header)
    path.write_bytes(bytes(data))
    return path


def test_a_good_archive_passes(archive):
    header = pmtiles_check(archive, max_bytes=10_000)
    assert header["tile_type"] == TileType.MVT and header["max_zoom"] == 6


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda p: p.write_bytes(b""), "shorter than a header"),
        (lambda p: p.write_bytes(b"<html>not tiles</html>" * 10), "is not a PMTiles archive"),
        (lambda p: p.write_bytes(b"PMTiles\x02" + bytes(200)), "not a PMTiles version 3"),
        (lambda p: p.write_bytes(p.read_bytes()[:200]), "truncated"),
        (lambda p: with_header(p, tile_data_length=10**9), "truncated or malformed"),
        (lambda p: with_header(p, tile_type=TileType.PNG), "holds PNG tiles"),
        (lambda p: with_header(p, tile_compression=Compression.ZSTD), "ZSTD compression"),
        (lambda p: p.write_bytes(p.read_bytes()[:127] + bytes(500)), "does not decode"),
    ],
)
def test_a_malformed_archive_is_refused_with_one_line(archive, damage, message):
    damage(archive)
    with pytest.raises(ArchiveRefused) as refused:
        pmtiles_check(archive, max_bytes=10_000)
    assert message in str(refused.value)
    assert "\n" not in str(refused.value) and str(archive) in str(refused.value)


def test_an_oversized_archive_is_refused(archive):
    with pytest.raises(ArchiveRefused, match="more than MAP_PMTILES_MAX_BYTES"):
        pmtiles_check(archive, max_bytes=100)


def test_a_missing_archive_is_refused(tmp_path):
    with pytest.raises(ArchiveRefused, match="cannot be read"):
        pmtiles_check(tmp_path / "nowhere.pmtiles", max_bytes=10_000)


def test_the_site_refuses_to_start_on_a_bad_archive(tmp_path):
    bad = tmp_path / "bad.pmtiles"
    bad.write_bytes(b"not an archive" * 20)
    result = run_manage("check", env=production_env(MAP_PMTILES=bad), check=False)
    assert result.returncode != 0
    assert f"MAP_PMTILES ({bad}) is not a PMTiles archive" in result.stderr
    # One line says it (the last of the traceback), and nothing was served or stored.
    assert result.stderr.strip().splitlines()[-1].endswith("is not a PMTiles archive")


def test_the_site_starts_on_a_good_archive(archive):
    result = run_manage("check", env=production_env(MAP_PMTILES=archive), check=False)
    assert result.returncode == 0, result.stderr
