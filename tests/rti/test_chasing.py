"""The daily job: appeal reminders, once however often it runs, and nothing else: the
request it reminds about is not changed by it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role, role_grant
from tests.factories import UserFactory
from tests.support.data import rti_with_events
from tracker.models import RTIReminder, RTIRequest, RTIStatus
from tracker.rti.chasing import rti_requests_chase
from tracker.rti.lifecycle import rti_event_record
from tracker.tasks import rti_chase_deadlines

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    role_grant(user=UserFactory(email="mod@example.org"), role=Role.MODERATOR)
    # A moderator without an address gets nothing.
    role_grant(user=UserFactory(email=""), role=Role.MODERATOR)
    UserFactory(email="bystander@example.org")  # not a moderator
    UserFactory(email="staff@example.org", is_staff=True)  # staff without the role
    return {"owner": UserFactory(email="filer@example.org")}


def test_the_task_run_twice_on_one_day_acts_once(people, mail_delivered):
    today = timezone.localdate()
    # Received 57 days ago, no reply: deemed refused, first appeal due in 3 days.
    received = today - timedelta(days=57)
    waiting = rti_with_events(
        received_on=received, route="post", owner=people["owner"], today=received
    )
    assert waiting.status == RTIStatus.FILED  # as of the day it was received
    before = list(waiting.history.values_list("history_id", flat=True))

    with mail_delivered() as outbox:
        first = rti_chase_deadlines()
        second = rti_chase_deadlines()

    assert first == {"reminders": 2, "deemed_refused": []}  # refused weeks ago: old news
    assert second == {"reminders": 0, "deemed_refused": []}
    # Deemed refused as of today, without the job having written anything to the request.
    assert RTIRequest.objects.get(pk=waiting.pk).status == RTIStatus.DEEMED_REFUSED
    assert list(waiting.history.values_list("history_id", flat=True)) == before
    assert sorted(m.to[0] for m in outbox) == ["filer@example.org", "mod@example.org"]
    assert all(len(m.to) == 1 for m in outbox)  # nobody sees another's address
    assert "The applicant's last day to file a first appeal" in outbox[0].subject
    assert (today + timedelta(days=3)).isoformat() in outbox[0].subject
    assert "19(1)" in outbox[0].body
    reminder = RTIReminder.objects.get()
    assert (reminder.deadline, reminder.due_on, reminder.recipients) == (
        "first_appeal",
        today + timedelta(days=3),
        2,
    )


def test_no_reminder_outside_the_window_nor_for_an_appeal_already_filed(people, mail_delivered):
    today = timezone.localdate()
    far = today - timedelta(days=40)  # first appeal due in 20 days
    rti_with_events(received_on=far, route="post", today=far)
    near = today - timedelta(days=57)
    appealed = rti_with_events(received_on=near, route="post", today=today)
    appealed_on = today - timedelta(days=1)
    rti_event_record(rti_request=appealed, kind="first_appeal_filed", day=appealed_on, today=today)
    with mail_delivered() as outbox:
        assert rti_requests_chase(today=today)["reminders"] == 0
    assert outbox == []


def test_the_next_day_brings_a_new_deadline_not_a_repeat(people, mail_delivered):
    today = timezone.localdate()
    received = today - timedelta(days=57)
    rti_with_events(received_on=received, route="post", today=received)
    with mail_delivered() as outbox:
        assert rti_requests_chase(today=today)["reminders"] == 1
        assert rti_requests_chase(today=today + timedelta(days=1))["reminders"] == 0
    assert len(outbox) == 1
