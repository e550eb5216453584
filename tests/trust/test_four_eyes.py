"""Four-eyes moderation: a decision is bound to the version the moderator reviewed, nobody
approves their own submission, and APPROVALS_REQUIRED moderators approve one version."""

import re

import pytest
from django.urls import reverse

from accounts.roles import Role
from moderation.models import Approval, Submission, SubmissionStatus
from moderation.services import SubmissionConflict
from tests.factories import DeploymentFactory
from tests.support.pages import NEW_DEPLOYMENT_URL, approve, decision_post, deployment_post
from tests.support.people import person, signed_in
from tracker.catalogue.links import detail_url
from tracker.models import Deployment

pytestmark = pytest.mark.django_db

VERSION = re.compile(r'name="reviewed_version" value="([^"]+)"')


def review_url(submission):
    return reverse("moderation:review", args=[submission.pk])


def opened_version(client, submission):
    """Open the review page as a moderator would, and read the version it shows."""
    page = client.get(review_url(submission)).content.decode()
    return VERSION.search(page).group(1), page


def test_the_swap_race_is_refused_and_nothing_unseen_is_published(volunteer, moderator):
    """Two signed-in clients: the moderator opens the review page; the volunteer then swaps
    the title and summary; the moderator's approval of what they saw is refused."""
    volunteer_client, moderator_client = signed_in(volunteer), signed_in(moderator)
    volunteer_client.post(NEW_DEPLOYMENT_URL, deployment_post(title="Railway station cameras"))
    submission = Submission.objects.get()
    version, page = opened_version(moderator_client, submission)
    assert "Railway station cameras" in page

    swapped = deployment_post(title="Every mosque in the city", summary="Something else.")
    volunteer_client.post(reverse("moderation:my-submission-edit", args=[submission.pk]), swapped)

    response = moderator_client.post(
        review_url(submission),
        {"decision": "approve", "note": "Looks right.", "reviewed_version": version},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "changed since you opened it; review it again" in text
    assert not Deployment.objects.exists()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PENDING and not submission.approvals.exists()
    # The page now shows what is stored, with its own version: approving that works.
    assert "Every mosque in the city" in text
    fresh = VERSION.search(text).group(1)
    assert fresh != version
    moderator_client.post(
        review_url(submission), {"decision": "approve", "note": "", "reviewed_version": fresh}
    )
    assert Deployment.objects.get().title == "Every mosque in the city"


def test_a_correction_whose_entry_changed_meanwhile_is_reviewed_again(volunteer, moderator):
    deployment = DeploymentFactory(title="Metro cameras", camera_count=10)
    signed_in(volunteer).post(
        reverse("moderation:submit-correction", args=["deployment", deployment.pk]),
        deployment_post(
            agency=deployment.lead_agency,
            title="Metro cameras",
            camera_count="50",
            state="IN-UP",
            why="The tender says 50.",
        ),
    )
    submission = Submission.objects.get()
    client = signed_in(moderator)
    version, _page = opened_version(client, submission)
    Deployment.objects.get(pk=deployment.pk).save()  # someone else changed the entry
    response = client.post(
        review_url(submission), {"decision": "approve", "reviewed_version": version}
    )
    assert "changed since you opened it" in response.content.decode()
    assert Deployment.objects.get(pk=deployment.pk).camera_count == 10


def test_nobody_approves_their_own_submission(moderator):
    client = signed_in(moderator)
    client.post(NEW_DEPLOYMENT_URL, deployment_post())
    submission = Submission.objects.get()
    page = client.get(review_url(submission)).content.decode()
    assert "another moderator must decide on it" in page
    assert 'name="decision"' not in page
    response = client.post(review_url(submission), decision_post(submission, "approve"))
    assert "You cannot decide on your own submission" in response.content.decode()
    with pytest.raises(SubmissionConflict):
        approve(submission, moderator)
    assert not Deployment.objects.exists()
    assert Submission.objects.get().status == SubmissionStatus.PENDING


def test_two_approvals_from_two_moderators(volunteer, moderator, settings):
    settings.APPROVALS_REQUIRED = 2
    second = person("ravi-mod", "Second Moderator", Role.MODERATOR)
    signed_in(volunteer).post(NEW_DEPLOYMENT_URL, deployment_post())
    submission = Submission.objects.get()

    first_client = signed_in(moderator)
    response = first_client.post(review_url(submission), decision_post(submission, "approve"))
    assert response.status_code == 302
    assert "1 of 2" in first_client.get(response["Location"]).content.decode()
    assert not Deployment.objects.exists()
    queue = first_client.get(reverse("moderation:queue")).content.decode()
    assert "1 of 2 approvals" in queue

    # The same moderator approving again does not count twice.
    again = first_client.post(review_url(submission), decision_post(submission, "approve"))
    assert "approved this version already" in again.content.decode()
    assert Approval.objects.count() == 1 and not Deployment.objects.exists()

    signed_in(second).post(review_url(submission), decision_post(submission, "approve"))
    deployment = Deployment.objects.get()
    record = deployment.history.latest()
    assert record.history_user_name == "Asha Moderator, Second Moderator"
    assert Submission.objects.get().status == SubmissionStatus.APPROVED


def test_an_edit_resets_the_approvals(volunteer, moderator, settings):
    settings.APPROVALS_REQUIRED = 2
    client = signed_in(volunteer)
    client.post(NEW_DEPLOYMENT_URL, deployment_post())
    submission = Submission.objects.get()
    approve(submission, moderator)
    queue = signed_in(moderator).get(reverse("moderation:queue")).content.decode()
    assert "1 of 2 approvals" in queue
    client.post(
        reverse("moderation:my-submission-edit", args=[submission.pk]),
        deployment_post(title="Edited after one approval"),
    )
    queue = signed_in(moderator).get(reverse("moderation:queue")).content.decode()
    assert "0 of 2 approvals" in queue
    page = signed_in(moderator).get(review_url(submission)).content.decode()
    assert "0 of 2" in page


def test_the_decision_starts_unchosen_and_an_empty_one_gets_an_error_summary(volunteer, moderator):
    signed_in(volunteer).post(NEW_DEPLOYMENT_URL, deployment_post())
    submission = Submission.objects.get()
    client = signed_in(moderator)
    page = client.get(review_url(submission)).content.decode()
    radios = re.findall(r'<input type="radio" name="decision"[^>]*>', page)
    assert len(radios) == 3 and not any("checked" in radio for radio in radios)
    response = client.post(review_url(submission), decision_post(submission, ""))
    text = response.content.decode()
    assert "There is a problem" in text
    summary = text[text.index('class="error-summary"') :]
    assert '<a href="#id_decision_0">' in summary
    assert "Choose a decision: approve, ask for changes or reject." in summary
    assert Submission.objects.get().status == SubmissionStatus.PENDING


def correction_of(deployment, volunteer, **fields):
    signed_in(volunteer).post(
        reverse("moderation:submit-correction", args=["deployment", deployment.pk]),
        deployment_post(
            agency=deployment.lead_agency, title=deployment.title, state="IN-UP", **fields
        ),
    )
    return Submission.objects.get()


def test_an_approval_given_before_the_entry_changed_no_longer_counts(
    volunteer, moderator, settings
):
    """Moderator A approves a correction; the entry then changes; moderator B's approval of
    what B sees must not publish it on A's approval of something else."""
    settings.APPROVALS_REQUIRED = 2
    second = person("ravi-mod", "Second Moderator", Role.MODERATOR)
    deployment = DeploymentFactory(title="Metro cameras", camera_count=10)
    submission = correction_of(deployment, volunteer, camera_count="50", why="Tender says 50.")
    assert approve(submission, moderator).approvals == 1
    Deployment.objects.get(pk=deployment.pk).save()  # the entry changes meanwhile

    page = signed_in(second).get(review_url(submission)).content.decode()
    assert "0 of 2" in page
    queue = signed_in(second).get(reverse("moderation:queue")).content.decode()
    assert "0 of 2 approvals" in queue
    outcome = approve(submission, second)
    assert (outcome.entity, outcome.approvals) == (None, 1)
    assert Deployment.objects.get(pk=deployment.pk).camera_count == 10
    # The first moderator reviews the entry as it is now and approves again: that counts.
    page = signed_in(moderator).get(review_url(submission)).content.decode()
    assert "1 of 2" in page and "you approved this version" not in page
    outcome = approve(submission, moderator)
    assert outcome.entity is not None
    assert Deployment.objects.get(pk=deployment.pk).camera_count == 50
    assert Approval.objects.filter(submission=submission).count() == 2


def test_only_the_approval_that_publishes_emails_the_volunteer(
    volunteer, moderator, settings, mail_delivered
):
    settings.APPROVALS_REQUIRED = 2
    second = person("ravi-mod", "Second Moderator", Role.MODERATOR)
    signed_in(volunteer).post(NEW_DEPLOYMENT_URL, deployment_post())
    submission = Submission.objects.get()
    with mail_delivered() as outbox:
        approve(submission, moderator)
    assert outbox == []
    with mail_delivered() as outbox:
        approve(submission, second)
    assert [m.to for m in outbox] == [[volunteer.email]]
    assert detail_url(Deployment.objects.get()) in outbox[0].body
