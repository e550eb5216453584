"""The fetcher's behaviour against a real local server: headers, redirects, limits."""

import time
from urllib.parse import quote

import pytest

from tests.support import wait_for
from tests.support.servers import Reply
from tracker.checking.fetch import MAX_REDIRECTS, FetchError, fetch


def test_sends_an_identifying_user_agent(site, settings):
    site.routes["/"] = Reply(body=b"ok")
    fetch(site.url("/"))
    assert site.requests[0][1]["User-Agent"] == settings.FETCH_USER_AGENT


def test_sends_conditional_headers(site):
    site.routes["/"] = Reply(status=304, headers={})
    result = fetch(site.url("/"), etag='"v1"', last_modified="Mon, 01 Jan 2024 00:00:00 GMT")
    headers = site.requests[0][1]
    assert result.status == 304
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == "Mon, 01 Jan 2024 00:00:00 GMT"


def test_follows_a_redirect_chain_within_the_limit(site):
    for hop in range(MAX_REDIRECTS):
        site.routes[f"/r{hop}"] = Reply(status=301, headers={"Location": f"/r{hop + 1}"})
    site.routes[f"/r{MAX_REDIRECTS}"] = Reply(body=b"arrived")
    result = fetch(site.url("/r0"))
    assert result.body == b"arrived"
    assert result.final_url == site.url(f"/r{MAX_REDIRECTS}")
    assert len(result.redirects) == MAX_REDIRECTS


def test_too_many_redirects_fail(site):
    for hop in range(MAX_REDIRECTS + 1):
        site.routes[f"/r{hop}"] = Reply(status=302, headers={"Location": f"/r{hop + 1}"})
    site.routes[f"/r{MAX_REDIRECTS + 1}"] = Reply(body=b"too far")
    with pytest.raises(FetchError, match="redirects"):
        fetch(site.url("/r0"))
    assert f"/r{MAX_REDIRECTS + 1}" not in site.paths()


def test_a_redirect_loop_fails(site):
    site.routes["/a"] = Reply(status=302, headers={"Location": "/b"})
    site.routes["/b"] = Reply(status=302, headers={"Location": "/a"})
    with pytest.raises(FetchError, match="redirect"):
        fetch(site.url("/a"))
    assert len(site.requests) <= MAX_REDIRECTS + 1


def test_a_slow_response_times_out(site, settings):
    settings.FETCH_READ_TIMEOUT = 0.5
    site.routes["/slow"] = Reply(body=b"late", delay=3)
    started = time.monotonic()
    with pytest.raises(FetchError, match="no response within"):
        fetch(site.url("/slow"))
    assert time.monotonic() - started < 2.5


def test_a_huge_body_is_cut_at_the_cap(site, settings):
    site.routes["/huge"] = Reply(
        stream_bytes=50 * 1024 * 1024, headers={"Content-Type": "application/octet-stream"}
    )
    result = fetch(site.url("/huge"))
    assert settings.FETCH_MAX_BYTES == 5 * 1024 * 1024
    assert len(result.body) == settings.FETCH_MAX_BYTES
    assert result.truncated
    wait_for(lambda: site.in_flight == 0, timeout=5)  # the server gave up sending
    # We stopped reading: the server could not push the other 45 MB through.
    assert site.sent_bytes < 20 * 1024 * 1024


def test_connection_refused_is_a_fetch_error(make_site, settings):
    site = make_site("127.0.0.1")
    url = site.url("/")
    site.stop()
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    with pytest.raises(FetchError, match="cannot connect"):
        fetch(url)


def test_non_ascii_paths_are_percent_encoded(site):
    site.routes[quote("/समाचार/कैमरे")] = Reply(body=b"found")
    result = fetch(site.url("/समाचार/कैमरे?q=चेहरा"))
    assert result.body == b"found"
    assert site.requests[0][0] == quote("/समाचार/कैमरे") + "?q=" + quote("चेहरा")


def test_a_bad_port_is_a_fetch_error(site):
    with pytest.raises(FetchError, match="bad port"):
        fetch("http://127.0.0.1:http/")
