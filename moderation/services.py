"""Writes for submissions: store, submit, decide, withdraw. The one way each is done.

Approval publishes through tracker's publication service inside one
transaction that holds a row lock on the submission, so an approval either
applies completely (entry, a new agency proposed with it, citations, submission
status, history naming the moderator, the note and the proposing volunteer) or
not at all, and two moderators approving at once apply it once.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker import uploads
from tracker.ingest.normalise import normalise_url
from tracker.models import Agency, Citation, Publication, RTIRequest, Source
from tracker.publication import entity_publish

from . import notifications
from .duplicates import agencies_named, likely_duplicates
from .entities import (
    NEW_AGENCY_KEY,
    data_changes,
    entity_apply,
    entity_data,
    entity_model,
    entity_relations_apply,
)
from .models import Attachment, EntityType, Submission, SubmissionKind, SubmissionStatus
from .pending import upload_named, uploads_keep, uploads_pending
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


class SubmissionDuplicate(SubmissionRefused):
    """The volunteer already sent exactly this; ``first`` is that submission."""

    def __init__(self, message, *, first):
        super().__init__(message)
        self.first = first


class SubmissionLikelyDuplicate(SubmissionRefused):
    """Another volunteer's pending submission looks like the same thing (``matches``); the
    proposal is sent only when the volunteer confirms it is not."""

    def __init__(self, message, *, matches):
        super().__init__(message)
        self.matches = matches


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
    pending_keys=(),
    likely_duplicate_confirmed=False,
):
    """Check a volunteer's proposal and store it: the one path of the site's forms and the
    API. Returns the submission, or raises the ``SubmissionRefused`` of the step that failed.

    In order: the entry a correction is for (``target_id``) must still be published; the
    account and its client (an address) must be within their rates, and every attempt
    counts; the bound ``form`` must be valid (its errors stay on it); a correction keeps
    only the values that differ from the entry, and must keep some; what is sent must not
    repeat the volunteer's own pending submission (``SubmissionDuplicate``), nor look like
    another volunteer's unless ``likely_duplicate_confirmed`` (``SubmissionLikelyDuplicate``).
    ``draft`` stores without sending to the queue; ``raw_draft`` (the site's "Save as
    draft") stores that raw input instead of the proposal, valid or not. ``submission`` is
    the one changed.

    Files: ``pending_keys`` name files kept from an earlier send that came back
    (``moderation.pending``); they join the form's new files. When a proposal is refused
    after its files passed their checks, the files are kept the same way and the refusal
    carries them (``error.pending_uploads``), so nobody has to choose a file twice.
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
    pending = uploads_pending(volunteer=volunteer, keys=pending_keys)
    # Files that passed their checks; a draft keeps them even when other fields are wrong.
    files = [] if "attachments" in form.errors else form.cleaned_data.get("attachments", [])
    if len(files) + len(pending) > uploads.MAX_ATTACHMENTS and "attachments" not in form.errors:
        form.add_error(
            "attachments",
            _("Attach at most %(count)d files.") % {"count": uploads.MAX_ATTACHMENTS},
        )
        valid, files = False, []
    try:
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
        return submission_store(
            volunteer=volunteer,
            entity_type=entity_type,
            kind=SubmissionKind.NEW if target is None else SubmissionKind.EDIT,
            target_id=target_id,
            data=data,
            sources=sources,
            entry_name=entry_name_of(target=target, data=data),
            why=(form.cleaned_data.get("why") or "").strip() if valid else "",
            attachments=files,
            pending_uploads=pending,
            submit=not draft and raw_draft is None,
            submission=submission,
            language=language,
            likely_duplicate_confirmed=likely_duplicate_confirmed,
        )
    except SubmissionRefused as error:
        error.pending_uploads = pending + uploads_keep(volunteer=volunteer, files=files)
        raise


def entry_name_of(*, target, data) -> str:
    """What people call the entry: a correction's entry as published, or the proposed
    title or name (a draft's raw one)."""
    if target is not None:
        return str(target)[:300]
    raw = data.get(DRAFT_KEY) or {}
    name = data.get("title") or data.get("name") or raw.get("title") or raw.get("name")
    return " ".join(str(name or "").split())[:300]


def _identical_pending(*, volunteer, submission, entity_type, kind, target_id, data, sources):
    """The volunteer's own pending submission with exactly this proposal, if any."""
    found = Submission.objects.filter(
        volunteer=volunteer,
        status=SubmissionStatus.PENDING,
        entity_type=entity_type,
        kind=kind,
        target_id=target_id,
        data=data,
        sources=sources,
    )
    if submission is not None and submission.pk:
        found = found.exclude(pk=submission.pk)
    return found.order_by("submitted_at", "id").first()


@transaction.atomic
def submission_store(
    *,
    volunteer,
    entity_type,
    kind,
    data,
    sources,
    entry_name="",
    why="",
    attachments=(),
    pending_uploads=(),
    target_id=None,
    submit,
    submission=None,
    language="en",
    likely_duplicate_confirmed=True,
):
    """Create or update a volunteer's submission; ``submit`` sends it to the queue.

    ``attachments`` are (uploaded file, sniffed content type) pairs already checked;
    ``pending_uploads`` the volunteer's kept files, which become attachments too. The
    volunteer's row is locked while their submission is checked and stored, so sending
    the same form twice at once stores it once.
    """
    get_user_model().objects.select_for_update().filter(pk=volunteer.pk).first()
    if submission is None:
        submission = Submission(
            volunteer=volunteer, entity_type=entity_type, kind=kind, target_id=target_id
        )
    else:
        # Locked and read again: a moderator may have decided since the form was opened.
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        if not submission.is_editable:
            raise SubmissionConflict(_("This submission can no longer be changed."))
    if submit:
        first = _identical_pending(
            volunteer=volunteer,
            submission=submission,
            entity_type=entity_type,
            kind=kind,
            target_id=target_id,
            data=data,
            sources=sources,
        )
        if first is not None:
            raise SubmissionDuplicate(
                _("You have sent exactly this already: “%(title)s” is waiting for a moderator.")
                % {"title": first.title},
                first=first,
            )
        if not likely_duplicate_confirmed:
            matches = likely_duplicates(
                volunteer=volunteer,
                entity_type=entity_type,
                kind=kind,
                target_id=target_id,
                data=data,
            )
            if matches:
                raise SubmissionLikelyDuplicate(
                    _(
                        "Another volunteer has sent something that looks the same, and it is "
                        "waiting for a moderator. If yours is different, send it anyway."
                    ),
                    matches=matches,
                )
    new_files = len(attachments) + len(pending_uploads)
    if new_files and submission.pk:
        kept = submission.attachments.count()
        if kept + new_files > uploads.MAX_ATTACHMENTS:
            raise SubmissionConflict(
                _("A submission may have at most %(count)d attachments.")
                % {"count": uploads.MAX_ATTACHMENTS}
            )
    submission.data = data
    submission.sources = sources
    submission.entry_name = entry_name
    submission.why = why
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
            file=upload_named(upload, content_type),
            original_name=upload.name[:200],
            content_type=content_type,
            size=upload.size,
        )
    for kept_file in pending_uploads:
        # The stored bytes change owner: the row that kept them goes.
        Attachment.objects.create(
            submission=submission,
            file=kept_file.file.name,
            original_name=kept_file.original_name,
            content_type=kept_file.content_type,
            size=kept_file.size,
        )
        kept_file.delete()
    return submission


def _citations_attach(*, entity, entity_type, sources):
    for item in sources:
        source, _created = Source.objects.get_or_create(
            url=normalise_url(item["url"]), defaults={"title": item.get("title") or item["url"]}
        )
        Citation.objects.get_or_create(source=source, **{entity_type: entity})


def history_reason(*, why, note) -> str:
    """Why the entry changed, as its public history says: the volunteer's reason for a
    correction and the moderator's note."""
    return " · ".join(filter(None, [(why or "").strip(), (note or "").strip()])) or APPROVED_REASON


def _new_agency_publish(*, submission, moderator, reason):
    """The agency proposed with a new deployment, published with it; None if there is none.

    Refused when an agency on the site meanwhile has one of its names: the volunteer is
    asked to choose that one instead (the moderator asks for changes).
    """
    proposed = submission.data.get(NEW_AGENCY_KEY)
    if not proposed or submission.entity_type != "deployment":
        return None
    names = [proposed.get("name"), proposed.get("short_name"), *(proposed.get("aliases") or [])]
    taken = agencies_named(names)
    if taken:
        raise SubmissionConflict(
            _(
                "The agency proposed with this deployment is on the site now as “%(name)s”: "
                "ask the volunteer to choose it."
            )
            % {"name": taken[0].name}
        )
    agency = entity_apply(Agency(), proposed)
    try:
        agency.full_clean(exclude=["slug", "publication"], validate_unique=False)
    except ValidationError as error:
        raise SubmissionConflict(
            _("The proposed agency is not valid: %(errors)s")
            % {"errors": "; ".join(error.messages)}
        ) from None
    agency._history_contributor = submission.volunteer
    entity_publish(entity=agency, actor=moderator, reason=reason)
    _citations_attach(entity=agency, entity_type="agency", sources=submission.sources)
    return agency


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
            notifications.decision_send(
                submission=submission, base_url=base_url, entity=entity.rti_request
            )
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
        reason = history_reason(why=submission.why, note=note)
        agency = _new_agency_publish(submission=submission, moderator=moderator, reason=reason)
        if agency is not None:
            entity.lead_agency = agency
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
        entity_publish(entity=entity, actor=moderator, reason=reason)
        entity_relations_apply(entity, submission.data)
        _citations_attach(
            entity=entity, entity_type=submission.entity_type, sources=submission.sources
        )
        _decided(submission, moderator=moderator, note=note, target=entity)
        notifications.decision_send(submission=submission, base_url=base_url, entity=entity)
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
    """The volunteer takes back a submission that is not decided yet; they may undo it for
    ``WITHDRAW_UNDO_SECONDS`` (``submission_withdraw_undo``). A proposed RTI event goes at
    once with its documents, so its withdrawal cannot be undone."""
    submission = (
        Submission.objects.select_for_update().filter(pk=submission_id, volunteer=volunteer).first()
    )
    if submission is None or not submission.is_editable:
        raise SubmissionConflict(_("This submission can no longer be withdrawn."))
    undoable = submission.entity_type != EntityType.RTI_EVENT
    submission.status_before_withdrawal = submission.status if undoable else ""
    submission.status = SubmissionStatus.WITHDRAWN
    submission.withdrawn_at = timezone.now()
    submission.save(
        update_fields=["status", "status_before_withdrawal", "withdrawn_at", "updated_at"]
    )
    _proposal_drop(submission)
    return submission


def submission_withdraw_undo(*, submission_id, volunteer):
    """Put a withdrawn submission back as it was, within ``WITHDRAW_UNDO_SECONDS``."""
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update()
            .filter(pk=submission_id, volunteer=volunteer)
            .first()
        )
        if submission is None or submission.withdrawal_undo_until() is None:
            raise SubmissionConflict(
                _("This withdrawal can no longer be undone; send the submission again instead.")
            )
        submission.status = submission.status_before_withdrawal
        submission.status_before_withdrawal = ""
        submission.withdrawn_at = None
        submission.save(
            update_fields=["status", "status_before_withdrawal", "withdrawn_at", "updated_at"]
        )
    return submission
