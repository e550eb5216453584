"""The operator's own vector basemap: one PMTiles archive named by ``MAP_PMTILES``.

A PMTiles file is a single archive of map tiles that a browser reads piece
by piece with HTTP range requests (protomaps-leaflet draws it), so the site
serves it like a large static file (``views.basemap.pmtiles_file``). The
archive is checked once, when the settings load, and the site refuses to
start with one line saying what is wrong: a missing or unreadable file, one
larger than ``MAP_PMTILES_MAX_BYTES``, anything but a version 3 archive of
vector (MVT) tiles, or a header or root directory that points past the end
of the file or does not decode. A bad archive found at start-up costs the
operator a minute; found by every reader's browser, it costs a blank map.

Pure Python with no Django import: ``config.settings`` calls it.
"""

import os

from pmtiles.tile import (
    Compression,
    MagicNumberNotFound,
    SpecVersionUnsupported,
    TileType,
    deserialize_directory,
    deserialize_header,
)

HEADER_BYTES = 127
# The codecs browsers decode without an extra library (protomaps-leaflet uses
# DecompressionStream): no Brotli or Zstandard.
READABLE_COMPRESSIONS = {Compression.NONE, Compression.GZIP}


class ArchiveRefused(ValueError):
    """The file named by MAP_PMTILES cannot be the site's basemap (the message says why)."""


def pmtiles_check(path, *, max_bytes):
    """The archive's header (a dict) when ``path`` is a readable PMTiles v3 vector archive
    within ``max_bytes``; else ``ArchiveRefused`` with one line for the operator."""
    where = f"MAP_PMTILES ({path})"
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            raise ArchiveRefused(
                f"{where} is {size} bytes, more than MAP_PMTILES_MAX_BYTES ({max_bytes})"
            )
        with open(path, "rb") as archive:
            head = archive.read(HEADER_BYTES)
            header = _header(head, where)
            if max(header["root_offset"] + header["root_length"], HEADER_BYTES) > size:
                raise ArchiveRefused(f"{where} is truncated: its root directory ends past the file")
            archive.seek(header["root_offset"])
            root = archive.read(header["root_length"])
    except OSError as error:
        raise ArchiveRefused(f"{where} cannot be read: {error.strerror or error}") from error
    for section in ("metadata", "leaf_directory", "tile_data"):
        end = header[f"{section}_offset"] + header[f"{section}_length"]
        if end > size:
            raise ArchiveRefused(
                f"{where} is truncated or malformed: its {section.replace('_', ' ')} "
                f"ends at byte {end}, past the end of the file ({size} bytes)"
            )
    if header["tile_type"] != TileType.MVT:
        raise ArchiveRefused(
            f"{where} holds {header['tile_type'].name} tiles; the site draws vector (MVT) tiles"
        )
    for name in ("internal_compression", "tile_compression"):
        if header[name] not in READABLE_COMPRESSIONS:
            raise ArchiveRefused(
                f"{where} uses {header[name].name} compression ({name.replace('_', ' ')}); "
                "browsers read only gzip or none: convert it with `pmtiles convert`"
            )
    try:
        entries = deserialize_directory(root)
    except Exception as error:  # any decoding failure: gzip, varints, truncation
        raise ArchiveRefused(f"{where} has a root directory that does not decode") from error
    if not entries:
        raise ArchiveRefused(f"{where} holds no tiles")
    return header


def _header(head, where):
    if len(head) < HEADER_BYTES:
        raise ArchiveRefused(f"{where} is not a PMTiles archive: it is shorter than a header")
    try:
        return deserialize_header(head)
    except (MagicNumberNotFound, UnicodeDecodeError) as error:
        raise ArchiveRefused(f"{where} is not a PMTiles archive") from error
    except SpecVersionUnsupported as error:
        raise ArchiveRefused(f"{where} is not a PMTiles version 3 archive") from error
    except ValueError as error:  # an unknown compression or tile type code
        raise ArchiveRefused(f"{where} has a malformed header: {error}") from error
