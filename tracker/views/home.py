"""The home page: the map (its data comes from views.map), its filters and its list."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..catalogue import stats
from ..catalogue.datacache import cached
from ..catalogue.filters import DeploymentFilter
from ..catalogue.geography import state_extents
from ..catalogue.selectors.rows import deployment_rows, hotspot_rows
from ..middleware import public_page
from ..models import Deployment, Hotspot
from .common import deployment_filter_choices, filtered

# Rows listed beside the map; the full filtered set is one click away on /deployments/.
PANEL_ROWS = 50


def _panel_context(request):
    filterset = filtered(DeploymentFilter, request, Deployment.objects.published())
    matching = filterset.qs
    # The map's hotspots follow the state filter only (static/js/live_map.js): so does the list.
    state = filterset.form.cleaned_data.get("state") if filterset.is_valid() else None
    hotspots = Hotspot.objects.published()
    if state:
        hotspots = hotspots.filter(state_id=state)
    elif not filterset.is_valid():
        hotspots = hotspots.none()

    def counts():
        return (
            matching.count(),
            matching.filter(location__isnull=False).count(),
            hotspots.count(),
        )

    query = sorted((k, v) for k, values in request.GET.lists() for v in values)
    matching_count, mapped_count, hotspot_count = cached("map-panel-counts", counts, query)
    return {
        "filterset": filterset,
        "matching_count": matching_count,
        "mapped_count": mapped_count,
        "rows": deployment_rows(matching)[:PANEL_ROWS],
        "hotspot_count": hotspot_count,
        "hotspot_rows": hotspot_rows(hotspots.order_by("name", "id"))[:PANEL_ROWS],
        "hotspot_query": urlencode({"state": state}) if state else "",
        "panel_rows": PANEL_ROWS,
        "query": request.GET.urlencode(),
    }


@require_safe
@public_page
def home(request):
    context = _panel_context(request)
    context.update(
        headline=stats.published_figures()["headline"],
        choices=deployment_filter_choices(),
        state_extents=state_extents(),
    )
    return render(request, "tracker/home.html", context)


@require_safe
@public_page
def map_panel(request):
    """The counts and list beside the map, for the page's script to swap in after a filter."""
    return render(request, "tracker/includes/map_panel.html", _panel_context(request))
