"""A tiny PMTiles archive for the basemap tests, written with the ``pmtiles`` package.

Its tiles are Mapbox Vector Tiles made by the few lines of protobuf below:
an ``earth`` polygon over the whole tile, a ``water`` square in its lower
right quarter, and one ``places`` point, in the layers protomaps-leaflet's
"light" flavour draws, so a map of it shows two colours a test can read off
the canvas.
"""

import io

from pmtiles.tile import Compression, TileType, write_varint, zxy_to_tileid
from pmtiles.writer import Writer

EXTENT = 4096


def _varint(value):
    out = io.BytesIO()
    write_varint(out, value)
    return out.getvalue()


def _field(number, wire_type, payload):
    key = _varint((number << 3) | wire_type)
    if wire_type == 2:
        return key + _varint(len(payload)) + payload
    return key + _varint(payload)


def _zigzag(n):
    return (n << 1) ^ (n >> 31)


def _packed(values):
    return b"".join(_varint(v) for v in values)


def _polygon(ring):
    """MoveTo the first corner, LineTo the others, ClosePath (clockwise in tile space)."""
    commands, x, y = [], 0, 0
    for i, (px, py) in enumerate(ring):
        if i == 0:
            commands.append(1 | (1 << 3))
        elif i == 1:
            commands.append(2 | ((len(ring) - 1) << 3))
        commands += [_zigzag(px - x), _zigzag(py - y)]
        x, y = px, py
    commands.append(7 | (1 << 3))
    return commands


def _layer(name, features, keys=(), values=()):
    body = _field(15, 0, 2) + _field(1, 2, name.encode())
    for geometry_type, geometry, tags in features:
        feature = _field(3, 0, geometry_type) + _field(4, 2, _packed(geometry))
        if tags:
            feature = _field(2, 2, _packed(tags)) + feature
        body += _field(2, 2, feature)
    for key in keys:
        body += _field(3, 2, key.encode())
    for value in values:
        body += _field(4, 2, _field(1, 2, value.encode()))
    return _field(3, 2, body + _field(5, 0, EXTENT))


def vector_tile(place="Testville"):
    whole = [(0, 0), (EXTENT, 0), (EXTENT, EXTENT), (0, EXTENT)]
    half = EXTENT // 2
    quarter = [(half, half), (EXTENT, half), (EXTENT, EXTENT), (half, EXTENT)]
    point = [1 | (1 << 3), _zigzag(EXTENT // 4), _zigzag(EXTENT // 4)]
    return (
        _layer("earth", [(3, _polygon(whole), [])])
        + _layer("water", [(3, _polygon(quarter), [0, 0])], keys=["kind"], values=["water"])
        + _layer(
            "places",
            [(1, point, [0, 0, 1, 1])],
            keys=["name", "kind"],
            values=[place, "locality"],
        )
    )


def write_archive(path, *, max_zoom=6, bounds=(66.0, 6.0, 98.0, 37.0)):
    """Every tile from zoom 0 to ``max_zoom`` over ``bounds``, all the same tile."""
    import math

    def tile_xy(lon, lat, z):
        n = 2**z
        x = int((lon + 180) / 360 * n)
        y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
        return min(max(x, 0), n - 1), min(max(y, 0), n - 1)

    tile = vector_tile()
    ids = []
    for z in range(max_zoom + 1):
        x0, y1 = tile_xy(bounds[0], bounds[1], z)
        x1, y0 = tile_xy(bounds[2], bounds[3], z)
        ids += [zxy_to_tileid(z, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
    with open(path, "wb") as out:
        writer = Writer(out)
        for tile_id in sorted(ids):
            writer.write_tile(tile_id, tile)
        writer.finalize(
            {
                "tile_type": TileType.MVT,
                "tile_compression": Compression.NONE,
                "min_lon_e7": int(bounds[0] * 1e7),
                "min_lat_e7": int(bounds[1] * 1e7),
                "max_lon_e7": int(bounds[2] * 1e7),
                "max_lat_e7": int(bounds[3] * 1e7),
                "center_zoom": 4,
                "center_lon_e7": int(80.95 * 1e7),
                "center_lat_e7": int(26.85 * 1e7),
            },
            {"name": "test basemap", "vector_layers": []},
        )
    return path
