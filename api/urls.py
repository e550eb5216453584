"""/api/v1/: the researcher API (docs/architecture.md). Paths are a public contract."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from tracker.exports.datasets import EXPORTS

from . import releases, rti, views, webhooks
from .parameters import ANY, query_parameters
from .rti_events import RTIEventsView
from .submissions import SubmissionsView

router = SimpleRouter()
VIEWSETS = {
    "deployments": views.DeploymentViewSet,
    "agencies": views.AgencyViewSet,
    "hotspots": views.HotspotViewSet,
    "rti-requests": views.RTIRequestViewSet,
    "sources": views.SourceViewSet,
}
for prefix, viewset in VIEWSETS.items():
    router.register(prefix, viewset, basename=views.ENDPOINTS[prefix])

app_name = "api"

export_urls = [
    path(
        f"export/{name}.{file_format}",
        views.export_view(name, file_format),
        name=f"export-{name}-{file_format}",
    )
    for name, export in EXPORTS.items()
    for file_format in (("csv", "geojson") if export.geometry else ("csv",))
] + [
    # For OpenStreetMap's mappers to review and upload by hand (tracker/exports/osm.py).
    path(
        f"export/hotspots.{file_format}",
        views.osm_export_view(file_format),
        name=f"export-hotspots-{file_format.replace('.', '-')}",
    )
    for file_format in views.OSM_FORMATS
]

urlpatterns = [
    path("", views.api_root, name="root"),
    *router.urls,
    *export_urls,
    path("export/ocds.json", views.OCDSExportView.as_view(), name="export-ocds"),
    path("stats/", views.StatsView.as_view(), name="stats"),
    path("releases/", releases.ReleaseListView.as_view(), name="releases"),
    path("releases/<str:name>/", releases.ReleaseDetailView.as_view(), name="release"),
    path("rti/deadlines/", rti.RTIDeadlinesView.as_view(), name="rti-deadlines"),
    path(
        "agencies/<int:id>/rti-statistics/",
        rti.AgencyRTIStatisticsView.as_view(),
        name="agency-rti-statistics",
    ),
    path("submissions/", SubmissionsView.as_view(), name="submissions"),
    path("rti-requests/<int:id>/events/", RTIEventsView.as_view(), name="rti-events"),
    path("webhooks/", webhooks.WebhookListView.as_view(), name="webhooks"),
    path("webhooks/<int:pk>/", webhooks.WebhookDetailView.as_view(), name="webhook"),
    path(
        "webhooks/<int:pk>/deliveries/",
        webhooks.WebhookDeliveriesView.as_view(),
        name="webhook-deliveries",
    ),
    path(
        "schema/",
        query_parameters("format", "lang")(SpectacularAPIView.as_view()),
        name="schema",
    ),
    # The split view serves Swagger UI's start-up script as a file: no inline script.
    # Swagger UI's page has an inline <style>, so it alone allows inline styles.
    path(
        "docs/",
        query_parameters("script", "lang")(
            csp_update({"style-src": [UNSAFE_INLINE]})(
                SpectacularSwaggerSplitView.as_view(url_name="api:schema")
            )
        ),
        name="docs",
    ),
    # Anything else under /api/v1/ is a JSON 404, never the site's HTML page; a path with a
    # newline in it too ("[\s\S]" matches it where "." would not; "\Z" is the very end).
    re_path(r"^export/[\s\S]*\Z", query_parameters(ANY)(views.not_found)),
    re_path(r"^[\s\S]*/\Z", query_parameters(ANY)(views.not_found)),
]
