"""Two moderators approving the same submission at the same moment: it is applied once."""

import threading

import pytest
from django.db import connection

from moderation.models import Submission, SubmissionStatus
from moderation.services import SubmissionConflict
from tests.factories import AgencyFactory
from tests.support.pages import approve
from tracker.models import Citation, Deployment


@pytest.mark.django_db(transaction=True)
def test_parallel_approvals_apply_once(volunteer, moderator, administrator):
    agency = AgencyFactory(name="Lucknow Police")
    submission = Submission.objects.create(
        volunteer=volunteer,
        kind="new",
        entity_type="deployment",
        data={
            "title": "Parallel approval",
            "lead_agency": agency.pk,
            "technology": "facial_recognition",
            "purpose_class": "surveillance",
            "status": "in_use",
            "state": "IN-UP",
            "city": "Lucknow",
            "location": [80.92, 26.83],
        },
        sources=[{"url": "https://news.example.org/parallel", "title": "Parallel"}],
        status=SubmissionStatus.PENDING,
    )
    start = threading.Barrier(2)
    outcomes = []

    def approve_as(user):
        try:
            start.wait(timeout=10)
            approve(submission, user, note="ok")
            outcomes.append("applied")
        except SubmissionConflict:
            outcomes.append("conflict")
        finally:
            connection.close()  # each thread has its own connection and transaction

    threads = [threading.Thread(target=approve_as, args=(u,)) for u in (moderator, administrator)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["applied", "conflict"]
    deployment = Deployment.objects.get(title="Parallel approval")
    assert deployment.history.count() == 1
    assert Citation.objects.filter(deployment=deployment).count() == 1
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.APPROVED
