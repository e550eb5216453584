"""Two moderators approving the same submission at the same moment: it is applied once."""

import threading

import pytest
from django.db import connection

from moderation.models import Submission, SubmissionStatus
from moderation.services import SubmissionConflict
from tests.factories import AgencyFactory
from tests.support.pages import approve
from tracker.models import Citation, Deployment
from tracker.models.base import display_name


def pending_deployment(volunteer):
    agency = AgencyFactory(name="Lucknow Police")
    return Submission.objects.create(
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


def approve_at_once(submission, moderators):
    """Each moderator approves in a thread of their own, all released at the same moment;
    what each got: the number of approvals counted, or "conflict"."""
    start = threading.Barrier(len(moderators))
    outcomes = []

    def approve_as(user):
        try:
            start.wait(timeout=10)
            outcomes.append(approve(submission, user, note="ok"))
        except SubmissionConflict:
            outcomes.append("conflict")
        finally:
            connection.close()  # each thread has its own connection and transaction

    threads = [threading.Thread(target=approve_as, args=(u,)) for u in moderators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_parallel_approvals_apply_once(volunteer, moderator, administrator):
    submission = pending_deployment(volunteer)
    outcomes = approve_at_once(submission, [moderator, administrator])
    assert sorted(o if o == "conflict" else "applied" for o in outcomes) == ["applied", "conflict"]
    deployment = Deployment.objects.get(title="Parallel approval")
    assert deployment.history.count() == 1
    assert Citation.objects.filter(deployment=deployment).count() == 1
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.APPROVED


@pytest.mark.django_db(transaction=True)
def test_two_required_approvals_given_at_once_both_count_and_apply_once(
    volunteer, moderator, administrator, settings
):
    settings.APPROVALS_REQUIRED = 2
    submission = pending_deployment(volunteer)
    outcomes = approve_at_once(submission, [moderator, administrator])
    # Serialised by the row lock: one waits as "1 of 2", the other publishes.
    assert sorted((o.approvals, o.entity is not None) for o in outcomes) == [
        (1, False),
        (2, True),
    ]
    deployment = Deployment.objects.get(title="Parallel approval")
    assert deployment.history.count() == 1
    names = deployment.history.get().history_user_name.split(", ")
    assert sorted(names) == sorted(display_name(u) for u in (moderator, administrator))
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.APPROVED
