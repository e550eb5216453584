"""Fixtures shared by every test package: one Chromium driven by Playwright."""

import os
from pathlib import Path

import pytest

from tests.support import CHROMIUM, CHROMIUM_ARGS

SCREENSHOTS = Path(__file__).resolve().parents[1] / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the session.

    Playwright's sync API keeps an asyncio loop running in the test thread, which
    makes Django refuse database calls from that thread; the tests only make
    ordinary synchronous calls, so they say so (Playwright's documented advice).
    """
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def fresh_data_cache():
    """Cached figures are keyed by a data version that rolled-back test data never bumps;
    each test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(scope="module")
def long_lists_once(django_db_setup, django_db_blocker):
    """``factories.long_lists`` built once per module, inside a transaction rolled back
    after it; each test that also asks for ``db`` runs in a savepoint of it, so a test's
    own changes go with it."""
    from django.db import transaction

    from tests.factories import long_lists

    with django_db_blocker.unblock(), transaction.atomic():
        long_lists(count=60)
        yield
        transaction.set_rollback(True)
