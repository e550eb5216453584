"""The security review's findings, each as a reader or attacker would meet it."""

from xml.etree import ElementTree

import pytest
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from rest_framework.authtoken.models import Token

from tests.factories import DeploymentFactory, UserFactory, VendorFactory


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


# A query string never causes a server error


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/deployments/", "/deployments/"])
@pytest.mark.parametrize("param", ["vendor", "agency"])
@pytest.mark.parametrize("value", ["¹6", "٣", "99999999999999999999999", "1e3"])
def test_unicode_or_huge_ids_are_not_a_server_error(client, path, param, value):
    """Not an id PostgreSQL can hold, and no such name: nothing matches."""
    DeploymentFactory(title="Safe City")
    response = client.get(path, {param: value})
    assert response.status_code == 200, response.content[:200]
    if path.startswith("/api/"):
        assert response.json()["count"] == 0
    else:
        assert "Safe City" not in response.content.decode()


@pytest.mark.django_db
def test_ascii_vendor_id_still_matches(client):
    vendor = VendorFactory(name="Staqu")
    deployment = DeploymentFactory(title="Safe City")
    deployment.vendors.add(vendor)
    by_id = client.get("/api/v1/deployments/", {"vendor": str(vendor.pk)}).json()
    by_name = client.get("/api/v1/deployments/", {"vendor": "staqu"}).json()
    assert [r["id"] for r in by_id["results"]] == [deployment.pk]
    assert by_name["results"] == by_id["results"]


# Authentication: token only, failures throttled


@pytest.mark.django_db
def test_basic_and_session_credentials_are_ignored(client):
    user = UserFactory(username="reader", password=make_password("right-password"))
    client.force_login(user)
    response = client.get(
        "/api/v1/deployments/", HTTP_AUTHORIZATION="Basic cmVhZGVyOndyb25nLXBhc3N3b3Jk"
    )
    # Neither the session nor the Basic header is looked at: an anonymous read.
    assert response.status_code == 200
    assert not response.renderer_context["request"].user.is_authenticated
    assert "WWW-Authenticate" not in response


@pytest.mark.django_db
def test_a_valid_token_authenticates():
    from rest_framework.test import APIClient

    user = UserFactory(username="volunteer")
    token = Token.objects.create(user=user)
    client = APIClient()
    response = client.get("/api/v1/deployments/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.renderer_context["request"].user == user


@pytest.mark.django_db
def test_wrong_tokens_are_throttled_without_hashing(client, settings, monkeypatch):
    settings.API_AUTH_FAILURES = "3/min"
    UserFactory(username="reader", password=make_password("right-password"))
    hashed = []
    monkeypatch.setattr(
        "django.contrib.auth.hashers.PBKDF2PasswordHasher.encode",
        lambda *args, **kwargs: hashed.append(1),
    )
    statuses = [
        client.get("/api/v1/deployments/", HTTP_AUTHORIZATION=f"Token wrong{i}").status_code
        for i in range(5)
    ]
    assert statuses == [401, 401, 401, 429, 429]
    # A Basic header with a real user's wrong password is not even looked at.
    basic = client.get(
        "/api/v1/deployments/",
        HTTP_AUTHORIZATION="Basic cmVhZGVyOndyb25nLXBhc3N3b3Jk",  # reader:wrong-password
        REMOTE_ADDR="127.0.0.8",
    )
    assert basic.status_code == 200
    assert hashed == []
    # Another client is not affected.
    other = client.get(
        "/api/v1/deployments/", HTTP_AUTHORIZATION="Token wrong", REMOTE_ADDR="127.0.0.9"
    )
    assert other.status_code == 401


# Atom feeds carry the site's sanitised HTML


@pytest.mark.django_db
def test_feed_summaries_are_sanitised(client):
    DeploymentFactory(
        title="Hostile summary",
        summary="**Bold** <script>alert(1)</script><img src=x onerror=alert(2)> "
        "[link](javascript:alert(3)) [ok](https://example.org/a)",
    )
    response = client.get("/feeds/deployments/")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    summary = root.find("a:entry/a:summary", ns)
    assert summary.get("type") == "html"
    html = summary.text
    assert "<strong>Bold</strong>" in html
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert '<a href="https://example.org/a" rel="noopener nofollow">ok</a>' in html


# Security headers on every response


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/deployments/", "/api/v1/deployments/", "/healthz", "/no-such-page/"]
)
def test_security_headers_everywhere(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in policy
