"""Privacy guarantees for the public site: a strict Content-Security-Policy and no cookies.

The site loads nothing from other hosts and runs no inline script, so the
policy can be strict. Public pages never need a cookie; views marked with
``public_page`` have any cookie removed before the response leaves, so a
future template tag or middleware cannot start tracking readers by accident.
Every response, static files included, also refuses framing, sniffing and the
camera, microphone and location (``Permissions-Policy``).

``RequestLogMiddleware`` writes one JSON line per request: method, route,
status and duration; never the client's address, agent or query string.
"""

import logging
import secrets
import time
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)

# Every response gets the policy. The admin's map widgets (django-leaflet) run inline
# scripts marked with the request's nonce, so admin pages allow that nonce; the API
# docs page (Swagger UI) has an inline <style>, so it alone allows inline styles.
NONCE_PREFIXES = ("/admin/",)
INLINE_STYLE_PREFIXES = ("/api/v1/docs/",)


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


def content_security_policy(tiles_url="", nonce=None, inline_styles=False):
    """The policy header value; images may also come from the operator's tile server."""
    img = ["'self'", "data:"]
    origin = tile_origin(tiles_url)
    if origin:
        img.append(origin)
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", f"'nonce-{nonce}'"] if nonce else ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"] if inline_styles else ["'self'"],
        "img-src": img,
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def public_page(view):
    """Mark a view as a public page: its responses never carry a cookie."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    wrapped.public_page = True
    return wrapped


class PrivacyMiddleware:
    """Adds the Content-Security-Policy and strips cookies from public pages."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.tiles_url = getattr(settings, "MAP_TILES_URL", "")
        self.policy = content_security_policy(self.tiles_url)

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)  # read by django-leaflet's admin
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self._policy_for(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.setdefault("X-Frame-Options", "DENY")
        response.setdefault("X-Content-Type-Options", "nosniff")
        response.setdefault("Referrer-Policy", "same-origin")
        if self._is_public_page(request) and response.cookies:
            logger.warning(
                "dropped cookies %s from public page %s", sorted(response.cookies), request.path
            )
            response.cookies.clear()
        return response

    def _policy_for(self, request):
        if request.path.startswith(NONCE_PREFIXES):
            return content_security_policy(self.tiles_url, nonce=request.csp_nonce)
        if request.path.startswith(INLINE_STYLE_PREFIXES):
            return content_security_policy(self.tiles_url, inline_styles=True)
        return self.policy

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
        request_log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "event": {
                    "method": request.method,
                    "path": request.path,
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
