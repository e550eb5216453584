import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

logger = logging.getLogger(__name__)


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
