"""Log records as one JSON object per line, for log shippers and ``jq``.

Fields given with ``extra={"event": {...}}`` are merged into the object, so a
request or task line carries its figures as fields rather than inside text.
Times are UTC in every process (Django sets the process's time zone to
``TIME_ZONE`` once the settings load, which would otherwise change the zone of
gunicorn's lines mid-file). Nothing here adds addresses or user agents;
callers never pass them.
"""

import json
import logging
from datetime import UTC, datetime

from gunicorn import glogging


class JSONFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        event = getattr(record, "event", None)
        if isinstance(event, dict):
            entry.update(event)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class GunicornLogger(glogging.Logger):
    """gunicorn's error and access logs as the same JSON lines (``deploy/gunicorn.conf.py``).

    The access line, when the access log is on, carries the method, the path
    without its query string (and without the secret keys some paths hold), the
    status, the bytes sent and the duration: never the client's address, user agent
    or referrer.
    """

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(JSONFormatter())

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        from tracker.middleware import path_for_log  # Django is loaded by the time of a request

        status = resp.status
        status = int(status.split(None, 1)[0]) if isinstance(status, str) else status
        method = environ.get("REQUEST_METHOD")
        path = path_for_log(environ.get("PATH_INFO") or "")
        self.access_log.info(
            "%s %s %s",
            method,
            path,
            status,
            extra={
                "event": {
                    "method": method,
                    "path": path,
                    "status": status,
                    "bytes": getattr(resp, "sent", None),
                    "duration_ms": round(request_time.total_seconds() * 1000, 1),
                }
            },
        )
