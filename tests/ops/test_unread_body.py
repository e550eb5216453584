"""An answer given before the request's body was read (401 without a token) still reads
the body the client sent, up to a bound, so the connection ends cleanly and nginx passes
the site's own answer on instead of a 502 (config/wsgi.py)."""

import io
import sys

import pytest

from config import wsgi


def call(body, *, content_length=None, path="/api/v1/submissions/"):
    stream = io.BytesIO(body)
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "CONTENT_TYPE": "application/octet-stream",
        "CONTENT_LENGTH": str(len(body)) if content_length is None else content_length,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": stream,
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    statuses = []
    response = wsgi.application(environ, lambda status, headers, exc=None: statuses.append(status))
    b"".join(response)
    response.close()
    return int(statuses[0].split()[0]), stream


@pytest.mark.django_db
def test_a_refused_upload_is_read_to_its_end_before_the_answer():
    body = b"x" * (3 * 1024 * 1024)
    status, stream = call(body)
    assert status in (401, 403)  # the site's own answer: no token
    assert stream.tell() == len(body)


@pytest.mark.django_db
def test_a_body_past_the_bound_is_read_no_further(monkeypatch):
    monkeypatch.setattr(wsgi, "DRAIN_MAX_BYTES", 1000)
    status, stream = call(b"x" * 5000)
    assert status in (401, 403)
    assert stream.tell() == 1000


def test_a_length_that_is_no_number_or_a_stream_that_ends_early_reads_nothing_more():
    stream = io.BytesIO(b"abc")
    wsgi.drain_unread_body({"CONTENT_LENGTH": "many", "wsgi.input": stream})
    assert stream.tell() == 0
    wsgi.drain_unread_body({"CONTENT_LENGTH": "100", "wsgi.input": stream})  # only 3 there
    assert stream.tell() == 3
    wsgi.drain_unread_body({"CONTENT_LENGTH": "-5", "wsgi.input": io.BytesIO(b"abc")})
