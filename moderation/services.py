"""Writes for submissions: store, submit, decide, withdraw. The one way each is done.

Approval publishes through tracker's publication service inside one
transaction that holds a row lock on the submission, so an approval either
applies completely (entry, citations, submission status, history naming the
moderator, the note and the proposing volunteer) or not at all, and two
moderators approving at once apply it once.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker import uploads
from tracker.ingest.normalise import normalise_url
from tracker.models import Citation, Publication, RTIRequest, Source
from tracker.publication import entity_publish

from . import notifications
from .entities import data_changes, entity_apply, entity_data, entity_model
from .models import Attachment, EntityType, Submission, SubmissionKind, SubmissionStatus
from .throttles import submission_allowed

APPROVED_REASON = "Approved"
DRAFT_KEY = "_draft"  # a draft saved from the site keeps the form's raw input, valid or not


class SubmissionRefused(Exception):
    """Why a submission was not stored or changed. ``field`` is what was wrong, as the
    API names it (None: the submission as a whole)."""

    field = None


class SubmissionConflict(SubmissionRefused):
    """The submission cannot be changed or applied as asked (already decided, entry
    withdrawn since...)."""


class SubmissionTargetGone(SubmissionRefused):
    field = "target_id"


class SubmissionThrottled(SubmissionRefused):
    """Too many submissions from this account or its client lately."""


class SubmissionInvalid(SubmissionRefused):
    """The proposal's form has errors; they are on the form."""


class SubmissionUnchanged(SubmissionRefused):
    field = "fields"


def published_target(*, entity_type, target_id, lock=False):
    """The published entry a correction is for, or None if it is gone or withdrawn."""
    found = entity_model(entity_type).objects.filter(
        pk=target_id, publication=Publication.PUBLISHED
    )
    if lock:
        found = found.select_for_update()
    return found.first()


def submission_propose(
    *,
    volunteer,
    client: str,
    entity_type,
    form,
    target_id=None,
    draft=False,
    raw_draft=None,
    submission=None,
    language="en",
):
    """Check a volunteer's proposal and store it: the one path of the site's forms and the
    API. Returns the submission, or raises the ``SubmissionRefused`` of the step that failed.

    In order: the entry a correction is for (``target_id``) must still be published; the
    account and its client (an address) must be within their rates, and every attempt
    counts; the bound ``form`` must be valid (its errors stay on it); a correction keeps
    only the values that differ from the entry, and must keep some. ``draft`` stores
    without sending to the queue; ``raw_draft`` (the site's "Save as draft") stores that
    raw input instead of the proposal, valid or not. ``submission`` is the one changed.
    """
    target = None
    if target_id is not None:
        target = published_target(entity_type=entity_type, target_id=target_id)
        if target is None:
            raise SubmissionTargetGone(
                _(
                    "The entry to correct is not published (it may have been withdrawn "
                    "meanwhile); this correction cannot be sent."
                )
            )
    if not submission_allowed(volunteer=volunteer, client=client):
        raise SubmissionThrottled(
            _("You have sent many submissions recently; try again in an hour.")
        )
    valid = form.is_valid()
    if raw_draft is not None:
        data, sources = {DRAFT_KEY: raw_draft}, []
    elif not valid:
        raise SubmissionInvalid
    else:
        data, sources = form.proposal(), form.cleaned_data["sources"]
        if target is not None:
            data = data_changes(entity_data(target, entity_type), data)
            if not data:
                raise SubmissionUnchanged(
                    _("Nothing is changed yet: edit the values that are wrong.")
                )
    # A draft keeps the files that passed their checks.
    attachments = [] if "attachments" in form.errors else form.cleaned_data.get("attachments", [])
    return submission_store(
        volunteer=volunteer,
        entity_type=entity_type,
        kind=SubmissionKind.NEW if target is None else SubmissionKind.EDIT,
        target_id=target_id,
        data=data,
        sources=sources,
        attachments=attachments,
        submit=not draft and raw_draft is None,
        submission=submission,
        language=language,
    )


@transaction.atomic
def submission_store(
    *,
    volunteer,
    entity_type,
    kind,
    data,
    sources,
    attachments=(),
    target_id=None,
    submit,
    submission=None,
    language="en",
):
    """Create or update a volunteer's submission; ``submit`` sends it to the queue.

    ``attachments`` are (uploaded file, sniffed content type) pairs already checked.
    """
    if submission is None:
        submission = Submission(
            volunteer=volunteer, entity_type=entity_type, kind=kind, target_id=target_id
        )
    else:
        # Locked and read again: a moderator may have decided since the form was opened.
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        if not submission.is_editable:
            raise SubmissionConflict(_("This submission can no longer be changed."))
    if attachments and submission.pk:
        kept = submission.attachments.count()
        if kept + len(attachments) > uploads.MAX_ATTACHMENTS:
            raise SubmissionConflict(
                _("A submission may have at most %(count)d attachments.")
                % {"count": uploads.MAX_ATTACHMENTS}
            )
    submission.data = data
    submission.sources = sources
    submission.language = language
    if submit:
        submission.status = SubmissionStatus.PENDING
        submission.submitted_at = timezone.now()
    elif submission.status != SubmissionStatus.CHANGES_REQUESTED:
        submission.status = SubmissionStatus.DRAFT
    submission.save()
    for upload, content_type in attachments:
        Attachment.objects.create(
            submission=submission,
            file=_named(upload, content_type),
            original_name=upload.name[:200],
            content_type=content_type,
            size=upload.size,
        )
    return submission


def _named(upload, content_type):
    # attachment_path reads the content type from the instance; the upload keeps its bytes.
    upload.content_type = content_type
    return upload


def _citations_attach(*, entity, entity_type, sources):
    for item in sources:
        source, _created = Source.objects.get_or_create(
            url=normalise_url(item["url"]), defaults={"title": item.get("title") or item["url"]}
        )
        Citation.objects.get_or_create(source=source, **{entity_type: entity})


def submission_approve(*, submission_id, moderator, note="", base_url=""):
    """Publish the proposal; returns the entry. Raises SubmissionConflict if it cannot."""
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update().select_related("volunteer").get(pk=submission_id)
        )
        if submission.status != SubmissionStatus.PENDING:
            raise SubmissionConflict(_("This submission has already been decided."))
        if submission.entity_type == EntityType.RTI_EVENT:
            from .rti_events import rti_event_submission_approve

            entity = rti_event_submission_approve(submission)
            _decided(submission, moderator=moderator, note=note, target=entity)
            notifications.decision_send(submission=submission, base_url=base_url)
            return entity
        model = entity_model(submission.entity_type)
        if submission.kind == SubmissionKind.EDIT:
            entity = published_target(
                entity_type=submission.entity_type, target_id=submission.target_id, lock=True
            )
            if entity is None:
                raise SubmissionConflict(
                    _("The entry was withdrawn after this correction was sent; it cannot apply.")
                )
        else:
            entity = model()
        entity_apply(entity, submission.data)
        try:
            entity.full_clean(exclude=["slug", "publication"], validate_unique=False)
        except ValidationError as error:
            raise SubmissionConflict(
                _("The proposal is no longer valid: %(errors)s")
                % {"errors": "; ".join(error.messages)}
            ) from None
        entity._history_contributor = submission.volunteer
        if isinstance(entity, RTIRequest) and entity.owner_id is None:
            entity.owner = submission.volunteer  # who may record what happens next
        entity_publish(entity=entity, actor=moderator, reason=note.strip() or APPROVED_REASON)
        _citations_attach(
            entity=entity, entity_type=submission.entity_type, sources=submission.sources
        )
        _decided(submission, moderator=moderator, note=note, target=entity)
        notifications.decision_send(submission=submission, base_url=base_url)
    return entity


def _decided(submission, *, moderator, note, target):
    submission.status = SubmissionStatus.APPROVED
    submission.reviewer = moderator
    submission.reviewer_note = note.strip()
    submission.decided_at = timezone.now()
    submission.target_id = target.pk
    submission.save()


def submission_decide(*, submission_id, moderator, status, note, base_url=""):
    """Reject, or ask for changes: only while the submission is still pending."""
    assert status in (SubmissionStatus.REJECTED, SubmissionStatus.CHANGES_REQUESTED)
    with transaction.atomic():
        changed = Submission.objects.filter(
            pk=submission_id, status=SubmissionStatus.PENDING
        ).update(
            status=status,
            reviewer=moderator,
            reviewer_note=note.strip(),
            decided_at=timezone.now(),
            updated_at=timezone.now(),
        )
        if not changed:
            raise SubmissionConflict(_("This submission has already been decided."))
        submission = Submission.objects.select_related("volunteer").get(pk=submission_id)
        if status == SubmissionStatus.REJECTED:
            _proposal_drop(submission)
        notifications.decision_send(submission=submission, base_url=base_url)
    return submission


def _proposal_drop(submission):
    """What a rejected or withdrawn proposal left outside the queue goes with it."""
    if submission.entity_type == EntityType.RTI_EVENT:
        from .rti_events import rti_event_submission_drop

        rti_event_submission_drop(submission)


@transaction.atomic
def submission_withdraw(*, submission_id, volunteer):
    """The volunteer takes back a submission that is not decided yet."""
    changed = Submission.objects.filter(
        pk=submission_id,
        volunteer=volunteer,
        status__in=[
            SubmissionStatus.DRAFT,
            SubmissionStatus.PENDING,
            SubmissionStatus.CHANGES_REQUESTED,
        ],
    ).update(status=SubmissionStatus.WITHDRAWN, updated_at=timezone.now())
    if not changed:
        raise SubmissionConflict(_("This submission can no longer be withdrawn."))
    _proposal_drop(Submission.objects.get(pk=submission_id))
