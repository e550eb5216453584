"""/moderation/sources/: what moderators see and do about sources that changed or died."""

import pytest
from django.test import Client

from accounts.roles import Role, role_grant
from tests.factories import CitationFactory, SourceFactory, UserFactory
from tests.support.servers import Reply, html_page
from tests.support.services import check, checks_queue, queued_check_groups
from tracker.checking import host_limit as limits
from tracker.models import ReviewItem, SourceCheck, SourceHealth

pytestmark = pytest.mark.django_db
URL = "/moderation/sources/"


@pytest.fixture
def moderator():
    user = UserFactory(username="meera")
    role_grant(user=user, role=Role.MODERATOR)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def changed_source(site):
    site.routes["/story"] = Reply(body=html_page("Forty cameras at the station."))
    source = SourceFactory(url=site.url("/story"), title="Station cameras story")
    CitationFactory(source=source, claim="Forty cameras")
    check(source)
    site.routes["/story"] = Reply(body=html_page("Four hundred cameras at the station."))
    check(source)
    return source


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/moderation/sources/"


def test_volunteers_without_the_role_cannot_see_it():
    client = Client()
    client.force_login(UserFactory(username="volunteer"))
    assert client.get(URL).status_code == 403


def test_moderators_see_changed_sources_with_excerpts_and_history(moderator, changed_source):
    SourceFactory(title="A healthy source", health=SourceHealth.OK)
    page = moderator.get(URL).content.decode()
    assert "Station cameras story" in page
    assert "Forty cameras at the station" in page
    assert "Four hundred cameras at the station" in page
    assert "Recent checks" in page and page.count("<tr><td>") == 2
    assert "A healthy source" not in page


def test_mark_reviewed_clears_the_source_from_the_list(moderator, changed_source):
    response = moderator.post(f"{URL}{changed_source.pk}/reviewed/", follow=True)
    page = response.content.decode()
    assert "Marked 1 item(s) reviewed" in page
    assert "No source needs attention." in page
    assert f'id="source-{changed_source.pk}"' not in page
    item = ReviewItem.objects.get(source=changed_source)
    assert item.reviewed_at and item.reviewed_by.username == "meera"
    changed_source.refresh_from_db()
    assert changed_source.health == SourceHealth.OK


def _queued_source_checks():
    return queued_check_groups()


def test_check_now_enqueues_exactly_one_check(
    moderator, changed_source, django_capture_on_commit_callbacks
):
    limits.redis_client().delete(checks_queue())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = moderator.post(f"{URL}{changed_source.pk}/check/", follow=True)
    assert _queued_source_checks() == []  # nothing is sent before the commit
    for callback in callbacks:
        callback()
    assert "A check of “Station cameras story” is queued." in response.content.decode()
    assert len(_queued_source_checks()) == 1
    assert _queued_source_checks() == [[changed_source.pk]]

    with django_capture_on_commit_callbacks(execute=True):
        again = moderator.post(f"{URL}{changed_source.pk}/check/", follow=True)
    assert "is already being checked" in again.content.decode()
    assert len(_queued_source_checks()) == 1
    limits.redis_client().delete(checks_queue())


def test_actions_need_post_and_csrf(changed_source):
    user = UserFactory(username="ravi")
    role_grant(user=user, role=Role.MODERATOR)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get(f"{URL}{changed_source.pk}/reviewed/").status_code == 405
    assert client.post(f"{URL}{changed_source.pk}/reviewed/").status_code == 403
    assert ReviewItem.objects.filter(reviewed_at__isnull=True).count() == 1
    assert SourceCheck.objects.filter(source=changed_source).count() == 2


def test_reviewed_but_still_broken_sources_are_listed_on_request(moderator, site):
    site.routes["/gone"] = Reply(status=404)
    source = SourceFactory(url=site.url("/gone"), title="Vanished tender notice")
    check(source)
    moderator.post(f"{URL}{source.pk}/reviewed/")
    assert f'id="source-{source.pk}"' not in moderator.get(URL).content.decode()
    page = moderator.get(URL + "?show=all").content.decode()
    assert f'id="source-{source.pk}"' in page and "Broken" in page
