"""The guard refuses loopback destinations not in FETCH_ALLOW_HOSTS, before any request."""

import pytest

from tests.support.servers import Reply
from tracker.checking.fetch import FetchBlocked, fetch


@pytest.mark.parametrize("host", ["127.0.0.2", "::1"])
def test_address_not_allowed_is_blocked_and_receives_nothing(make_site, settings, host):
    target = make_site(host)
    target.routes["/secret"] = Reply(body=b"internal")
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    with pytest.raises(FetchBlocked, match="forbidden address"):
        fetch(target.url("/secret"))
    assert target.requests == []


def test_localhost_by_name_is_blocked(make_site, settings):
    target = make_site("127.0.0.1")
    target.routes["/secret"] = Reply(body=b"internal")
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.2"]
    with pytest.raises(FetchBlocked):
        fetch(f"http://localhost:{target.port}/secret")
    assert target.requests == []


def test_allowed_host_is_fetched(make_site, settings):
    target = make_site("127.0.0.2")
    target.routes["/page"] = Reply(body=b"hello")
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.2"]
    assert fetch(target.url("/page")).body == b"hello"
    assert target.paths() == ["/page"]


def test_allow_list_matches_the_host_exactly(make_site, settings):
    target = make_site("::1")
    target.routes["/page"] = Reply(body=b"hello")
    settings.FETCH_ALLOW_HOSTS = ["[::1]"]
    assert fetch(target.url("/page")).body == b"hello"
    settings.FETCH_ALLOW_HOSTS = ["::"]
    with pytest.raises(FetchBlocked):
        fetch(target.url("/page"))


def test_redirect_to_a_loopback_address_not_allowed_is_blocked(make_site, settings):
    allowed = make_site("127.0.0.1")
    internal = make_site("127.0.0.2")
    internal.routes["/admin"] = Reply(body=b"internal")
    allowed.routes["/go"] = Reply(status=302, headers={"Location": internal.url("/admin")})
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    with pytest.raises(FetchBlocked):
        fetch(allowed.url("/go"))
    assert allowed.paths() == ["/go"]
    assert internal.requests == []


def test_non_http_schemes_are_refused(settings):
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    from tracker.checking.fetch import FetchError

    with pytest.raises(FetchError, match="not an http"):
        fetch("file:///etc/passwd")


def test_a_port_not_allowed_is_refused_before_any_request(make_site, settings):
    target = make_site("127.0.0.1")
    target.routes["/page"] = Reply(body=b"hello")
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    settings.FETCH_ALLOWED_PORTS = [80, 443]
    with pytest.raises(FetchBlocked, match=f"port {target.port} is not allowed"):
        fetch(target.url("/page"))
    assert target.requests == []
