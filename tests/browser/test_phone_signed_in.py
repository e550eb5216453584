"""Every signed-in page on a phone, in English and Hindi, as a volunteer and as a moderator:
no sideways scrolling at 360 px, no axe-core violations, the header showing every section.
Forms sent back with errors are checked the same way. Screenshots go under
var/screenshots/phone/."""

import pytest
from django.core.management import call_command

from tests.support.browser import (
    PHONE_SCREENSHOTS,
    PHONES,
    WIDER_THAN_SCREEN,
    axe_violations,
    settle,
    sign_in,
)
from tests.support.data import contributions, phone_catalogue
from tests.support.pages import ACCOUNT_PAGES, LANGUAGES, MODERATOR_PAGES, VOLUNTEER_PAGES
from tests.support.people import PASSWORD, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
WIDTH = 360
PEOPLE = {
    "volunteer": ("kiran@example.org", VOLUNTEER_PAGES),
    "moderator": ("asha@example.org", MODERATOR_PAGES),
    "anonymous": (None, ACCOUNT_PAGES),
}


@pytest.fixture(scope="module")
def signed_in_site(django_db_setup, django_db_blocker):
    """Committed data, people and a live server of the module's own, flushed at the end."""
    from django.test.utils import modify_settings, override_settings
    from pytest_django.live_server_helper import LiveServer

    from accounts.roles import Role, roles_grant
    from tracker.ingest.reference import reference_data_load, reference_data_present

    # Four-eyes moderation: the review pages show "1 of 2" and whose approval is missing.
    with (
        django_db_blocker.unblock(),
        modify_settings(ALLOWED_HOSTS={"append": "localhost"}),
        override_settings(APPROVALS_REQUIRED=2),
    ):
        if not reference_data_present():
            reference_data_load()
        from django.apps import apps

        roles_grant(apps)
        phone_catalogue()
        volunteer = person("kiran", "Kiran", Role.VOLUNTEER, email="kiran@example.org")
        moderator = person("asha", "Asha", Role.MODERATOR, email="asha@example.org")
        ids = contributions(volunteer=volunteer, moderator=moderator)
        server = LiveServer("localhost")
        try:
            yield {"url": server.url, "ids": ids}
        finally:
            server.stop()
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(scope="module")
def phones_by_person(browser, signed_in_site):
    """A 360 px touch-screen page per person, signed in once through the site."""
    contexts, pages = [], {}
    for who, (email, _pages) in PEOPLE.items():
        context = browser.new_context(
            viewport=PHONES[WIDTH], is_mobile=True, has_touch=True, locale="en-GB"
        )
        page = context.new_page()
        page.set_default_timeout(15000)
        if email:
            sign_in(page, signed_in_site["url"], email, PASSWORD)
        contexts.append(context)
        pages[who] = page
    yield pages
    for context in contexts:
        context.close()


def fits_and_passes_axe(page, name):
    settle(page)
    PHONE_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(PHONE_SCREENSHOTS / f"{name}-{WIDTH}.png"), full_page=True)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH, (
        f"{page.url} is {scroll_width}px wide on a {WIDTH}px screen: "
        f"{page.evaluate(WIDER_THAN_SCREEN, WIDTH)}"
    )
    violations = axe_violations(page)
    assert violations == [], violations


CASES = [(who, name, path) for who, (_email, pages) in PEOPLE.items() for name, path in pages]


@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize(("who", "name", "path"), CASES, ids=[f"{w}-{n}" for w, n, _ in CASES])
def test_signed_in_page_fits_the_phone_and_passes_axe(
    phones_by_person, signed_in_site, language, who, name, path
):
    page = phones_by_person[who]
    url = signed_in_site["url"] + LANGUAGES[language] + path.format(**signed_in_site["ids"])
    response = page.goto(url)
    assert response.status == 200, url
    fits_and_passes_axe(page, f"{language}-{who}-{name}")


@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("volunteer", "/submit/deployment/"),
        ("volunteer", "/submit/hotspot/"),
        ("volunteer", "/accounts/profile/"),
        ("anonymous", "/accounts/login/"),
        ("anonymous", "/accounts/signup/"),
        ("anonymous", "/report/deployment/{published}/"),
        ("volunteer", "/verify/{stale}/"),
        ("volunteer", "/rti/{own_rti}/events/new/"),
        ("moderator", "/moderation/submissions/{pending}/"),
        ("moderator", "/moderation/disputes/{dispute}/"),
        ("moderator", "/moderation/rti/campaigns/new/"),
    ],
)
def test_a_form_sent_back_with_errors_fits_and_passes_axe(
    phones_by_person, signed_in_site, language, who, path
):
    page = phones_by_person[who]
    path = path.format(**signed_in_site["ids"])
    page.goto(signed_in_site["url"] + LANGUAGES[language] + path)
    if path == "/accounts/profile/":
        page.fill("#id_first_name", "me@example.org")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    fits_and_passes_axe(page, f"{language}-{who}-errors-{path.strip('/').replace('/', '-')}")


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_the_phone_header_shows_every_section(phones_by_person, signed_in_site, language):
    page = phones_by_person["moderator"]
    page.goto(signed_in_site["url"] + LANGUAGES[language] + "/submissions/")
    links = page.locator(".site-nav a")
    assert links.count() == 12  # nine public sections, Contribute, Your account, Review (N)
    for n in range(links.count()):
        box = links.nth(n).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, links.nth(n).inner_text()
        assert links.nth(n).is_visible()
    review = page.locator(".site-nav a.nav-review").inner_text()
    assert review.endswith("(2)")  # the pending deployment and the pending correction


def test_my_submissions_become_cards_without_broken_words(phones_by_person, signed_in_site):
    page = phones_by_person["volunteer"]
    page.goto(signed_in_site["url"] + "/submissions/")
    table = page.locator(".submissions-table")
    assert table.bounding_box()["width"] <= WIDTH
    # Stacked: each cell on its own line, its column's name before it.
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.submissions-table td')).display")
        == "block"
    )
    kind = page.locator(".submissions-table td[data-label]").first
    assert kind.bounding_box()["width"] > 200  # a whole line, not a sliver that breaks words
    assert "See it published" in page.locator(".submissions-table").inner_text()
