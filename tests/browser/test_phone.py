"""Every public page on a phone: no sideways scrolling, no axe-core violations, a screenshot.

One Chromium, one page per phone size, one set of data for the whole module: the pages
only read, so the data is created once and removed at the end. Screenshots are saved
under var/screenshots/phone/.
"""

import pytest
from django.core.management import call_command

from .phone import (
    LANGUAGES,
    PHONE_SCREENSHOTS,
    PHONES,
    PUBLIC_PAGES,
    WIDER_THAN_SCREEN,
    axe_violations,
    phone_site_data,
    settle,
)

# django_db makes pytest-django create the test database; each test is then an empty
# transaction, and the pages read the module's committed data through the live server.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def phone_site(django_db_setup, django_db_blocker):
    """Committed data and a live server of the module's own, flushed at the end.

    pytest-django's ``live_server`` makes every test transactional, which would empty the
    tables after each page; these tests only read, so one set of data serves them all.
    """
    from django.test.utils import modify_settings
    from pytest_django.live_server_helper import LiveServer

    from tracker.ingest.reference import reference_data_load, reference_data_present

    with django_db_blocker.unblock(), modify_settings(ALLOWED_HOSTS={"append": "localhost"}):
        if not reference_data_present():
            reference_data_load()
        paths = phone_site_data()
        server = LiveServer("localhost")
        try:
            yield {"url": server.url, "paths": paths}
        finally:
            server.stop()
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(scope="module")
def phones(browser):
    """One touch-screen page per phone size, reused by every test in the module."""
    contexts, pages = [], {}
    for width, viewport in PHONES.items():
        context = browser.new_context(
            viewport=viewport, is_mobile=True, has_touch=True, locale="en-GB"
        )
        page = context.new_page()
        page.set_default_timeout(15000)
        contexts.append(context)
        pages[width] = page
    yield pages
    for context in contexts:
        context.close()


def page_url(site, language, path):
    if path.startswith("{"):
        path = site["paths"][path.strip("{}")]
    return site["url"] + LANGUAGES[language] + path


@pytest.mark.parametrize("width", sorted(PHONES))
@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize(("name", "path"), PUBLIC_PAGES, ids=[name for name, _ in PUBLIC_PAGES])
def test_page_fits_the_phone_and_passes_axe(phones, phone_site, width, language, name, path):
    page = phones[width]
    response = page.goto(page_url(phone_site, language, path))
    assert response.status == 200
    settle(page)
    PHONE_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(PHONE_SCREENSHOTS / f"{language}-{name}-{width}.png"), full_page=True)

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, (
        f"{path} is {scroll_width}px wide on a {width}px screen: "
        f"{page.evaluate(WIDER_THAN_SCREEN, width)}"
    )
    violations = axe_violations(page)
    assert violations == [], violations
