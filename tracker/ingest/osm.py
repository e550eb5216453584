"""OpenStreetMap's surveillance cameras, read from an extract into their own layer.

``osm_import`` reads a ``.osm.pbf``, ``.osm`` or ``.osc`` file with pyosmium, keeps
the nodes and ways that are cameras (``is_camera``), and applies them to
``OsmCamera`` in one transaction: new cameras added, changed ones (a higher
version) updated, cameras deleted in the file or missing from a complete
extract (inside its bounds) marked deleted; then every live camera is matched
to the published hotspot whose area holds it, or the nearest within
``OSM_MATCH_METRES``. Re-importing the same file changes nothing.

Bounded memory, whatever the file's size (the whole planet included): the file
is streamed, pyosmium skips everything not tagged ``man_made=surveillance`` before
Python sees it, and cameras go to a temporary table in batches, so Python holds one
batch plus the node ids of camera ways (read in a second pass for their
positions). A whole planet therefore imports, slowly, with the transaction open
meanwhile; nothing caps the file's size.

Bad input is refused with one readable line and nothing applied: an unreadable,
truncated or non-OSM file; a camera with impossible coordinates; a tag longer
than OpenStreetMap allows (255 characters); an extract that would mark most of
the layer deleted (a file cut short at a block boundary reads as a smaller
extract), unless the operator says it is meant.
"""

import json
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import osmium
import osmium.filter
from django.conf import settings
from django.contrib.gis.geos import Polygon
from django.db import connection, transaction
from django.utils import timezone

from ..catalogue.datacache import data_changed
from ..models import OsmImport

MAX_TAG_LENGTH = 255  # OpenStreetMap's own limit for a key or a value
CAMERA_TYPES = frozenset({"camera", "ALPR"})
BATCH_ROWS = 5000
# Refuse an import that would mark more than this share of the live cameras (in its
# bounds) deleted, unless told it is meant: a truncated or wrong extract looks like that.
MAX_DELETED_SHARE = 0.5
CHANGE_SUFFIXES = (".osc", ".osc.gz", ".osc.bz2")


class OsmImportError(Exception):
    """The file cannot be imported; nothing was changed."""


def is_camera(tags):
    """A surveillance camera in OpenStreetMap's tagging: ``man_made=surveillance`` with
    ``surveillance:type`` camera or ALPR (or unset: most cameras were mapped before the
    key existed). Guards, sirens and the like are left out."""
    return tags.get("man_made") == "surveillance" and tags.get("surveillance:type", "camera") in (
        CAMERA_TYPES
    )


@dataclass(frozen=True)
class ImportReport:
    cameras_read: int
    added: int
    changed: int
    deleted: int
    matched: int
    live: int
    skipped_ways: int
    seconds: float


def _tags_checked(element, kind):
    tags = {}
    for tag in element.tags:
        if len(tag.k) > MAX_TAG_LENGTH or len(tag.v) > MAX_TAG_LENGTH:
            raise OsmImportError(
                f"{kind} {element.id}: tag {tag.k[:40]!r} is longer than OpenStreetMap's "
                f"{MAX_TAG_LENGTH} characters"
            )
        tags[tag.k] = tag.v
    return tags


def _position(node):
    location = node.location
    if not location.valid():
        lon, lat = location.lon_without_check(), location.lat_without_check()
        raise OsmImportError(
            f"node {node.id}: impossible coordinates (latitude {lat:g}, longitude {lon:g})"
        )
    return location.lon, location.lat


class _Staging:
    """The cameras read, in a temporary table that lives until the transaction ends."""

    COLUMNS = ("osm_type", "osm_id", "version", "osm_timestamp", "tags", "lon", "lat", "deleted")

    def __init__(self, cursor):
        self.cursor = cursor
        self.rows = []
        self.count = 0
        cursor.execute(
            "CREATE TEMPORARY TABLE osm_incoming (osm_type varchar(4), osm_id bigint, "
            "version integer, osm_timestamp timestamptz, tags jsonb, lon float8, lat float8, "
            "deleted boolean) ON COMMIT DROP"
        )

    def add(self, *row):
        self.rows.append(row)
        self.count += 1
        if len(self.rows) >= BATCH_ROWS:
            self.flush()

    def flush(self):
        if not self.rows:
            return
        with self.cursor.cursor.copy(
            f"COPY osm_incoming ({', '.join(self.COLUMNS)}) FROM STDIN"
        ) as copy:
            for row in self.rows:
                copy.write_row(row)
        self.rows = []


def _timestamp(element):
    stamp = element.timestamp
    return stamp if stamp and stamp.year > 1970 else None


def _read(path, staging, *, complete):
    """Stream the cameras of ``path`` into ``staging``; returns (camera ways skipped for
    want of their nodes' positions, the extract's bounds or None, its timestamp or None).

    In a complete extract pyosmium passes on only what is tagged ``man_made=surveillance`` (the
    rest never reaches Python), and what is deleted is what is missing. A change file
    is read whole: it is small, and its deletions carry no tags."""
    processor = osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
    surveillance = osmium.filter.TagFilter(("man_made", "surveillance"))
    elements = processor.with_filter(surveillance) if complete else processor
    header = processor.header
    box = header.box()
    bounds = None
    if box.valid():
        bounds = (box.bottom_left.lon, box.bottom_left.lat, box.top_right.lon, box.top_right.lat)
    stamp = header.get("osmosis_replication_timestamp") or header.get("timestamp") or None
    ways = {}  # way id -> (version, timestamp, tags, node ids): camera ways are few
    wanted = set()
    for element in elements:
        kind = "node" if element.is_node() else "way"
        tags = _tags_checked(element, kind)
        if element.deleted:
            staging.add(kind, element.id, element.version, _timestamp(element), "{}", 0, 0, True)
            continue
        if not is_camera(tags):
            continue
        if kind == "node":
            lon, lat = _position(element)
            staging.add(
                kind, element.id, element.version, _timestamp(element), json.dumps(tags),
                lon, lat, False,
            )  # fmt: skip
        else:
            refs = [node.ref for node in element.nodes]
            ways[element.id] = (element.version, _timestamp(element), tags, refs)
            wanted.update(refs)
    skipped = 0
    if ways:
        positions = {}
        nodes = osmium.FileProcessor(str(path), osmium.osm.NODE)
        for node in nodes.with_filter(osmium.filter.IdFilter(wanted)):
            positions[node.id] = _position(node)
        for way_id, (version, stamp_, tags, refs) in ways.items():
            points = list({positions[ref] for ref in refs if ref in positions})
            if not points:
                skipped += 1  # its nodes lie outside the extract
                continue
            lon = sum(p[0] for p in points) / len(points)
            lat = sum(p[1] for p in points) / len(points)
            staging.add("way", way_id, version, stamp_, json.dumps(tags), lon, lat, False)
    staging.flush()
    return skipped, bounds, stamp


def _merge(cursor, *, now, bounds, complete, allow_mass_deletion):
    """Apply the staged cameras; returns (added, changed, deleted)."""
    cursor.execute(
        "CREATE TEMPORARY TABLE osm_latest ON COMMIT DROP AS "
        "SELECT DISTINCT ON (osm_type, osm_id) * FROM osm_incoming "
        "ORDER BY osm_type, osm_id, version DESC, deleted DESC"
    )
    cursor.execute("CREATE UNIQUE INDEX ON osm_latest (osm_type, osm_id)")
    cursor.execute("ANALYZE osm_latest")
    box_sql = "ST_MakeEnvelope(%s, %s, %s, %s, 4326)"
    in_bounds = f"ST_Intersects(c.location, {box_sql})" if bounds else "TRUE"
    absent = (
        "c.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM osm_latest l "
        "WHERE l.osm_type = c.osm_type AND l.osm_id = c.osm_id AND NOT l.deleted)"
    )
    if complete and not allow_mass_deletion:
        cursor.execute(
            f"SELECT count(*) FILTER (WHERE {absent}), count(*) FILTER (WHERE "
            f"c.deleted_at IS NULL) FROM tracker_osmcamera c WHERE {in_bounds}",
            bounds or (),
        )
        missing, live = cursor.fetchone()
        if live >= 10 and missing > live * MAX_DELETED_SHARE:
            raise OsmImportError(
                f"the extract lacks {missing} of the {live} cameras already imported in its "
                "area: it may be truncated or cover less ground; re-run with "
                "--allow-mass-deletion if it is meant"
            )
    cursor.execute(
        "WITH up AS (INSERT INTO tracker_osmcamera (osm_type, osm_id, version, osm_timestamp, "
        "tags, location, imported_at, deleted_at) "
        "SELECT osm_type, osm_id, version, osm_timestamp, tags, "
        "ST_SetSRID(ST_MakePoint(lon, lat), 4326), %(now)s, NULL FROM osm_latest "
        "WHERE NOT deleted "
        "ON CONFLICT (osm_type, osm_id) DO UPDATE SET version = EXCLUDED.version, "
        "osm_timestamp = EXCLUDED.osm_timestamp, tags = EXCLUDED.tags, "
        "location = EXCLUDED.location, imported_at = EXCLUDED.imported_at, deleted_at = NULL "
        "WHERE EXCLUDED.version > tracker_osmcamera.version "
        "OR (EXCLUDED.version = tracker_osmcamera.version AND "
        "(tracker_osmcamera.deleted_at IS NOT NULL "
        "OR NOT ST_Equals(tracker_osmcamera.location, EXCLUDED.location))) "
        "RETURNING (xmax = 0) AS inserted) "
        "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up",
        {"now": now},
    )
    added, changed = cursor.fetchone()
    cursor.execute(
        "UPDATE tracker_osmcamera c SET deleted_at = %s, imported_at = %s, version = l.version "
        "FROM osm_latest l WHERE l.deleted AND c.osm_type = l.osm_type "
        "AND c.osm_id = l.osm_id AND c.deleted_at IS NULL AND l.version >= c.version",
        (now, now),
    )
    deleted = cursor.rowcount
    if complete:
        cursor.execute(
            f"UPDATE tracker_osmcamera c SET deleted_at = %s, imported_at = %s "
            f"WHERE {absent} AND {in_bounds}",
            (now, now, *(bounds or ())),
        )
        deleted += cursor.rowcount
    return added, changed, deleted


# Degrees of latitude per metre, rounded up (the search box only has to hold the circle).
DEGREES_PER_METRE = 1 / 110_000
# Metres between a hotspot h and a camera c, on the plane tangent at the camera: within a
# few hundred metres it differs from the great-circle distance by far less than a metre,
# and it is plain arithmetic, where ST_DistanceSphere converted both points to geography
# for every candidate (most of the matching's time at 100,000 cameras).
METRES_APART = (
    "sqrt(power((ST_X(h.location) - ST_X(c.location)) * cos(radians(ST_Y(c.location)))"
    " * 111320, 2) + power((ST_Y(h.location) - ST_Y(c.location)) * 110574, 2))"
)


def osm_cameras_match(cursor=None, *, metres=None):
    """Match every live OSM camera to a published hotspot: the one whose area holds it
    (the nearest such centre if areas overlap), else the nearest point within ``metres``
    (``OSM_MATCH_METRES``), else none. Returns how many live cameras have a hotspot."""
    metres = settings.OSM_MATCH_METRES if metres is None else metres
    own = cursor is None
    cursor = connection.cursor() if own else cursor
    try:
        cursor.execute(
            "UPDATE tracker_osmcamera c SET hotspot_id = m.hotspot_id FROM ("
            " SELECT c.id, COALESCE(inside.id, near.id) AS hotspot_id"
            " FROM tracker_osmcamera c"
            " LEFT JOIN LATERAL (SELECT h.id FROM tracker_hotspot h"
            "  WHERE h.publication = 'published' AND h.area IS NOT NULL"
            "  AND ST_Covers(h.area, c.location)"
            "  ORDER BY h.location <-> c.location, h.id LIMIT 1) inside ON TRUE"
            " LEFT JOIN LATERAL (SELECT h.id FROM tracker_hotspot h"
            "  WHERE inside.id IS NULL AND h.publication = 'published'"
            "  AND h.location && ST_Expand(c.location,"
            "   %(deg)s / greatest(cos(radians(ST_Y(c.location))), 0.01), %(deg)s)"
            f"  AND {METRES_APART} <= %(metres)s"
            f"  ORDER BY {METRES_APART}, h.id LIMIT 1) near ON TRUE"
            " WHERE c.deleted_at IS NULL"
            ") m WHERE c.id = m.id AND c.hotspot_id IS DISTINCT FROM m.hotspot_id",
            {"deg": metres * DEGREES_PER_METRE, "metres": metres},
        )
        cursor.execute(
            "SELECT count(*) FROM tracker_osmcamera "
            "WHERE deleted_at IS NULL AND hotspot_id IS NOT NULL"
        )
        return cursor.fetchone()[0]
    finally:
        if own:
            cursor.close()


def osm_import(*, path, allow_mass_deletion=False):
    """Import the cameras of the extract at ``path`` (all or nothing); see the module's
    docstring. Raises ``OsmImportError`` with a readable reason."""
    path = Path(path)
    if not path.is_file():
        raise OsmImportError(f"{path}: no such file")
    started = time.monotonic()
    started_at = timezone.now()
    complete = not path.name.lower().endswith(CHANGE_SUFFIXES)
    with transaction.atomic(), connection.cursor() as cursor:
        staging = _Staging(cursor)
        try:
            skipped, bounds, stamp = _read(path, staging, complete=complete)
        except OsmImportError:
            raise
        except (RuntimeError, ValueError, OSError) as exc:
            raise OsmImportError(
                f"{path.name}: not a readable OpenStreetMap file (truncated, damaged or "
                f"another format): {exc}"
            ) from exc
        now = timezone.now()
        added, changed, deleted = _merge(
            cursor,
            now=now,
            bounds=bounds,
            complete=complete,
            allow_mass_deletion=allow_mass_deletion,
        )
        matched = osm_cameras_match(cursor)
        # Dropped now, not only at commit: the import may run inside a larger transaction.
        cursor.execute("DROP TABLE osm_incoming, osm_latest")
        cursor.execute("SELECT count(*) FROM tracker_osmcamera WHERE deleted_at IS NULL")
        live = cursor.fetchone()[0]
        OsmImport.objects.create(
            file_name=path.name,
            file_size=path.stat().st_size,
            extract_timestamp=_parse_stamp(stamp),
            bounds=Polygon.from_bbox(bounds) if bounds else None,
            started_at=started_at,
            finished_at=timezone.now(),
            cameras_read=staging.count,
            added=added,
            changed=changed,
            deleted=deleted,
            matched=matched,
        )
        data_changed()
    return ImportReport(
        cameras_read=staging.count,
        added=added,
        changed=changed,
        deleted=deleted,
        matched=matched,
        live=live,
        skipped_ways=skipped,
        seconds=time.monotonic() - started,
    )


def _parse_stamp(text):
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("\\:", ":").replace("Z", "+00:00"))
    except ValueError:
        return None
