"""Root URLs: the public site (tracker), accounts, moderation, the API, the admin."""

import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

urlpatterns = [
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
if settings.DEBUG:
    # Public media only: submission attachments are served by a view that checks who asks.
    urlpatterns += [
        re_path(
            r"^" + re.escape(settings.MEDIA_URL.lstrip("/")) + r"(?P<path>(?!submissions/).*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
