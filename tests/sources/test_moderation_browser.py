"""A moderator signs in and works through /moderation/sources/ in a real Chromium."""

import pytest

from tests.factories import CitationFactory, SourceFactory, UserFactory
from tests.support.servers import Reply, html_page
from tests.support.services import check
from tracker.models import ReviewItem

pytestmark = pytest.mark.browser


@pytest.fixture
def moderator_login(transactional_db):
    """A moderator (not staff) who signs in on the site with a confirmed e-mail."""
    from allauth.account.models import EmailAddress

    from accounts.roles import Role, role_grant

    user = UserFactory(username="asha", email="asha@example.org")
    user.set_password("a long moderator passphrase")
    user.save()
    role_grant(user=user, role=Role.MODERATOR)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return "asha@example.org", "a long moderator passphrase"


def test_a_moderator_reviews_a_changed_source(page, live_server, site, moderator_login):
    site.routes["/story"] = Reply(body=html_page("Forty cameras at the station."))
    source = SourceFactory(url=site.url("/story"), title="Station cameras story")
    CitationFactory(source=source, claim="Forty cameras")
    check(source)
    site.routes["/story"] = Reply(body=html_page("Four hundred cameras at the station."))
    check(source)

    page.goto(live_server.url + "/moderation/sources/")
    assert "/accounts/login/" in page.url  # sign in first, on the site
    page.fill("#id_login", moderator_login[0])
    page.fill("#id_password", moderator_login[1])
    page.click("main button[type=submit]")

    page.wait_for_url("**/moderation/sources/")
    section = page.locator(f"#source-{source.pk}").locator("xpath=..")
    assert "Station cameras story" in section.inner_text()
    assert "Forty cameras at the station" in page.locator(".excerpt-old").inner_text()
    assert "Four hundred cameras" in page.locator(".excerpt-new").inner_text()

    page.get_by_role("button", name="Check now").click()
    assert "A check of “Station cameras story” is queued." in page.inner_text("main")

    page.get_by_role("button", name="Mark reviewed").click()
    main = page.inner_text("main")
    assert "Marked 1 item(s) reviewed" in main
    assert "No source needs attention." in main
    assert ReviewItem.objects.get(source=source).reviewed_by.username == "asha"
