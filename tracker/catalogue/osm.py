"""Reading the OpenStreetMap camera layer: what the map and hotspot pages show of it.

The layer is OpenStreetMap's data (ODbL), kept apart from ours
(``tracker.models.osm``): every page showing it names its source and licence
(``OSM_ATTRIBUTION``), and the date of the extract it came from.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from ..models import OsmCamera, OsmImport
from .datacache import cached

OSM_COPYRIGHT_URL = "https://www.openstreetmap.org/copyright"
OSM_ATTRIBUTION = _("© OpenStreetMap contributors (ODbL)")


def osm_cameras_live():
    """The cameras of the last extracts, less those deleted since."""
    return OsmCamera.objects.filter(deleted_at=None)


def osm_layer_summary():
    """``{"cameras": n, "as_of": datetime}`` for the layer, or None before any import;
    computed once per data version (an import replaces it)."""

    def compute():
        last = OsmImport.objects.order_by("-finished_at").first()
        if last is None:
            return None
        return {
            "cameras": osm_cameras_live().count(),
            "as_of": last.extract_timestamp or last.finished_at,
        }

    return cached("osm-layer", compute)


def hotspot_osm_camera_count():
    """An annotation: a hotspot's live OSM cameras (``tracker.ingest.osm`` matched them)."""
    return Count("osm_cameras", filter=Q(osm_cameras__deleted_at=None))
