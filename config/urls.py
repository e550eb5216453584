"""Root URLs: the public site (tracker), accounts, moderation, the API, the admin."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from tracker.views.basemap import pmtiles_file
from tracker.views.health import healthz, healthz_full

# Uploaded files under MEDIA_ROOT are never served by URL (/media/ is a 404):
# an upload stays private until a view that checks permissions hands it out.
# Error pages in the site's layout and the reader's language; 503 while a service is down.
handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"

urlpatterns = [
    # Liveness (database and cache) for load balancers; the full report for monitoring.
    path("healthz", healthz, name="healthz"),
    path("healthz/full", healthz_full, name="healthz-full"),
    # The operator's PMTiles basemap (MAP_PMTILES): one file for every language.
    path("map/basemap.pmtiles", pmtiles_file, name="map-pmtiles"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
] + i18n_patterns(
    # The public site: English at /, Hindi at /hi/ (a URL prefix, so no language cookie).
    path("", include("tracker.urls")),
    # Volunteers and moderators: /submit/, /submissions/, /moderation/ (with source review).
    path("", include("moderation.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    prefix_default_language=False,
)
