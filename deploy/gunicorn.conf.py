"""gunicorn settings for Panoptic Tracker: `gunicorn -c deploy/gunicorn.conf.py config.wsgi`.

Values come from the environment so one file serves every machine; command-line
options (as scripts/run.sh passes) override them.
"""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak never grows without bound.
max_requests = 5000
max_requests_jitter = 500


def post_worker_init(worker):
    """Each new worker builds what every search reads before it takes a request."""
    from config.wsgi import warm_up

    warm_up()


# Every line is JSON with a UTC time, like the site's own (config/logging.py). Django logs
# one line per request (tracker.middleware.RequestLogMiddleware), so gunicorn's access
# log is off unless GUNICORN_ACCESS_LOG=true; it never holds client addresses either.
logger_class = "config.logging.GunicornLogger"
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "").lower() in ("1", "true") else None
errorlog = "-"
# Django alone decides whether a request came over HTTPS (SECURE_PROXY_SSL_HEADER,
# set only when API_NUM_PROXIES says a proxy sets X-Forwarded-Proto).
secure_scheme_headers = {}
# Requests bigger than this never reach Django.
limit_request_line = 8190
limit_request_fields = 100
