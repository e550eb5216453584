"""The properties of each point on the map, as SQL expressions, so PostGIS builds the
whole layer in one query (``sql.geojson``); labels and URLs in the current language."""

from django.db.models import Case, CharField, F, Value, When
from django.db.models.fields.json import KeyTextTransform

from ...models import DeploymentStatus, HotspotKind, Technology
from ..geography import state_name_sql
from ..links import detail_url_sql
from ..visibility import public_value


def _label(field, choices):
    """SQL turning a vocabulary code into its label in the current language."""
    return Case(
        *[When(**{field: code}, then=Value(str(label))) for code, label in choices],
        default=F(field),
        output_field=CharField(),
    )


def deployment_map_properties():
    """Properties of each deployment on the map, for ``sql.geojson.feature_collection``.

    Labels and URLs are in the current language; the API can reuse these.
    """
    return {
        "id": "id",
        "title": "title",
        "url": detail_url_sql("tracker:deployment-list"),
        "status": "status",
        "status_label": _label("status", DeploymentStatus.choices),
        "technology": "technology",
        "technology_label": _label("technology", Technology.choices),
        "agency": public_value("lead_agency", "name", default="", output_field=CharField()),
        "state": state_name_sql("state"),
        "city": "city",
    }


def hotspot_map_properties():
    return {
        "id": "id",
        "name": "name",
        "url": detail_url_sql("tracker:hotspot-list"),
        "kind_label": _label("kind", HotspotKind.choices),
        "city": "city",
        "camera_count": "camera_count",
    }


def osm_camera_map_properties():
    """Properties of an OpenStreetMap camera on the map: its element and the tags a reader
    wants first (its own page on OpenStreetMap has the rest)."""
    return {
        "id": "id",
        "osm_type": "osm_type",
        "osm_id": "osm_id",
        "camera_type": KeyTextTransform("camera:type", "tags"),
        "surveillance_type": KeyTextTransform("surveillance:type", "tags"),
        "zone": KeyTextTransform("surveillance:zone", "tags"),
        "operator": KeyTextTransform("operator", "tags"),
    }
