"""Anonymous readers get no cookie, a strict CSP, and pages that load nothing from other hosts."""

import re
from html.parser import HTMLParser

import pytest
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import Client
from django.urls import path as route
from django.utils import translation

from tests.support.pages import PAGES
from tracker.catalogue.links import detail_url
from tracker.middleware import content_security_policy, framed_by, tile_origin

# Attributes that make the browser fetch something by itself (links a reader clicks are fine).
FETCHING = re.compile(
    r'<(script|link|img|iframe|source|video|audio|embed)\b[^>]*?(?:src|href)="([^"]*)"'
)


class _Attributes(HTMLParser):
    """Every element's attribute names, as the browser parses them (text that merely shows
    HTML, such as an embed's iframe code to copy, is not markup)."""

    def __init__(self):
        super().__init__()
        self.names = []

    def handle_starttag(self, tag, attrs):
        self.names.extend((tag, name) for name, _value in attrs)


def attribute_names(body):
    parser = _Attributes()
    parser.feed(body)
    return parser.names


def all_pages(site_data):
    with translation.override("en"):
        details = [detail_url(site_data[k]) for k in ("lucknow", "hotspot", "rti")]
        details.append(detail_url(site_data["agencies"][0]))
    return PAGES + details + ["/hi/", "/deployments/?q=face&state=IN-UP"]


def test_anonymous_pages_set_no_cookie(client, site_data):
    for path in all_pages(site_data):
        response = client.get(path)
        assert response.status_code == 200, path
        assert not response.cookies, f"{path} set {list(response.cookies)}"
        assert "Set-Cookie" not in response.headers, path


def test_a_cookie_set_by_accident_is_removed_from_public_pages(site_data, settings):
    """Even if some code touches the session, the privacy middleware drops the cookie."""
    with_toucher = [
        *settings.MIDDLEWARE[:-1],
        "tests.site.test_privacy.SessionToucher",
        settings.MIDDLEWARE[-1],
    ]
    # Without the privacy middleware the careless code would set a session cookie...
    settings.MIDDLEWARE = [m for m in with_toucher if m != "tracker.middleware.PrivacyMiddleware"]
    assert "sessionid" in Client().get("/").cookies
    # ...with it, public pages still send none.
    settings.MIDDLEWARE = with_toucher
    response = Client().get("/")
    assert response.status_code == 200
    assert not response.cookies


class SessionToucher:
    """Test middleware: marks the session modified, as a careless view might."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.session["seen"] = True
        return self.get_response(request)


def test_every_page_has_a_strict_content_security_policy(client, site_data):
    for path in all_pages(site_data):
        policy = client.get(path)["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "default-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy


def test_pages_fetch_nothing_from_other_hosts_and_run_no_inline_script(client, site_data):
    for path in all_pages(site_data):
        response = client.get(path)
        if not response["Content-Type"].startswith("text/html"):
            continue
        body = response.content.decode()
        for tag, url in FETCHING.findall(body):
            # Absolute links to this site count as ours (oEmbed discovery must be absolute).
            same_site = url.startswith(("/", "http://testserver/")) and not url.startswith("//")
            assert same_site or url.startswith("data:"), f"{path}: <{tag}> {url}"
        # Inline scripts: every <script> must load a file (JSON data blocks are not run).
        for attributes in re.findall(r"<script\b([^>]*)>", body):
            assert 'src="/' in attributes or 'type="application/json"' in attributes, path
        for tag, name in attribute_names(body):
            assert not name.startswith("on"), f"{path}: <{tag} {name}>, an inline event handler"
            assert name != "style", f"{path}: <{tag} style>, an inline style attribute"


@pytest.mark.parametrize(
    ("tiles", "origin"),
    [
        ("", ""),
        ("https://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org"),
        ("https://{s}.tile.example.net/{z}/{x}/{y}.png", "https://*.tile.example.net"),
        ("not a url", ""),
    ],
)
def test_tile_server_is_the_only_other_image_origin(tiles, origin):
    assert tile_origin(tiles) == origin
    policy = build_policy(config=content_security_policy(tiles))
    img = next(d for d in policy.split("; ") if d.startswith("img-src"))
    assert img == ("img-src 'self' data: " + origin).strip()


def test_default_map_names_no_tile_server(client, site_data):
    body = client.get("/").content.decode()
    assert 'data-tiles-url=""' in body and 'data-pmtiles-url=""' in body
    # The background comes from the site itself: state outlines and place names.
    assert 'data-states-url="/map/states.geojson"' in body
    assert 'data-labels-url="/map/places.json"' in body
    assert "protomaps-leaflet" not in body


def test_the_nonce_is_in_the_policy_only_of_a_page_that_uses_it(client, admin_user, site_data):
    """The admin's map widget runs an inline script marked with the request's nonce."""
    client.force_login(admin_user)
    response = client.get("/admin/tracker/hotspot/add/")
    nonce = re.search(r'<script nonce="([^"]+)">', response.content.decode()).group(1)
    script_src = next(
        d for d in response["Content-Security-Policy"].split("; ") if d.startswith("script-src")
    )
    assert script_src == f"script-src 'self' 'nonce-{nonce}'"
    assert "nonce-" not in client.get("/admin/").headers["Content-Security-Policy"]
    assert "nonce-" not in client.get("/").headers["Content-Security-Policy"]


def test_only_the_api_docs_allow_inline_styles(client, db):
    docs = client.get("/api/v1/docs/")["Content-Security-Policy"]
    directives = {d.strip() for d in docs.split(";")}  # in any order (django-csp uses a set)
    assert "style-src 'self' 'unsafe-inline'" in directives
    assert "script-src 'self'" in directives  # its start-up script is a file
    assert "unsafe-inline" not in client.get("/api/v1/")["Content-Security-Policy"]


def framed_view(request):
    return HttpResponse("a widget")


def ordinary_view(request):
    return HttpResponse("a page")


urlpatterns = [
    route("framed/", framed_by("https://news.example.org")(framed_view)),
    route("ordinary/", ordinary_view),
]


@pytest.mark.urls(__name__)
def test_a_view_framed_by_others_says_so_and_every_other_refuses_framing(client):
    framed = client.get("/framed/")
    assert "frame-ancestors https://news.example.org" in framed["Content-Security-Policy"]
    assert "X-Frame-Options" not in framed
    assert "script-src 'self'" in framed["Content-Security-Policy"]  # the rest is as strict
    ordinary = client.get("/ordinary/")
    assert "frame-ancestors 'none'" in ordinary["Content-Security-Policy"]
    assert ordinary["X-Frame-Options"] == "DENY"
