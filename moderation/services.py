"""Writes for submissions: store, submit, decide, withdraw. The one way each is done.

A decision (``submission_decide``) is bound to the version the moderator reviewed and
runs inside one transaction holding a row lock on the submission: an approval applies
completely (entry, a new agency proposed with it, citations, evidence, submission
status, history naming the moderators, the note, the volunteer's reason and the
proposing volunteer) or not at all, two moderators approving at once apply it once,
and nobody approves their own submission.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Func
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import REVIEW_PERMISSION
from tracker import uploads
from tracker.ingest.normalise import normalise_url
from tracker.models import Agency, Citation, Publication, RTIRequest, Source
from tracker.models.base import display_name
from tracker.publication import entity_publish
from tracker.verification import deployment_verify, live_sources

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
from .pending import upload_named, uploads_keep, uploads_pending
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
    target = None if target_id is None else _correction_target(entity_type, target_id)
    if not submission_allowed(volunteer=volunteer, client=client):
        raise SubmissionThrottled(
            _("You have sent many submissions recently; try again in an hour.")
        )
    if target is not None:
        form.target_set(target)  # evidence rows may point at the sources it cites
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
            data, sources, evidence = {DRAFT_KEY: raw_draft}, [], []
        elif not valid:
            raise SubmissionInvalid
        else:
            data, sources, evidence = _proposal_of(form, target=target, entity_type=entity_type)
        return submission_store(
            volunteer=volunteer,
            entity_type=entity_type,
            kind=SubmissionKind.NEW if target is None else SubmissionKind.EDIT,
            target_id=target_id,
            data=data,
            sources=sources,
            evidence=evidence,
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


def _correction_target(entity_type, target_id):
    """The published entry a correction is for; refused when it is no longer published."""
    target = published_target(entity_type=entity_type, target_id=target_id)
    if target is None:
        raise SubmissionTargetGone(
            _(
                "The entry to correct is not published (it may have been withdrawn "
                "meanwhile); this correction cannot be sent."
            )
        )
    return target


def _proposal_of(form, *, target, entity_type):
    """(data, sources, evidence) of a valid form; for a correction, only what differs from
    the entry (refused when nothing does)."""
    data, sources = form.proposal(), form.cleaned_data["sources"]
    evidence = form.cleaned_data.get("evidence", [])
    if target is not None:
        data = data_changes(entity_data(target, entity_type), data)
        evidence = evidence_changes(entity_evidence(target), evidence)
        if not data and not evidence:
            raise SubmissionUnchanged(_("Nothing is changed yet: edit the values that are wrong."))
    return data, sources, evidence


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
    the same form twice at once stores it once. Every change of a stored submission
    raises its revision, so approvals given to an earlier revision no longer count and a
    moderator's open review page is stale.
    """
    get_user_model().objects.select_for_update().filter(pk=volunteer.pk).first()
    submission = _submission_locked(
        submission, volunteer=volunteer, entity_type=entity_type, kind=kind, target_id=target_id
    )
    if submit:
        _duplicates_refuse(
            submission,
            volunteer=volunteer,
            entity_type=entity_type,
            kind=kind,
            target_id=target_id,
            data=data,
            sources=sources,
            likely_duplicate_confirmed=likely_duplicate_confirmed,
        )
    _attachment_room_check(submission, len(attachments) + len(pending_uploads))
    if submission.pk:
        submission.revision += 1
    submission.data = data
    submission.sources = sources
    submission.evidence = list(evidence)
    submission.entry_name = entry_name
    submission.why = why
    submission.language = language
    if submit:
        submission.status = SubmissionStatus.PENDING
        submission.submitted_at = timezone.now()
    elif submission.status != SubmissionStatus.CHANGES_REQUESTED:
        submission.status = SubmissionStatus.DRAFT
    submission.save()
    _attachments_add(submission, attachments=attachments, pending_uploads=pending_uploads)
    return submission


def _submission_locked(submission, *, volunteer, entity_type, kind, target_id):
    """A new submission, or the stored one locked and read again: a moderator may have
    decided since the form was opened, and a decided one can no longer change."""
    if submission is None:
        return Submission(
            volunteer=volunteer, entity_type=entity_type, kind=kind, target_id=target_id
        )
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if not submission.is_editable:
        raise SubmissionConflict(_("This submission can no longer be changed."))
    return submission


def _duplicates_refuse(
    submission,
    *,
    volunteer,
    entity_type,
    kind,
    target_id,
    data,
    sources,
    likely_duplicate_confirmed,
):
    """Refuses sending what the volunteer has already sent and is still waiting, and (until
    they confirm) what looks like another volunteer's waiting submission."""
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
    if likely_duplicate_confirmed:
        return
    matches = likely_duplicates(
        volunteer=volunteer, entity_type=entity_type, kind=kind, target_id=target_id, data=data
    )
    if matches:
        raise SubmissionLikelyDuplicate(
            _(
                "Another volunteer has sent something that looks the same, and it is "
                "waiting for a moderator. If yours is different, send it anyway."
            ),
            matches=matches,
        )


def _attachment_room_check(submission, new_files):
    """Refuses files beyond the most a submission may hold, counting those it has."""
    if new_files and submission.pk:
        kept = submission.attachments.count()
        if kept + new_files > uploads.MAX_ATTACHMENTS:
            raise SubmissionConflict(
                _("A submission may have at most %(count)d attachments.")
                % {"count": uploads.MAX_ATTACHMENTS}
            )


def _attachments_add(submission, *, attachments, pending_uploads):
    """The new files (checked already) and the volunteer's kept files, as attachments."""
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


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _target_stamp(entity):
    """When the entry last changed, in microseconds since 1970: the database computes the
    same (``review_version_sql``)."""
    if entity is None:
        return "new"
    return str((entity.updated_at - _EPOCH) // timedelta(microseconds=1))


class _Microseconds(Func):
    template = "((EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint)::text"
    output_field = models.CharField()


def review_version_sql():
    """``review_version`` of each submission of a query, computed by the database (the
    queue counts each one's current approvals with it)."""
    stamps = [models.When(kind=SubmissionKind.NEW, then=models.Value("new"))]
    for entity_type in (
        EntityType.DEPLOYMENT,
        EntityType.AGENCY,
        EntityType.HOTSPOT,
        EntityType.RTI_REQUEST,
    ):
        changed = (
            entity_model(entity_type)
            ._base_manager.filter(pk=models.OuterRef("target_id"))
            .annotate(stamp=_Microseconds("updated_at"))
            .values("stamp")[:1]
        )
        stamp = Coalesce(models.Subquery(changed), models.Value("new"))
        stamps.append(models.When(entity_type=entity_type, then=stamp))
    return Concat(
        Cast("revision", models.CharField()),
        models.Value("/"),
        models.Case(*stamps, default=models.Value("new"), output_field=models.CharField()),
        output_field=models.CharField(),
    )


def review_version(submission, entity=None) -> str:
    """The version of what a moderator reviews: the submission's revision and, for a
    correction or a re-check, when its entry last changed. The review page puts it in
    the decision form; a decision on any other version is refused."""
    return f"{submission.revision}/{_target_stamp(entity)}"


def approvals_current(submission, entity=None):
    """The approvals that count now: those of the version a moderator reviews now
    (``review_version``), one per moderator. An edit raises the revision and a change of
    the corrected entry changes the version, so approvals given before either stop
    counting."""
    version = review_version(submission, entity)
    return submission.approvals.filter(revision=submission.revision, version=version)


def approvals_count(submission, entity=None) -> int:
    """How many different moderators approved what a review shows now."""
    return approvals_current(submission, entity).count()


def approvals_counted(submissions):
    """``submissions`` (a query) with ``approval_count``: ``approvals_count`` of each, in
    one query."""
    counted = (
        Approval.objects.filter(
            submission=models.OuterRef("pk"),
            revision=models.OuterRef("revision"),
            version=models.OuterRef("version_now"),
        )
        .values("submission")
        .annotate(n=models.Count("id"))
        .values("n")
    )
    return submissions.annotate(version_now=review_version_sql()).annotate(
        approval_count=Coalesce(models.Subquery(counted), 0)
    )


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
    reason = history_reason(why=submission.why, note=note)
    agency = _new_agency_publish(submission=submission, moderator=moderator, reason=reason)
    if agency is not None:
        entity.lead_agency = agency
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
    entity_publish(entity=entity, actor=moderator, reason=reason)
    entity_relations_apply(entity, submission.data)
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
    counts once per moderator and version; with ``APPROVALS_REQUIRED`` different
    moderators' approvals of the same version the proposal is applied, all at once or
    not at all. Rejecting or asking for changes needs one moderator. The volunteer is
    e-mailed (a Celery task queued once the decision commits) when the submission is
    decided. A volunteer's edit raises the revision and a change of the corrected entry
    changes the version, so approvals given before either stop counting.
    """
    if decision not in DECISIONS:
        raise SubmissionRefused(_("Choose a decision: approve, ask for changes or reject."))
    if not moderator.has_perm(REVIEW_PERMISSION):
        raise SubmissionConflict(_("Only moderators decide on submissions."))
    note = (note or "").strip()
    required = settings.APPROVALS_REQUIRED
    with transaction.atomic():
        submission, entity, version = _pending_locked(
            submission_id, moderator=moderator, reviewed_version=reviewed_version
        )
        status = DECISIONS[decision]
        applied = None
        if status == SubmissionStatus.APPROVED:
            _approval_record(submission, moderator=moderator, version=version, note=note)
            approvals = list(approvals_current(submission, entity).select_related("moderator"))
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
        if applied is None:
            notifications.decision_send(submission=submission, base_url=base_url)
        else:
            published = (
                applied.rti_request if submission.entity_type == EntityType.RTI_EVENT else applied
            )
            notifications.decision_send(submission=submission, base_url=base_url, entity=published)
    count = required if applied is not None else 0
    return Decision(submission, entity=applied, approvals=count, required=required)


def _pending_locked(submission_id, *, moderator, reviewed_version):
    """(submission, the entry it changes or None, its review version), both rows locked;
    refused when it is decided already, is the moderator's own, or changed since
    ``reviewed_version``."""
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
    version = review_version(submission, entity)
    if reviewed_version != version:
        raise SubmissionStale(
            _("This submission changed since you opened it; review it again.")
            if not str(reviewed_version).startswith(f"{submission.revision}/")
            else _("The entry it changes changed since you opened it; review it again.")
        )
    return submission, entity, version


def _approval_record(submission, *, moderator, version, note):
    """The moderator's approval of ``version``, once per moderator and version."""
    approval, created = Approval.objects.get_or_create(
        submission=submission,
        moderator=moderator,
        revision=submission.revision,
        defaults={"note": note, "version": version},
    )
    if created:
        return
    if approval.version == version:
        raise SubmissionConflict(
            _("You have approved this version already; another moderator must approve it.")
        )
    # The entry changed since this moderator approved: this approval is of what they see now.
    approval.version, approval.note = version, note
    approval.save(update_fields=["version", "note"])


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
