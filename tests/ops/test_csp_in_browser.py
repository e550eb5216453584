"""The admin's map widget and the API docs work in Chromium under the site's CSP."""

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.browser


def csp_violations(page):
    messages = []
    page.on(
        "console",
        lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return messages


def test_api_docs_render_without_inline_script(page, live_server, db):
    violations = csp_violations(page)
    page.goto(live_server.url + "/api/v1/docs/")
    page.wait_for_selector(".opblock-tag", timeout=30000)  # Swagger UI drew the operations
    assert "deployments" in page.content()
    assert violations == []


def test_admin_map_widget_runs_with_the_nonce(page, live_server, db):
    User.objects.create_superuser("chief", password="a long admin password")
    violations = csp_violations(page)
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "a long admin password")
    page.click("input[type=submit]")
    page.goto(live_server.url + "/admin/tracker/hotspot/add/")
    page.wait_for_selector("#id_location-map.leaflet-container", timeout=30000)
    # django-leaflet's inline start-up script ran: the map has its drawing controls.
    page.wait_for_selector("#id_location-map .leaflet-draw", timeout=30000)
    assert violations == []
