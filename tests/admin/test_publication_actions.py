"""The admin's publish and withdraw actions, through the real admin: who may use them, what they
record, and the changelist's "point in state" column in one query per page."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import AgencyFactory, DeploymentFactory, UserFactory
from tracker.models import Agency, Deployment, Publication

CHANGELIST = "/admin/tracker/deployment/"


def staff(*codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def run_action(client, action, *objects, url=CHANGELIST):
    return client.post(
        url,
        {"action": action, "_selected_action": [obj.pk for obj in objects], "index": 0},
        follow=True,
    )


@pytest.fixture
def draft_and_published(db):
    draft = DeploymentFactory(title="Draft cameras", publication=Publication.DRAFT)
    published = DeploymentFactory(title="Published cameras")
    return draft, published


def state_of(*objects):
    return [(type(obj).objects.get(pk=obj.pk).publication, obj.history.count()) for obj in objects]


def test_a_view_only_staff_user_can_neither_publish_nor_withdraw(client, draft_and_published):
    draft, published = draft_and_published
    client.force_login(staff("view_deployment", "view_agency"))
    page = client.get(CHANGELIST)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'value="publish"' not in body and 'value="withdraw"' not in body
    before = state_of(draft, published)
    for action in ("publish", "withdraw"):
        response = run_action(client, action, draft, published)
        assert response.status_code in (200, 403)
    assert state_of(draft, published) == before
    agency = AgencyFactory(publication=Publication.DRAFT)
    run_action(client, "publish", agency, url="/admin/tracker/agency/")
    assert Agency.objects.get(pk=agency.pk).publication == Publication.DRAFT


def test_a_staff_user_who_may_change_publishes_and_withdraws_with_a_recorded_reason(
    client, draft_and_published
):
    draft, published = draft_and_published
    editor = staff("view_deployment", "change_deployment")
    client.force_login(editor)
    assert 'value="publish"' in client.get(CHANGELIST).content.decode()
    run_action(client, "publish", draft)
    run_action(client, "withdraw", published)
    assert Deployment.objects.get(pk=draft.pk).publication == Publication.PUBLISHED
    withdrawn = Deployment.objects.get(pk=published.pk)
    assert withdrawn.publication == Publication.WITHDRAWN and withdrawn.withdrawn_reason
    latest = withdrawn.history.first()
    assert latest.history_user == editor and latest.history_change_reason.startswith("Withdrawn")


def test_the_point_in_state_column_costs_no_query_per_row(admin_client, db):
    from django.contrib.gis.geos import Point

    def changelist_queries():
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(CHANGELIST)
        assert response.status_code == 200
        return len(queries), response.content.decode()

    DeploymentFactory(state_id="IN-GA", location=Point(80.95, 26.85, srid=4326))  # Lucknow
    few, body = changelist_queries()
    assert 'alt="False"' in body  # the one point outside its state is flagged
    for _ in range(10):
        DeploymentFactory()
    many, body = changelist_queries()
    assert many == few
    assert body.count('alt="True"') == 10 and body.count('alt="False"') == 1
