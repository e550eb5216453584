"""Privacy guarantees for the public site: a strict Content-Security-Policy and no cookies.

The site loads nothing from other hosts and runs no inline script, so the
policy can be strict. django-csp sends it (``CONTENT_SECURITY_POLICY``, built by
``content_security_policy``): a page that renders ``request.csp_nonce`` (the
admin's map widgets) gets that nonce in its ``script-src``, and a view can
widen the policy for itself alone with django-csp's ``csp_update`` /
``csp_replace`` (the API docs' inline styles) or ``framed_by`` below. Public
pages never need a cookie; views marked with ``public_page`` have any cookie
removed before the response leaves, so a future template tag or middleware
cannot start tracking readers by accident. Every response, static files
included, also refuses framing (unless its view says ``framed_by``), sniffing
and the camera, microphone and location (``Permissions-Policy``).

``RequestLogMiddleware`` writes one JSON line per request: method, path,
status and duration; never the client's address, agent or query string, and
never a secret that a path carries (``path_for_log``).
"""

import logging
import re
import time
from functools import wraps
from urllib.parse import urlsplit

from csp.constants import NONCE, NONE, SELF
from csp.decorators import csp_replace
from django.conf import settings
from django.utils.cache import patch_cache_control
from django.views.decorators.clickjacking import xframe_options_exempt

logger = logging.getLogger(__name__)


def tile_origin(tiles_url):
    """The scheme://host[:port] of a tile URL template, or "" when none is configured."""
    if not tiles_url:
        return ""
    parts = urlsplit(tiles_url.replace("{s}", "a"))
    if not parts.scheme or not parts.netloc:
        return ""
    host = parts.netloc
    if "{s}" in tiles_url.split("/")[2]:
        host = "*." + host.split(".", 1)[1]
    return f"{parts.scheme}://{host}"


def content_security_policy(tiles_url=""):
    """The site's policy, as django-csp directives; images may also come from the
    operator's tile server. ``NONCE`` is sent only on pages that use it."""
    origin = tile_origin(tiles_url)
    return {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *([origin] if origin else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }


def framed_by(*ancestors):
    """Let pages of the decorated view be framed by ``ancestors`` (CSP sources such
    as ``"https://news.example.org"`` or ``"*"``): its ``frame-ancestors`` becomes
    those, and it sends no ``X-Frame-Options``. Every other view stays unframeable.
    ``ancestors`` may instead be one function returning them, asked on every response
    (the embeds' ``EMBED_ALLOWED_ORIGINS``, a setting)."""

    def decorator(view):
        if len(ancestors) == 1 and callable(ancestors[0]):

            @wraps(view)
            def wrapped(request, *args, **kwargs):
                sources = list(ancestors[0]())
                framed = csp_replace({"frame-ancestors": sources})(xframe_options_exempt(view))
                return framed(request, *args, **kwargs)

            return wrapped
        return xframe_options_exempt(csp_replace({"frame-ancestors": list(ancestors)})(view))

    return decorator


def public_page(view):
    """Mark a view as a public page: its responses never carry a cookie."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    wrapped.public_page = True
    return wrapped


class PrivacyMiddleware:
    """Strips cookies from public pages; refuses framing, sniffing and device features; keeps
    what a signed-in person is shown out of every cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if not getattr(response, "xframe_options_exempt", False):
            response.setdefault("X-Frame-Options", "DENY")
        response.setdefault("X-Content-Type-Options", "nosniff")
        response.setdefault("Referrer-Policy", "same-origin")
        if self._is_personal(request, response):
            # A page built for the person signed in (a new API token on the profile, their
            # submissions, the moderators' queue): no browser or proxy cache may keep it.
            patch_cache_control(response, private=True, no_store=True)  # replaces "public"
        if self._is_public_page(request) and response.cookies:
            logger.warning(
                "dropped cookies %s from public page %s", sorted(response.cookies), request.path
            )
            response.cookies.clear()
        return response

    @staticmethod
    def _is_personal(request, response):
        """Signed in, and the answer depends on the session (Django's ``Vary: Cookie``)."""
        user = getattr(request, "user", None)
        return bool(
            user is not None
            and user.is_authenticated
            and "cookie" in response.get("Vary", "").lower()
        )

    @staticmethod
    def _is_public_page(request):
        match = getattr(request, "resolver_match", None)
        view = getattr(match, "func", None)
        return bool(
            getattr(view, "public_page", False)
            or getattr(view, "view_class", None)
            and getattr(view.view_class, "public_page", False)
        )


request_log = logging.getLogger("panoptic.request")

# Paths that carry a secret: the keys of password-reset and e-mail-confirmation links
# (django-allauth's URLs). Whoever reads the logs could otherwise take over the account.
SECRET_PATHS = [
    re.compile(r"(/password/reset/key/)(?!done/$)[^?#]+"),
    re.compile(r"(/confirm-email/)[^/?#]+"),
]


def path_for_log(path: str) -> str:
    """``path`` as logs may keep it: any secret it carries replaced by "[secret]"."""
    for pattern in SECRET_PATHS:
        path = pattern.sub(r"\1[secret]", path)
    return path


class RequestLogMiddleware:
    """One log line per request, and a note for /healthz about an unconfigured proxy."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.forwarded_noted_at = 0.0

    def __call__(self, request):
        started = time.monotonic()
        if "HTTP_X_FORWARDED_FOR" in request.META and settings.NUM_PROXIES == 0:
            self._note_forwarded_for()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        path = path_for_log(request.path)
        request_log.info(
            "%s %s %s",
            request.method,
            path,
            response.status_code,
            extra={
                "event": {
                    "method": request.method,
                    "path": path,
                    "view": match.view_name if match else None,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                }
            },
        )
        return response

    def _note_forwarded_for(self):
        """At most once a minute per process: cheap enough for every request."""
        now = time.monotonic()
        if now - self.forwarded_noted_at < 60:
            return
        self.forwarded_noted_at = now
        from .health import forwarded_for_seen

        try:
            forwarded_for_seen()
        except Exception:
            logger.warning("could not note X-Forwarded-For for /healthz")
