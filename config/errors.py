"""The site's answer to an unhandled error: 503 while the database is unreachable.

A lost database connection (PostgreSQL restarting, a failover) is not a bug in
the request: it gets ``503 Service Unavailable`` with ``Retry-After`` and a
body that needs no database, and the next request connects afresh.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def server_error(request):
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        message = _("The service is briefly unavailable. Please try again in a minute.")
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=503)
        else:
            response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = "30"
        return response
    return defaults.server_error(request)
