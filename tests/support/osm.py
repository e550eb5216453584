"""Small OpenStreetMap files written by the tests: nodes, ways and deletions in OSM XML."""

from xml.sax.saxutils import quoteattr

CAMERA = {"man_made": "surveillance", "surveillance:type": "camera"}


def node(osm_id, lon, lat, tags=None, *, version=1, visible=True):
    return ("node", osm_id, version, visible, tags or {}, (lon, lat))


def way(osm_id, refs, tags=None, *, version=1):
    return ("way", osm_id, version, True, tags or {}, refs)


def osm_xml(elements, *, bounds=None):
    """An OSM XML document (API 0.6) holding ``elements`` (``node()``, ``way()``), nodes
    first as OpenStreetMap writes them; ``bounds`` is (minlon, minlat, maxlon, maxlat)."""
    lines = ["<?xml version='1.0' encoding='UTF-8'?>", '<osm version="0.6" generator="tests">']
    if bounds:
        lines.append(
            f'<bounds minlon="{bounds[0]}" minlat="{bounds[1]}" maxlon="{bounds[2]}" '
            f'maxlat="{bounds[3]}"/>'
        )
    order = {"node": 0, "way": 1}
    for kind, osm_id, version, visible, tags, shape in sorted(
        elements, key=lambda e: (order[e[0]], e[1])
    ):
        attrs = f'id="{osm_id}" version="{version}" timestamp="2025-06-01T10:00:00Z"'
        if not visible:
            attrs += ' visible="false"'
        if kind == "node" and visible:
            attrs += f' lon="{shape[0]}" lat="{shape[1]}"'
        inner = []
        if kind == "way":
            inner += [f'<nd ref="{ref}"/>' for ref in shape]
        inner += [f"<tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in tags.items()]
        lines.append(f"<{kind} {attrs}>{''.join(inner)}</{kind}>")
    lines.append("</osm>")
    return "\n".join(lines) + "\n"


def write_osm(path, elements, *, bounds=None):
    path.write_text(osm_xml(elements, bounds=bounds), encoding="utf-8")
    return path
