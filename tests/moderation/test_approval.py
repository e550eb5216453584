"""Moderators decide: approval publishes through the publish service, atomically, with a trace."""

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse

from moderation.models import Submission, SubmissionKind, SubmissionStatus
from moderation.services import SubmissionConflict, submission_approve
from tests.factories import AgencyFactory, DeploymentFactory
from tests.support.pages import NEW_DEPLOYMENT_URL, deployment_post
from tests.support.people import signed_in
from tracker.catalogue.links import detail_url
from tracker.models import Citation, Deployment, Publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(volunteer):
    """A new deployment proposed by the volunteer, waiting in the queue."""
    signed_in(volunteer).post(NEW_DEPLOYMENT_URL, deployment_post())
    return Submission.objects.get()


def decide(moderator, submission, decision, note=""):
    return signed_in(moderator).post(
        reverse("moderation:review", args=[submission.pk]), {"decision": decision, "note": note}
    )


def test_the_queue_shows_submissions_and_source_items_side_by_side(moderator, pending):
    from tests.factories import SourceFactory
    from tracker.models import ReviewItem

    ReviewItem.objects.create(source=SourceFactory(title="Broken page"), reason="broken")
    page = signed_in(moderator).get(reverse("moderation:queue")).content.decode()
    assert "Lucknow station face recognition" in page and "Broken page" in page
    assert "Ravi K" in page and "ravi.private@example.org" not in page
    only_sources = signed_in(moderator).get(reverse("moderation:queue"), {"kind": "sources"})
    assert "Lucknow station" not in only_sources.content.decode()
    only_old = signed_in(moderator).get(reverse("moderation:queue"), {"age": "7"})
    assert "Lucknow station" not in only_old.content.decode()


def test_the_review_page_shows_the_diff_sources_and_warnings(moderator, volunteer):
    agency = AgencyFactory(name="Lucknow Police")
    DeploymentFactory(
        title="Existing nearby system",
        lead_agency=agency,
        location=Point(80.921, 26.833, srid=4326),  # ~150 m away
    )
    signed_in(volunteer).post(
        NEW_DEPLOYMENT_URL,
        deployment_post(agency=agency, state="IN-KL"),  # a Lucknow point said to be in Kerala
    )
    page = signed_in(moderator).get(
        reverse("moderation:review", args=[Submission.objects.get().pk])
    )
    text = page.content.decode()
    assert "Possible duplicate: “Existing nearby system”" in text
    assert "The point lies outside Kerala" in text
    changes = {c.label: (c.old, c.new) for c in page.context["changes"]}
    assert changes["Title"] == ("—", "Lucknow station face recognition")
    assert changes["Lead agency"] == ("—", "Lucknow Police")
    assert changes["Technology"] == ("—", "Facial recognition")
    assert "new source, not checked yet" in text


def test_a_correction_shows_old_against_new(moderator, volunteer):
    deployment = DeploymentFactory(title="Metro cameras", camera_count=10)
    Submission.objects.create(
        volunteer=volunteer,
        kind=SubmissionKind.EDIT,
        entity_type="deployment",
        target_id=deployment.pk,
        data={"camera_count": 25},
        sources=[{"url": "https://news.example.org/a", "title": "A"}],
        status=SubmissionStatus.PENDING,
    )
    page = signed_in(moderator).get(
        reverse("moderation:review", args=[Submission.objects.get().pk])
    )
    assert [(c.label, c.old, c.new) for c in page.context["changes"]] == [
        ("Number of cameras", "10", "25")
    ]


def test_approval_publishes_and_credits_moderator_and_volunteer(
    moderator, volunteer, pending, mail_delivered
):
    with mail_delivered() as outbox:
        response = decide(moderator, pending, "approve", "Checked against the news report.")
    assert response.status_code == 302
    deployment = Deployment.objects.get(title="Lucknow station face recognition")
    assert deployment.publication == Publication.PUBLISHED
    assert deployment.location.coords == (80.92, 26.832)
    assert Citation.objects.filter(deployment=deployment).count() == 1
    record = deployment.history.latest()
    assert record.history_user == moderator and record.history_contributor == volunteer
    assert record.history_change_reason == "Checked against the news report."
    pending.refresh_from_db()
    assert pending.status == SubmissionStatus.APPROVED and pending.target_id == deployment.pk
    # The public change log names both by display name, never by e-mail.
    for url in (detail_url(deployment), reverse("tracker:changes")):
        page = signed_in(None).get(url).content.decode()
        assert "by Asha Moderator" in page and "proposed by Ravi K" in page
        assert "@example.org" not in page
    # The volunteer is told, with the note.
    assert len(outbox) == 1
    assert outbox[0].to == ["ravi.private@example.org"]
    assert "Checked against the news report." in outbox[0].body


def test_a_correction_is_applied_to_the_published_entry(moderator, volunteer):
    deployment = DeploymentFactory(title="Metro cameras", camera_count=10)
    submission = Submission.objects.create(
        volunteer=volunteer,
        kind=SubmissionKind.EDIT,
        entity_type="deployment",
        target_id=deployment.pk,
        data={"camera_count": 25},
        sources=[{"url": "https://news.example.org/a", "title": "A"}],
        status=SubmissionStatus.PENDING,
    )
    submission_approve(submission_id=submission.pk, moderator=moderator, note="")
    deployment.refresh_from_db()
    assert deployment.camera_count == 25 and deployment.title == "Metro cameras"
    page = signed_in(None).get(detail_url(deployment)).content.decode()
    assert "Number of cameras" in page and "proposed by Ravi K" in page


@pytest.mark.parametrize(
    ("decision", "status"),
    [("reject", SubmissionStatus.REJECTED), ("request_changes", "changes_requested")],
)
def test_reject_or_ask_for_changes_needs_a_note_and_tells_the_volunteer(
    moderator, pending, decision, status, mail_delivered
):
    response = decide(moderator, pending, decision, "")
    assert "Say what should change" in " ".join(response.context["form"].errors["note"])
    with mail_delivered() as outbox:
        decide(moderator, pending, decision, "Please add the tender document.")
    pending.refresh_from_db()
    assert pending.status == status and pending.reviewer == moderator
    assert "Please add the tender document." in outbox[0].body
    assert not Deployment.objects.filter(title="Lucknow station face recognition").exists()


def test_changes_requested_can_be_edited_and_sent_again(moderator, volunteer, pending):
    decide(moderator, pending, "request_changes", "Which station?")
    client = signed_in(volunteer)
    page = client.get(reverse("moderation:my-submission-edit", args=[pending.pk]))
    assert "Which station?" in page.content.decode()
    client.post(
        reverse("moderation:my-submission-edit", args=[pending.pk]),
        deployment_post(title="Lucknow Charbagh station cameras"),
    )
    pending.refresh_from_db()
    assert pending.status == SubmissionStatus.PENDING
    assert pending.data["title"] == "Lucknow Charbagh station cameras"


def test_a_decided_submission_cannot_be_approved_again(moderator, pending):
    submission_approve(submission_id=pending.pk, moderator=moderator)
    with pytest.raises(SubmissionConflict):
        submission_approve(submission_id=pending.pk, moderator=moderator)
    assert Deployment.objects.filter(title="Lucknow station face recognition").count() == 1


def test_an_approval_failing_halfway_leaves_everything_unchanged(
    moderator, volunteer, mail_delivered
):
    """The entry is saved before its sources; a source that cannot be stored (longer than the
    column allows) aborts the approval, and the entry is as it was."""
    deployment = DeploymentFactory(title="Metro cameras", camera_count=10)
    history_before = deployment.history.count()
    submission = Submission.objects.create(
        volunteer=volunteer,
        kind=SubmissionKind.EDIT,
        entity_type="deployment",
        target_id=deployment.pk,
        data={"camera_count": 99},
        sources=[{"url": "https://news.example.org/" + "a" * 2100, "title": "Too long"}],
        status=SubmissionStatus.PENDING,
    )
    # The database refuses the source.
    with mail_delivered() as outbox, pytest.raises(Exception):  # noqa: B017
        submission_approve(submission_id=submission.pk, moderator=moderator)
    deployment.refresh_from_db()
    submission.refresh_from_db()
    assert deployment.camera_count == 10
    assert deployment.history.count() == history_before
    assert submission.status == SubmissionStatus.PENDING
    assert outbox == []


def test_approving_a_correction_to_a_withdrawn_entry_is_refused(moderator, volunteer):
    from tracker.publication import entity_withdraw

    deployment = DeploymentFactory(title="Metro cameras")
    submission = Submission.objects.create(
        volunteer=volunteer,
        kind=SubmissionKind.EDIT,
        entity_type="deployment",
        target_id=deployment.pk,
        data={"title": "Metro face cameras"},
        sources=[{"url": "https://news.example.org/a", "title": "A"}],
        status=SubmissionStatus.PENDING,
    )
    entity_withdraw(entity=deployment, reason="Duplicate", actor=moderator)
    response = decide(moderator, submission, "approve")
    assert "withdrawn after this correction" in " ".join(
        response.context["form"].non_field_errors()
    )
    deployment.refresh_from_db()
    assert deployment.title == "Metro cameras" and deployment.publication == "withdrawn"


def test_a_script_in_the_summary_is_rendered_inert(moderator, volunteer):
    signed_in(volunteer).post(
        NEW_DEPLOYMENT_URL,
        deployment_post(
            summary='Cameras <script>alert("x")</script> and <img src=x onerror=alert(1)> here.'
        ),
    )
    submission = Submission.objects.get()
    review_page = signed_in(moderator).get(reverse("moderation:review", args=[submission.pk]))
    submission_approve(submission_id=submission.pk, moderator=moderator)
    public_page = signed_in(None).get(detail_url(Deployment.objects.get(title__contains="Lucknow")))
    for html in (review_page.content.decode(), public_page.content.decode()):
        assert '<script>alert("x")' not in html
        assert "onerror" not in html.split('class="summary"')[1].split("</div>")[0]


def test_moderators_withdraw_with_a_reason_and_restore(moderator):
    deployment = DeploymentFactory(title="Contested system")
    client = signed_in(moderator)
    withdraw = reverse("moderation:entry-withdraw", args=["deployment", deployment.pk])
    client.post(withdraw, {"reason": ""})
    deployment.refresh_from_db()
    assert deployment.publication == Publication.PUBLISHED  # a reason is required
    client.post(withdraw, {"reason": "The only source was retracted."})
    deployment.refresh_from_db()
    assert deployment.publication == Publication.WITHDRAWN
    assert signed_in(None).get(f"/deployments/{deployment.pk}/").status_code == 404
    assert signed_in(None).get(f"/api/v1/deployments/{deployment.pk}/").status_code == 404
    assert "Contested system" in client.get(reverse("moderation:entries")).content.decode()
    client.post(reverse("moderation:entry-restore", args=["deployment", deployment.pk]))
    deployment.refresh_from_db()
    assert deployment.publication == Publication.PUBLISHED
    reasons = list(deployment.history.values_list("history_change_reason", flat=True))
    assert "Withdrawn: The only source was retracted." in reasons and "Restored" in reasons


def test_attachments_reach_only_the_submitter_and_moderators(
    volunteer, other_volunteer, moderator, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("reply.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    signed_in(volunteer).post(NEW_DEPLOYMENT_URL, deployment_post(attachments=pdf))
    attachment = Submission.objects.get().attachments.get()
    url = reverse("moderation:attachment", args=[attachment.pk])
    for user in (volunteer, moderator):
        response = signed_in(user).get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="reply.pdf"'
        assert b"".join(response.streaming_content) == b"%PDF-1.4\n%%EOF\n"
    assert signed_in(other_volunteer).get(url).status_code == 403
    assert signed_in(None).get(url).status_code == 302
    # Not reachable through the public media URL either.
    assert signed_in(None).get("/media/" + attachment.file.name).status_code == 404


def test_an_edit_sent_after_the_decision_does_not_reopen_it(moderator, volunteer, pending):
    """The volunteer's form was open while a moderator approved: their save is refused."""
    client = signed_in(volunteer)
    edit_url = reverse("moderation:my-submission-edit", args=[pending.pk])
    submission_approve(submission_id=pending.pk, moderator=moderator)
    response = client.post(edit_url, deployment_post(title="Changed later"))
    assert response.status_code == 302  # back to the submission, with a message
    pending.refresh_from_db()
    assert pending.status == SubmissionStatus.APPROVED and pending.data["title"] != "Changed later"


def test_a_stale_form_cannot_overwrite_a_decision(moderator, volunteer, pending):
    from moderation.services import submission_store

    stale = Submission.objects.get(pk=pending.pk)  # read while still pending
    submission_approve(submission_id=pending.pk, moderator=moderator)
    with pytest.raises(SubmissionConflict):
        submission_store(
            volunteer=volunteer,
            entity_type="deployment",
            kind="new",
            data={"title": "Changed later"},
            sources=[],
            submit=True,
            submission=stale,
        )
    pending.refresh_from_db()
    assert pending.status == SubmissionStatus.APPROVED
