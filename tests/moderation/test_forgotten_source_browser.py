"""In Chromium: a volunteer proposes a deployment whose agency is not on the site yet, attaches
a PDF and forgets the source. The error summary leads the page with focus on it; its link
takes them to the source field; the PDF is still attached; they fix it and send, and the
deployment, the new agency and the PDF arrive in one submission. The map's point and a
hotspot's area are placed from the keyboard, focus never dropping out of the controls."""

import pytest

from moderation.models import Submission
from tests.support.browser import SCREENSHOTS, sign_in
from tests.support.people import PASSWORD, person

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FOCUSED = "document.activeElement === document.body ? 'body' : document.activeElement.name"


@pytest.fixture
def volunteer_page(browser, transactional_db, live_server, settings, tmp_path):
    from accounts.roles import Role

    settings.MEDIA_ROOT = tmp_path
    person("ravi", "Ravi", Role.VOLUNTEER, email="ravi@example.org")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, live_server.url, "ravi@example.org", PASSWORD)
    page.base = live_server.url
    yield page
    context.close()


def test_a_forgotten_source_keeps_the_pdf_and_the_new_agency(volunteer_page, tmp_path):
    page = volunteer_page
    page.goto(page.base + "/submit/deployment/")
    page.fill("#id_title", "Bhopal integrated command centre")
    page.select_option("#id_technology", "video_analytics")
    page.select_option("#id_purpose_class", "surveillance")
    page.check("input[name=purpose_tags][value=womens_safety]")
    page.select_option("#id_status", "in_use")
    # The agency is not on the site: propose it in the same form.
    page.click("text=The lead agency is not on the site: propose it")
    page.fill("#id_new_agency_name", "Bhopal Smart City Development Corporation")
    page.select_option("#id_new_agency_kind", "municipal")
    page.select_option("#id_new_agency_state", "IN-MP")
    page.select_option("#id_state", "IN-MP")
    page.fill("#id_city", "Bhopal")
    pdf = tmp_path / "tender.pdf"
    pdf.write_bytes(PDF)
    page.set_input_files("#id_attachments", str(pdf))
    page.click("button[value=submit]")
    page.wait_for_load_state()

    # The summary leads the page, has focus, and the title says there is an error.
    assert page.title().startswith("Error: ")
    summary = page.locator(".error-summary")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert page.evaluate(
        "document.querySelector('main').firstElementChild.classList.contains('error-summary')"
    )
    assert "Give at least one source" in summary.inner_text()
    # The PDF is still attached; nothing was stored yet.
    assert "tender.pdf" in page.locator(".kept-files").inner_text()
    assert page.locator("input[name=pending_uploads]").is_checked()
    assert Submission.objects.count() == 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "forgotten-source.png", full_page=True)

    # The summary's link takes them to the field.
    summary.locator("a").first.click()
    assert page.evaluate("document.activeElement.id") == "id_source_url_1"
    page.keyboard.type("https://news.example.org/bhopal-iccc")
    page.click("button[value=submit]")
    page.wait_for_selector("text=waiting for a moderator")

    submission = Submission.objects.get()
    assert submission.data["new_agency"]["name"] == "Bhopal Smart City Development Corporation"
    assert submission.data["purpose_tags"] == ["womens_safety"]
    (attachment,) = submission.attachments.all()
    assert attachment.original_name == "tender.pdf" and attachment.file.read() == PDF


def test_the_point_and_an_area_from_the_keyboard(volunteer_page):
    page = volunteer_page
    page.goto(page.base + "/submit/hotspot/")
    picker = page.locator(".point-picker")
    page.wait_for_selector(".point-picker[data-ready='true']")
    assert picker.get_attribute("role") != "application"
    assert "click" not in (picker.get_attribute("aria-label") or "").lower()
    assert page.locator(".point-picker-cross").is_visible()

    # Arrow keys move the map under the cross; Enter places the point there.
    picker.focus()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")
    assert page.input_value("#id_latitude") and page.input_value("#id_longitude")
    assert "Point placed at" in page.locator(".point-picker-status").inner_text()
    assert page.evaluate(FOCUSED) is None  # still the map, which has no name
    assert page.evaluate("document.activeElement.classList.contains('point-picker')")

    # An area: every step keeps focus on a control.
    page.locator("button[name=draw-area]").focus()
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED) == "add-corner"
    for key in ("ArrowUp", "ArrowRight", "ArrowDown"):
        picker.focus()
        page.keyboard.press(key)
        page.wait_for_function("() => !document.querySelector('.leaflet-pan-anim')")
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.classList.contains('point-picker')")
    assert "Corner 3 added" in page.locator(".point-picker-status").inner_text()
    page.locator("button[name=finish-area]").focus()
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED) == "draw-area"
    assert '"Polygon"' in page.input_value("#id_area")
    page.locator("button[name=clear-area]").focus()
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED) == "draw-area"
    assert page.input_value("#id_area") == ""
