"""The map's data: clusters and points for the box and zoom the browser shows.

Filters are the list's and the API's (tracker.catalogue.filters); ``bbox``
and ``zoom`` say what is on screen. Answers are GeoJSON, gzip-compressed,
cached until the data changes and revalidated by ETag; none is ever the
whole dataset (that is what /data/ and the API exports are for).
"""

import json

from django import forms
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ..catalogue.clusters import MAX_ZOOM, MIN_ZOOM, BoxTooLarge, check_box, map_layer
from ..catalogue.filters import BBoxField, DeploymentFilter, HotspotFilter, OsmCameraFilter
from ..catalogue.osm import osm_cameras_live
from ..catalogue.selectors.map import (
    deployment_map_properties,
    hotspot_map_properties,
    osm_camera_map_properties,
)
from ..middleware import public_page
from ..models import Deployment, Hotspot, PurposeClass
from .common import cached_document

GEOJSON_TYPE = "application/geo+json"
# Without a box, the map's first view: India at zoom 4.
INDIA_BOX = "67.5,5.6,98.5,37.6"
DEFAULT_ZOOM = 4
VIEW_PARAMS = ("bbox", "zoom")


class MapViewForm(forms.Form):
    bbox = BBoxField(required=False)
    zoom = forms.IntegerField(min_value=MIN_ZOOM, max_value=MAX_ZOOM, required=False)


# The filters tracker_map_cell counts by: parameter -> its column there.
PRECOUNTED = {
    "deployments": (
        "d",
        {
            "state": "state_id",
            "technology": "technology",
            "status": "status",
            "purpose": "purpose_class",
            "year": "year",
        },
    ),
    "hotspots": ("h", {"state": "state_id"}),
}


def _precounted(name, filterset):
    """(layer, {column: value}) when only precounted filters are used, else None."""
    if name not in PRECOUNTED:
        return None
    layer, columns = PRECOUNTED[name]
    used = {
        key: value for key, value in filterset.form.cleaned_data.items() if value not in (None, "")
    }
    if not set(used) <= set(columns):
        return None
    if "purpose" in used and used["purpose"] not in PurposeClass.values:
        return None  # a purpose tag, not a class: counted live
    return layer, {
        columns[key]: int(value) if key == "year" else value for key, value in used.items()
    }


def _layer(request, *, name, filterset_class, rows, properties):
    view = MapViewForm(request.GET)
    filters = request.GET.copy()
    for param in VIEW_PARAMS:
        filters.pop(param, None)
    filterset = filterset_class(filters, queryset=rows, request=request)
    errors = {}
    if not view.is_valid():
        errors.update(view.errors.get_json_data())
    if filterset.is_bound and not filterset.is_valid():
        errors.update(filterset.errors.get_json_data())
    if errors:
        return JsonResponse(
            {field: [e["message"] for e in messages] for field, messages in errors.items()},
            status=400,
        )
    bbox = view.cleaned_data["bbox"] or BBoxField().clean(INDIA_BOX)
    zoom = view.cleaned_data["zoom"]
    zoom = DEFAULT_ZOOM if zoom is None else zoom
    try:
        check_box(bbox.extent, zoom)
    except BoxTooLarge:
        message = _("The box is too large for this zoom: zoom in or ask for a smaller box.")
        return JsonResponse({"bbox": [str(message)]}, status=400)
    query = sorted((k, v) for k, values in filters.lists() for v in values)

    def build():
        layer = map_layer(
            filterset.qs,
            properties(),
            bbox=bbox.extent,
            zoom=zoom,
            precounted=_precounted(name, filterset),
        )
        return json.dumps(layer, separators=(",", ":"))

    return cached_document(
        request,
        name=f"map-{name}",
        vary=[bbox.extent, zoom, query],
        build=build,
        content_type=GEOJSON_TYPE,
    )


@require_safe
@public_page
def deployments_layer(request):
    """Published deployments matching the filters, clustered for the box and zoom."""
    return _layer(
        request,
        name="deployments",
        filterset_class=DeploymentFilter,
        rows=Deployment.objects.published(),
        properties=deployment_map_properties,
    )


@require_safe
@public_page
def hotspots_layer(request):
    """Published hotspots (camera points) matching the filters, clustered likewise."""
    return _layer(
        request,
        name="hotspots",
        filterset_class=HotspotFilter,
        rows=Hotspot.objects.published(),
        properties=hotspot_map_properties,
    )


@require_safe
@public_page
def osm_cameras_layer(request):
    """Cameras mapped in OpenStreetMap (their own layer, ODbL), clustered likewise."""
    return _layer(
        request,
        name="osm-cameras",
        filterset_class=OsmCameraFilter,
        rows=osm_cameras_live(),
        properties=osm_camera_map_properties,
    )
