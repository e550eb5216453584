"""Root URLs: the public site (tracker), the API, the admin."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("moderation/", include("tracker.moderation_urls")),
] + i18n_patterns(
    # The public site: English at /, Hindi at /hi/ (a URL prefix, so no language cookie).
    path("", include("tracker.urls")),
    prefix_default_language=False,
)
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
