"""The site's own error pages (400, 403, 404, 500, a refused form), and 503 while a service
it needs is down.

A lost connection to PostgreSQL (restarting, a failover) or to Redis (the
cache, the throttle counters, the Celery broker) is not a bug in the request:
it gets ``503 Service Unavailable`` with ``Retry-After`` and a page that needs
neither, and the next request connects afresh. Every error page is the site's
layout in the reader's language (English at /, Hindi under /hi/); under /api/
the same message comes as JSON, ``{"detail": ...}``, as the API's own errors do.
"""

import logging
import sys

import kombu.exceptions
import redis
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# A service the site needs is unreachable (connection refused or lost, a timeout).
SERVICE_UNAVAILABLE = (
    OperationalError,
    InterfaceError,
    redis.ConnectionError,
    redis.TimeoutError,
    kombu.exceptions.OperationalError,
)
RETRY_AFTER_SECONDS = 30

PAGES = {
    400: (_("Bad request"), _("This address or form could not be understood.")),
    403: (
        _("Not allowed"),
        _("You may not see this page. If you should, sign in with the right account."),
    ),
    "csrf": (
        _("The form could not be sent"),
        _(
            "It was open too long, or your browser refused the site's cookie. Go back, "
            "reload the page and send the form again."
        ),
    ),
    404: (
        _("Page not found"),
        _("There is no page at this address. It may have moved, or the link may be mistyped."),
    ),
    500: (
        _("Something went wrong"),
        _("The error has been logged and will be looked at. Please try again later."),
    ),
    503: (
        _("Briefly unavailable"),
        _("The service is briefly unavailable. Please try again in a minute."),
    ),
}


def error_response(request, status, page=None):
    title, message = PAGES[page or status]
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(message)}, status=status)
    try:
        body = render_to_string("error.html", {"title": title, "message": message}, request)
        return HttpResponse(body, status=status)
    except Exception:  # the layout itself is broken: still answer, in plain words
        logger.exception("could not render the %s page", status)
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def bad_request(request, exception):
    return error_response(request, 400)


def permission_denied(request, exception):
    return error_response(request, 403)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent without its token (expired, or cookies refused)."""
    return error_response(request, 403, page="csrf")


def page_not_found(request, exception):
    return error_response(request, 404)


def server_error(request):
    if isinstance(sys.exc_info()[1], SERVICE_UNAVAILABLE):
        response = error_response(request, 503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return error_response(request, 500)
