"""Writes for submissions: store, submit, decide, withdraw. The one way each is done.

A decision (``submission_decide``) is bound to the version the moderator reviewed and
runs inside one transaction holding a row lock on the submission: an approval applies
completely (entry, citations, evidence, submission status, history naming the
moderators, the note and the proposing volunteer) or not at all, two moderators
approving at once apply it once, and nobody approves their own submission.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import REVIEW_PERMISSION
from tracker import uploads
from tracker.ingest.normalise import normalise_url
from tracker.models import Citation, Publication, RTIRequest, Source
from tracker.models.base import display_name
from tracker.publication import entity_publish
from tracker.verification import deployment_verify, live_sources

from . import notifications
from .entities import data_changes, entity_apply, entity_data, entity_model
from .evidence import entity_evidence, evidence_apply, evidence_changes
from .models import (
    DRAFT_KEY,
    Approval,
    Attachment,
    EntityType,
    Submission,
    SubmissionKind,
    SubmissionStatus,
)
from .throttles import submission_allowed

APPROVED_REASON = "Approved"


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
    if target is not None:
        form.target_set(target)  # evidence rows may point at the sources it cites
    valid = form.is_valid()
    if raw_draft is not None:
        data, sources, evidence = {DRAFT_KEY: raw_draft}, [], []
    elif not valid:
        raise SubmissionInvalid
    else:
        data, sources = form.proposal(), form.cleaned_data["sources"]
        evidence = form.cleaned_data.get("evidence", [])
        if target is not None:
            data = data_changes(entity_data(target, entity_type), data)
            evidence = evidence_changes(entity_evidence(target), evidence)
            if not data and not evidence:
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
        evidence=evidence,
        attachments=attachments,
        submit=not draft and raw_draft is None,
        submission=submission,
        language=language,
    )


def verification_propose(*, volunteer, client: str, deployment_id, source, note=""):
    """A volunteer's re-check of a published deployment against a live source it cites,
    sent for review; approving it moves the entry's ``last_verified_on``
    (``tracker.verification.deployment_verify``)."""
    target = published_target(entity_type=EntityType.DEPLOYMENT, target_id=deployment_id)
    if target is None:
        raise SubmissionTargetGone(_("This entry is not published."))
    if source not in live_sources(target):
        raise SubmissionRefused(_("Choose a live source this entry cites."))
    if not submission_allowed(volunteer=volunteer, client=client):
        raise SubmissionThrottled(
            _("You have sent many submissions recently; try again in an hour.")
        )
    return submission_store(
        volunteer=volunteer,
        entity_type=EntityType.DEPLOYMENT,
        kind=SubmissionKind.VERIFY,
        target_id=target.pk,
        data={
            "title": target.title,  # what the queue calls it (the entry is not changed)
            "source_url": source.url,
            "source_title": source.title,
            "note": note.strip(),
        },
        sources=[],
        submit=True,
    )


@transaction.atomic
def submission_store(
    *,
    volunteer,
    entity_type,
    kind,
    data,
    sources,
    evidence=(),
    attachments=(),
    target_id=None,
    submit,
    submission=None,
    language="en",
):
    """Create or update a volunteer's submission; ``submit`` sends it to the queue.

    ``attachments`` are (uploaded file, sniffed content type) pairs already checked.
    Every change of a stored submission raises its revision, so approvals given to an
    earlier revision no longer count and a moderator's open review page is stale.
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
    if submission.pk:
        submission.revision += 1
    submission.data = data
    submission.sources = sources
    submission.evidence = list(evidence)
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


class SubmissionStale(SubmissionConflict):
    """What the moderator reviewed is not what is stored now."""


DECISIONS = {
    "approve": SubmissionStatus.APPROVED,
    "request_changes": SubmissionStatus.CHANGES_REQUESTED,
    "reject": SubmissionStatus.REJECTED,
}


@dataclass(frozen=True)
class Decision:
    """What a decision did: ``entity`` is set once the proposal is applied; an approval
    that still waits for other moderators has ``approvals`` below ``required``."""

    submission: Submission
    entity: object = None
    approvals: int = 0
    required: int = 1


def _target_stamp(entity):
    return "new" if entity is None else entity.updated_at.isoformat()


def review_version(submission, entity=None) -> str:
    """The version of what a moderator reviews: the submission's revision and, for a
    correction or a re-check, when its entry last changed. The review page puts it in
    the decision form; a decision on any other version is refused."""
    return f"{submission.revision}/{_target_stamp(entity)}"


def approvals_count(submission) -> int:
    """Different moderators who approved the submission's current revision."""
    return submission.approvals.filter(revision=submission.revision).count()


def _apply(*, submission, moderator, approvers, note):
    """Publish the proposal (the submission and its entry are locked); returns the entry."""
    if submission.kind == SubmissionKind.VERIFY:
        return _verification_apply(submission=submission, moderator=moderator, note=note)
    if submission.entity_type == EntityType.RTI_EVENT:
        from .rti_events import rti_event_submission_approve

        return rti_event_submission_approve(submission)
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
            _("The proposal is no longer valid: %(errors)s") % {"errors": "; ".join(error.messages)}
        ) from None
    entity._history_contributor = submission.volunteer
    entity._history_user_name = ", ".join(display_name(user) for user in approvers)
    if isinstance(entity, RTIRequest) and entity.owner_id is None:
        entity.owner = submission.volunteer  # who may record what happens next
    entity_publish(entity=entity, actor=moderator, reason=note or APPROVED_REASON)
    _citations_attach(entity=entity, entity_type=submission.entity_type, sources=submission.sources)
    try:
        evidence_apply(entity=entity, items=submission.evidence)
    except ValidationError as error:
        raise SubmissionConflict(" ".join(error.messages)) from None
    return entity


def _verification_apply(*, submission, moderator, note):
    """A volunteer's re-check, approved: the entry's ``last_verified_on`` moves."""
    source = Source.objects.filter(url=normalise_url(submission.data.get("source_url", ""))).first()
    try:
        return deployment_verify(
            deployment_id=submission.target_id,
            actor=moderator,
            source_id=source.pk if source else None,
            note=" ".join(filter(None, [submission.data.get("note", ""), note])),
            today=timezone.localdate(),
            contributor=submission.volunteer,
        )
    except ValidationError as error:
        raise SubmissionConflict(" ".join(error.messages)) from None


def submission_decide(
    *, submission_id, moderator, decision, note="", reviewed_version, base_url=""
) -> Decision:
    """A moderator's decision on the version of a pending submission they reviewed.

    Under the submission's row lock (and its entry's), in this order: only a pending
    submission is decided; nobody decides on their own submission; the decision must
    be on ``reviewed_version`` (``review_version``), or it is refused with "changed since
    you opened it", and nothing is published that the moderator did not see. An approval
    counts once per moderator and revision; with ``APPROVALS_REQUIRED`` different
    moderators' approvals of the same revision the proposal is applied, all at once or
    not at all. Rejecting or asking for changes needs one moderator. The volunteer is
    e-mailed when the submission is decided. A volunteer's edit raises the revision, so
    approvals given before it stop counting (and the queue shows the count again).
    """
    if decision not in DECISIONS:
        raise SubmissionRefused(_("Choose a decision: approve, ask for changes or reject."))
    if not moderator.has_perm(REVIEW_PERMISSION):
        raise SubmissionConflict(_("Only moderators decide on submissions."))
    note = (note or "").strip()
    required = settings.APPROVALS_REQUIRED
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update().select_related("volunteer").get(pk=submission_id)
        )
        if submission.status != SubmissionStatus.PENDING:
            raise SubmissionConflict(_("This submission has already been decided."))
        if submission.volunteer_id == moderator.pk:
            raise SubmissionConflict(
                _(
                    "You cannot decide on your own submission: another moderator must "
                    "review it. You may withdraw it instead."
                )
            )
        entity = None
        if submission.kind in (SubmissionKind.EDIT, SubmissionKind.VERIFY):
            entity = (
                entity_model(submission.entity_type)
                .objects.select_for_update()
                .filter(pk=submission.target_id)
                .first()
            )
        if reviewed_version != review_version(submission, entity):
            raise SubmissionStale(
                _("This submission changed since you opened it; review it again.")
                if not str(reviewed_version).startswith(f"{submission.revision}/")
                else _("The entry it changes changed since you opened it; review it again.")
            )
        status = DECISIONS[decision]
        applied = None
        if status == SubmissionStatus.APPROVED:
            approval, created = Approval.objects.get_or_create(
                submission=submission,
                moderator=moderator,
                revision=submission.revision,
                defaults={"note": note},
            )
            if not created:
                raise SubmissionConflict(
                    _("You have approved this version already; another moderator must approve it.")
                )
            approvals = list(
                submission.approvals.filter(revision=submission.revision).select_related(
                    "moderator"
                )
            )
            if len(approvals) < required:
                return Decision(submission, approvals=len(approvals), required=required)
            approvers = [a.moderator for a in approvals]
            applied = _apply(
                submission=submission, moderator=moderator, approvers=approvers, note=note
            )
            submission.target_id = applied.pk
        submission.status = status
        submission.reviewer = moderator
        submission.reviewer_note = note
        submission.decided_at = timezone.now()
        submission.save()
        if status == SubmissionStatus.REJECTED:
            _proposal_drop(submission)
        notifications.decision_send(submission=submission, base_url=base_url)
    count = required if applied is not None else 0
    return Decision(submission, entity=applied, approvals=count, required=required)


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
