"""Production mode, as an operator runs it: check --deploy, collectstatic, gunicorn, DEBUG off.

The site runs under gunicorn with the production settings (no development
switch, DEBUG off, whitenoise's compressed manifest storage) behind a pretend
reverse proxy that says the request came over HTTPS, and every public page in
the sitemap, in both languages, plus the API and its docs, must render.
"""

import re
from datetime import date
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.db import connection

from tests.factories import (
    AgencyFactory,
    DeploymentFactory,
    HotspotFactory,
    RTIRequestFactory,
    VendorFactory,
)
from tests.support.data import reference_data_ensure
from tests.support.servers import Gunicorn, database_url, production_env, run_manage

pytestmark = pytest.mark.slow_setup  # collectstatic, then gunicorn


def test_check_deploy_reports_nothing():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=production_env(), check=False
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_startup_is_refused_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = run_manage("check", env=env, check=False)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_development_switch_allows_the_development_key():
    env = production_env(PANOPTIC_DEV="1")
    del env["SECRET_KEY"]
    del env["DEBUG"]
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.DEBUG)", env=env
    )
    assert result.stdout.strip().splitlines()[-1] == "True"


@pytest.fixture(scope="module")
def published_site(django_db_setup, django_db_blocker):
    """A published deployment with its agency, vendor, hotspot and RTI request, committed
    for gunicorn to read, and flushed after the module (its tests only read)."""
    with django_db_blocker.unblock():
        reference_data_ensure()
        try:
            police = AgencyFactory(name="Lucknow Police", state_id="IN-UP", city="Lucknow")
            deployment = DeploymentFactory(
                title="Safe City face recognition",
                lead_agency=police,
                summary="Cameras at **200 hotspots**.",
                announced_on=date(2021, 3, 1),
            )
            deployment.vendors.add(VendorFactory(name="Staqu"))
            HotspotFactory(name="Hazratganj market", agency=police).deployments.add(deployment)
            RTIRequestFactory(
                title="Cameras at Lucknow hotspots", authority=police
            ).deployments.add(deployment)
            yield deployment
        finally:
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(scope="module")
def production_site(published_site, static_root, tmp_path_factory):
    """One gunicorn in production mode for the module's tests."""
    media = tmp_path_factory.mktemp("media")
    env = production_env(
        DATABASE_URL=database_url(connection.settings_dict),
        STATIC_ROOT=static_root,
        MEDIA_ROOT=media,
    )
    (media / "secret.pdf").write_text("private upload")
    with Gunicorn(env) as site:
        yield site


def sitemap_paths(site):
    """Every page the sitemap index lists, through each of its files."""
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}

    def locations(path, xpath):
        status, _, body = site.get(path)
        assert status == 200, path
        found = [loc.text for loc in ElementTree.fromstring(body).findall(xpath, ns)]
        return [re.sub(r"^https?://[^/]+", "", url) for url in found]

    files = locations("/sitemap.xml", "s:sitemap/s:loc")
    assert files
    return [page for file in files for page in locations(file, "s:url/s:loc")]


def test_every_public_page_renders_in_production(production_site, published_site):
    site = production_site
    paths = sitemap_paths(site)
    assert f"/deployments/{published_site.pk}-{published_site.slug}/" in paths
    assert len(paths) > 40  # fixed pages, every state, every published entity
    extra = [
        "/map/deployments.geojson",
        "/map/hotspots.geojson",
        "/feeds/deployments/",
        "/feeds/states/IN-UP/",
        "/sitemap.xml",
        "/api/v1/",
        "/api/v1/deployments/?vendor=staqu",
        "/api/v1/deployments/?format=geojson",
        "/api/v1/export/deployments.csv",
        "/api/v1/stats/",
        "/api/v1/schema/",
        "/api/v1/docs/",
    ]
    failures = []
    for path in [*paths, *("/hi" + p for p in paths if not p.startswith("/hi/")), *extra]:
        status, headers, body = site.get(path)
        if status != 200:
            failures.append((path, status, body[:200]))
        elif path in paths:
            assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
            assert "Set-Cookie" not in headers, path
    assert failures == []


def test_static_files_are_hashed_compressed_and_cached(production_site):
    site = production_site
    _, _, home = site.get("/")
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', home.decode())
    assert any("leaflet.markercluster" in a for a in assets)
    for asset in assets:
        assert re.search(r"\.[0-9a-f]{12}\.(js|css|png|svg|geojson|ico)$", asset), asset
        status, headers, _ = site.get(asset, headers={"Accept-Encoding": "gzip"})
        assert status == 200, asset
        assert "immutable" in headers["Cache-Control"]
    js = next(a for a in assets if a.endswith(".js"))
    _, headers, _ = site.get(js, headers={"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip"


def test_uploads_plain_http_and_unknown_hosts(production_site):
    site = production_site
    # Uploads are never served by URL.
    status, _, body = site.get("/media/secret.pdf")
    assert status == 404
    assert b"private upload" not in body
    # Plain HTTP is redirected to HTTPS, except the health check monitors poll.
    status, headers, _ = site.get("/about/", headers={"X-Forwarded-Proto": "http"})
    assert status == 301
    assert headers["Location"] == f"https://127.0.0.1:{site.port}/about/"
    status, _, _ = site.get("/healthz", headers={"X-Forwarded-Proto": "http"})
    assert status in (200, 503)  # answered, not redirected
    # A Host header the site does not serve is refused.
    status, _, _ = site.get("/", headers={"Host": "evil.example"})
    assert status == 400
