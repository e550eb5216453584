"""gunicorn's own lines are the site's JSON lines, in UTC, and its access line (when on)
names no client."""

import json
from datetime import timedelta
from types import SimpleNamespace

from gunicorn.config import Config

from config.logging import GunicornLogger


def test_access_and_error_lines_are_json_without_the_client(capsys):
    cfg = Config()
    cfg.set("accesslog", "-")
    logger = GunicornLogger(cfg)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/deployments/",
        "QUERY_STRING": "q=a+private+search",
        "RAW_URI": "/deployments/?q=a+private+search",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "198.51.100.4",
        "HTTP_USER_AGENT": "Agent/1.0",
        "HTTP_REFERER": "https://elsewhere.example/",
    }
    response = SimpleNamespace(status="200 OK", sent=5120)
    request = SimpleNamespace(headers=[("USER-AGENT", "Agent/1.0")])
    logger.access(response, request, environ, timedelta(milliseconds=42))
    logger.error("Worker (pid:%s) was sent SIGKILL!", 123)

    captured = capsys.readouterr()
    (access,) = captured.out.splitlines()
    (error,) = captured.err.splitlines()
    entry = json.loads(access)
    assert {k: entry[k] for k in ("logger", "method", "path", "status", "bytes")} == {
        "logger": "gunicorn.access",
        "method": "GET",
        "path": "/deployments/",
        "status": 200,
        "bytes": 5120,
    }
    assert entry["duration_ms"] == 42.0
    for private in ("198.51.100.4", "Agent/1.0", "private", "elsewhere"):
        assert private not in access
    entry = json.loads(error)
    assert entry["logger"] == "gunicorn.error" and entry["level"] == "ERROR"
    assert entry["message"] == "Worker (pid:123) was sent SIGKILL!"
    assert entry["time"].endswith("+00:00")
