"""A task goes through the real Redis broker to a real worker process."""

from datetime import date, timedelta

import pytest

from tests.factories import RTIRequestFactory, UserFactory
from tests.support import wait_for
from tracker.models import RTIReminder
from tracker.tasks import rti_chase_deadlines


@pytest.mark.celery_worker
def test_task_enqueued_is_executed_by_a_worker_and_its_effect_is_stored(celery_worker_process):
    """The daily RTI job runs in the worker: the filer of a request whose first appeal is
    due in three days gets one reminder, recorded once."""
    owner = UserFactory(email="filer@example.org")
    due_soon = RTIRequestFactory(
        received_on=date.today() - timedelta(days=57), route="post", owner=owner
    )
    RTIRequestFactory(received_on=date.today() - timedelta(days=3), route="post", owner=owner)
    celery_worker_process()

    rti_chase_deadlines.delay()

    def reminded():
        return RTIReminder.objects.filter(rti_request=due_soon).exists()

    wait_for(reminded, timeout=60)
    assert RTIReminder.objects.count() == 1
    assert RTIReminder.objects.get().deadline == "first_appeal"
