"""Our camera points for OpenStreetMap's mappers, tagged as OpenStreetMap tags cameras.

``osm_points`` gives every published hotspot, and every published deployment
located exactly that no published hotspot already stands for, as one point with
OSM tags: ``man_made=surveillance``, ``surveillance:type`` (``camera``, or
``ALPR`` where every deployment there reads number plates), ``operator`` and
``operator:wikidata`` from the agency, ``manufacturer`` (and
``manufacturer:wikidata``) from the vendors, and ``source`` naming this site and
the entry's page. ``osm_xml_chunks`` writes them as a JOSM-ready ``.osm`` file
(new objects with negative ids, upload discouraged: JOSM asks before uploading
it), ``osm_geojson_chunks`` as GeoJSON with the tags as properties.

Nothing is ever uploaded by this site: a mapper reviews each point against the
ground, imagery and what is already mapped, and uploads by hand under their own
account (OpenStreetMap's import guidelines; our points are places where
cameras are reported, not surveyed camera positions).
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch

from ..catalogue.links import detail_url
from ..models import Deployment, Hotspot, LocationPrecision, Technology

SITE_NAME = "Panoptic Tracker"
MAX_TAG_LENGTH = 255  # OpenStreetMap's limit for a value
GENERATOR = f"{SITE_NAME} export"
CHUNK_ROWS = 500
CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # not allowed in XML 1.0, nor wanted in a tag


@dataclass(frozen=True)
class OsmPoint:
    id: int  # negative: a new object for OpenStreetMap's editors
    lon: float
    lat: float
    tags: dict


def _joined(values):
    """OpenStreetMap's multiple values: distinct, sorted, joined with ``;``, cut to 255."""
    cleaned = {CONTROL.sub(" ", v).strip().replace(";", ",") for v in values if v}
    text = ";".join(sorted(v for v in cleaned if v))
    return text[:MAX_TAG_LENGTH]


def _tags(*, entry, agencies, deployments):
    vendors = [vendor for d in deployments for vendor in d.vendors.all()]
    plates = deployments and all(d.technology == Technology.PLATE_RECOGNITION for d in deployments)
    tags = {
        "man_made": "surveillance",
        "surveillance:type": "ALPR" if plates else "camera",
        "operator": _joined(a.name for a in agencies),
        "operator:wikidata": _joined(a.wikidata_id for a in agencies),
        "manufacturer": _joined(v.name for v in vendors),
        "manufacturer:wikidata": _joined(v.wikidata_id for v in vendors),
        "source": f"{SITE_NAME}; {settings.SITE_URL}{detail_url(entry)}"[:MAX_TAG_LENGTH],
    }
    return {key: value for key, value in tags.items() if value}


def _published_deployments():
    return Deployment.objects.published().select_related("lead_agency").prefetch_related("vendors")


def _lead_agencies(deployments):
    return [d.lead_agency for d in deployments if d.lead_agency.is_published]


def osm_points(*, state=None, box=None) -> Iterator[OsmPoint]:
    """Every point for mappers, hotspots first, optionally in one state (ISO 3166-2 code)
    and a box (a polygon); ids count down from -1 in that order."""
    hotspots = (
        Hotspot.objects.published()
        .select_related("agency")
        .prefetch_related(Prefetch("deployments", queryset=_published_deployments()))
        .order_by("id")
    )
    located = (
        _published_deployments()
        .filter(location__isnull=False, location_precision=LocationPrecision.EXACT)
        .exclude(Exists(Hotspot.objects.published().filter(deployments=OuterRef("pk"))))
        .order_by("id")
    )
    if state:
        hotspots, located = hotspots.filter(state_id=state), located.filter(state_id=state)
    if box is not None:
        hotspots = hotspots.filter(location__intersects=box)
        located = located.filter(location__intersects=box)
    next_id = -1
    for hotspot in hotspots.iterator(chunk_size=CHUNK_ROWS):
        deployments = list(hotspot.deployments.all())
        agency = hotspot.agency
        agencies = [agency] if agency and agency.is_published else _lead_agencies(deployments)
        tags = _tags(entry=hotspot, agencies=agencies, deployments=deployments)
        yield OsmPoint(next_id, hotspot.location.x, hotspot.location.y, tags)
        next_id -= 1
    for deployment in located.iterator(chunk_size=CHUNK_ROWS):
        tags = _tags(
            entry=deployment, agencies=_lead_agencies([deployment]), deployments=[deployment]
        )
        yield OsmPoint(next_id, deployment.location.x, deployment.location.y, tags)
        next_id -= 1


def osm_xml_chunks(points) -> Iterator[str]:
    """An OSM XML 0.6 file of ``points`` as new nodes, which JOSM opens as a layer whose
    upload it discourages (it asks first)."""
    yield (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        f'<osm version="0.6" generator={quoteattr(GENERATOR)} upload="false">\n'
    )
    for point in points:
        lines = [f'  <node id="{point.id}" lat="{point.lat:.7f}" lon="{point.lon:.7f}">']
        lines += [f"    <tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in point.tags.items()]
        lines.append("  </node>\n")
        yield "\n".join(lines)
    yield "</osm>\n"


def _point(point):
    return {"type": "Point", "coordinates": [round(point.lon, 7), round(point.lat, 7)]}


def osm_geojson_chunks(points) -> Iterator[str]:
    """A GeoJSON FeatureCollection of ``points``: the OSM tags as properties."""
    yield '{"type": "FeatureCollection", "features": ['
    separator = ""
    for point in points:
        feature = {
            "type": "Feature",
            "id": point.id,
            "geometry": _point(point),
            "properties": point.tags,
        }
        yield separator + json.dumps(feature, ensure_ascii=False)
        separator = ",\n"
    yield "]}\n"
