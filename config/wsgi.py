import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger(__name__)

# What nginx lets through (deploy/nginx.conf.example: client_max_body_size 51m), with room.
DRAIN_MAX_BYTES = 64 * 1024 * 1024
DRAIN_CHUNK = 256 * 1024


def drain_unread_body(environ):
    """Read what the client sent and nobody read, up to ``DRAIN_MAX_BYTES``. An answer given
    before the body was read (401 without a token, 429, a 400 on the parameters) ends the
    connection with the rest of the body still unread: the kernel then resets it, and
    nginx, still handing the body on, answers 502 instead of the site's own answer. nginx
    holds the whole body before it hands it on, so this reads what has already arrived;
    without nginx, gunicorn's worker timeout bounds a client that never sends it."""
    try:
        remaining = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return
    stream = environ.get("wsgi.input")
    remaining = min(remaining, DRAIN_MAX_BYTES)
    while stream is not None and remaining > 0:
        chunk = stream.read(min(DRAIN_CHUNK, remaining))
        if not chunk:
            return
        remaining -= len(chunk)


def _drained(app):
    def application(environ, start_response):
        response = app(environ, start_response)
        drain_unread_body(environ)
        return response

    return application


application = _drained(get_wsgi_application())


def warm_up():
    """What every search in a process reads, built before the process takes its first
    request rather than during it: the gazetteer of place names (a tenth of a second or
    more). gunicorn calls this in each new worker (deploy/gunicorn.conf.py). A database that
    cannot be reached yet leaves it to the first search, and the worker starts all the same.
    """
    from django.db import connections

    from tracker.catalogue.places import gazetteer

    try:
        gazetteer()
    except Exception as error:  # never keep a worker from starting
        logger.warning("warm-up left to the first request: %s", error)
    finally:
        connections.close_all()  # each request opens its own, as Django expects
