"""A task goes through the real Redis broker to a real worker process."""

from datetime import date, timedelta

import pytest

from tests.factories import RTIRequestFactory
from tests.support import wait_for
from tracker.models import RTIRequest, RTIStatus
from tracker.tasks import rti_chase_deadlines


@pytest.mark.celery_worker
def test_task_enqueued_is_executed_by_a_worker_and_its_effect_is_stored(celery_worker_process):
    overdue = RTIRequestFactory(
        status=RTIStatus.FILED, received_on=date.today() - timedelta(days=40)
    )
    waiting = RTIRequestFactory(
        status=RTIStatus.FILED, received_on=date.today() - timedelta(days=3)
    )
    celery_worker_process()

    rti_chase_deadlines.delay()

    def overdue_marked():
        return RTIRequest.objects.get(pk=overdue.pk).status == RTIStatus.DEEMED_REFUSED

    wait_for(overdue_marked, timeout=60)
    assert RTIRequest.objects.get(pk=waiting.pk).status == RTIStatus.FILED
    reasons = [h.history_change_reason for h in RTIRequest.objects.get(pk=overdue.pk).history.all()]
    assert any("s.7(2)" in (r or "") for r in reasons)
