"""The whole volunteer-to-public flow in a real Chromium against the live server.

A volunteer signs up, confirms by the e-mailed link (which signs them in),
proposes a deployment with a point picked on the map and a source; a moderator
who is not staff signs in on the site, sees the diff and approves; the
deployment is then on the public map, in search and in the API.
"""

import re

import pytest

from moderation.models import Submission
from tests.factories import AgencyFactory
from tests.support.browser import SCREENSHOTS, sign_in
from tests.support.people import PASSWORD, person

pytestmark = pytest.mark.browser

TITLE = "Bhopal lake-front face recognition"


@pytest.fixture
def site(transactional_db, live_server, settings):
    from accounts.roles import Role

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.cache import cache

    cache.clear()
    AgencyFactory(name="Bhopal Police", state_id="IN-MP", city="Bhopal")
    moderator = person("asha", "Asha", Role.MODERATOR, email="asha@example.org")
    assert not moderator.is_staff
    return live_server.url


def test_volunteer_proposes_and_moderator_publishes(browser, site, mail_delivered):
    volunteer = browser.new_context(viewport={"width": 1280, "height": 900})
    page = volunteer.new_page()
    page.set_default_timeout(15000)
    csp_violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and csp_violations.append(m))

    # Sign up, confirm by the link in the e-mail.
    page.goto(site + "/accounts/signup/")
    page.fill("#id_email", "kiran@example.org")
    page.fill("#id_display_name", "Kiran")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    with mail_delivered() as outbox:
        page.click("main button[type=submit]")
        page.wait_for_load_state()
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", outbox[-1].body).group(0)
    page.goto(link)
    assert "kiran@example.org" in page.locator("main").inner_text()
    assert "user-" not in page.content()  # no internal username anywhere
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    # Confirming signs the volunteer in: no second sign-in.
    page.goto(site + "/accounts/profile/")
    assert page.url.endswith("/accounts/profile/")

    # Propose a deployment; the point comes from a click on the map.
    page.goto(site + "/submit/deployment/")
    page.fill("#id_title", TITLE)
    page.select_option("#id_lead_agency", label="Bhopal Police")
    page.select_option("#id_technology", "facial_recognition")
    page.select_option("#id_purpose_class", "surveillance")
    page.select_option("#id_status", "in_use")
    page.select_option("#id_state", "IN-MP")
    page.fill("#id_city", "Bhopal")
    page.wait_for_selector(".point-picker[data-ready='true']")
    page.locator(".point-picker").click(position={"x": 300, "y": 160})
    assert page.input_value("#id_latitude") and page.input_value("#id_longitude")
    page.fill("#id_source_url_1", "https://news.example.org/bhopal-frt")
    page.fill("#id_source_title_1", "Bhopal installs face recognition")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "submission-form.png", full_page=True)
    page.click("button[value=submit]")
    page.wait_for_selector("text=waiting for a moderator")
    submission = Submission.objects.get()
    assert submission.status == "pending" and submission.data["location"]
    volunteer.close()

    # A moderator (not staff) signs in on the site, sees the diff, approves.
    moderator = browser.new_context(viewport={"width": 1280, "height": 900})
    page = moderator.new_page()
    page.set_default_timeout(15000)
    page.goto(site + "/moderation/")
    assert "/accounts/login/" in page.url
    sign_in(page, site, "asha@example.org", PASSWORD)
    page.goto(site + "/moderation/")
    page.click(f"text={TITLE}")
    diff = page.locator("table.diff")
    assert TITLE in diff.inner_text() and "Bhopal Police" in diff.inner_text()
    assert "new source, not checked yet" in page.content()
    page.screenshot(path=SCREENSHOTS / "moderation-review.png", full_page=True)
    page.check("input[name=decision][value=approve]")
    page.fill("#id_note", "Matches the report.")
    page.click("text=Record the decision")
    page.wait_for_selector("text=Approved and published")
    moderator.close()

    # Public: the map's layer, search and the API.
    reader = browser.new_context()
    page = reader.new_page()
    layer = page.request.get(site + "/map/deployments.geojson").json()
    assert TITLE in [f["properties"]["title"] for f in layer["features"]]
    page.goto(site + "/")
    page.wait_for_selector("#map[data-state='ready']")
    assert page.locator("#map").get_attribute("data-marker-count") == "1"
    page.goto(site + "/deployments/?q=Bhopal+lake-front")
    assert TITLE in page.locator("main").inner_text()
    api = page.request.get(site + "/api/v1/deployments/?q=Bhopal").json()
    assert TITLE in [row["title"] for row in api["results"]]
    detail = page.request.get(site + "/deployments/?q=Bhopal").text()
    assert "kiran@example.org" not in detail
    assert not reader.cookies()
    reader.close()
    assert not csp_violations


def test_a_hotspot_area_is_drawn_on_the_map(browser, site):
    from accounts.roles import Role

    person("ravi", "Ravi", Role.VOLUNTEER, email="ravi@example.org")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, site, "ravi@example.org", PASSWORD)
    page.goto(site + "/submit/hotspot/")
    page.fill("#id_name", "Upper Lake promenade")
    page.select_option("#id_kind", "public_square")
    page.select_option("#id_state", "IN-MP")
    page.fill("#id_city", "Bhopal")
    picker = page.locator(".point-picker")
    page.wait_for_selector(".point-picker[data-ready='true']")
    picker.click(position={"x": 300, "y": 160})  # the point
    page.click("button[name=draw-area]")
    for x, y in ((280, 140), (330, 140), (330, 190)):
        picker.click(position={"x": x, "y": y})
    page.click("button[name=finish-area]")
    assert '"Polygon"' in page.input_value("#id_area")
    page.fill("#id_source_url_1", "https://news.example.org/upper-lake")
    page.click("button[value=submit]")
    page.wait_for_selector("text=waiting for a moderator")
    submission = Submission.objects.get()
    assert submission.data["location"] and "MultiPolygon" in submission.data["area"]
    context.close()
