"""The home page: the map of published deployments and hotspots, its filters and its list."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..catalogue import stats
from ..catalogue.filters import DeploymentFilter, HotspotFilter
from ..catalogue.selectors import deployment_map_properties, deployment_rows, hotspot_map_properties
from ..exports.geojson import feature_collection
from ..middleware import public_page
from ..models import Deployment, Hotspot
from .common import deployment_filter_choices, filtered

# Rows listed beside the map; the full filtered set is one click away on /deployments/.
PANEL_ROWS = 50
GEOJSON_TYPE = "application/geo+json"


def _geojson_response(body, filterset):
    if filterset.errors:
        return HttpResponse(filterset.errors.as_json(), status=400, content_type="application/json")
    return HttpResponse(body, content_type=GEOJSON_TYPE)


@require_safe
@public_page
def deployments_geojson(request):
    """The map layer: every published deployment matching the filters, built by PostGIS."""
    filterset = filtered(DeploymentFilter, request, Deployment.objects.published())
    body = (
        None if filterset.errors else feature_collection(filterset.qs, deployment_map_properties())
    )
    return _geojson_response(body, filterset)


@require_safe
@public_page
def hotspots_geojson(request):
    filterset = filtered(HotspotFilter, request, Hotspot.objects.published())
    body = None if filterset.errors else feature_collection(filterset.qs, hotspot_map_properties())
    return _geojson_response(body, filterset)


def _panel_context(request):
    filterset = filtered(DeploymentFilter, request, Deployment.objects.published())
    matching = filterset.qs
    return {
        "filterset": filterset,
        "matching_count": matching.count(),
        "mapped_count": matching.filter(location__isnull=False).count(),
        "rows": deployment_rows(matching)[:PANEL_ROWS],
        "panel_rows": PANEL_ROWS,
        "query": request.GET.urlencode(),
    }


@require_safe
@public_page
def home(request):
    context = _panel_context(request)
    context.update(
        headline=stats.headline_counts(),
        choices=deployment_filter_choices(),
        tiles_url=settings.MAP_TILES_URL,
        tiles_attribution=settings.MAP_TILES_ATTRIBUTION,
    )
    return render(request, "tracker/home.html", context)


@require_safe
@public_page
def map_panel(request):
    """The counts and list beside the map, for the page's script to swap in after a filter."""
    return render(request, "tracker/includes/map_panel.html", _panel_context(request))
