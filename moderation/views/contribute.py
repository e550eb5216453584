"""Volunteers' pages: propose an entry or a correction, save drafts, follow submissions."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import HONEYPOT
from accounts.roles import is_moderator, volunteer_required
from tracker import uploads
from tracker.catalogue.links import detail_url
from tracker.clients import client_address
from tracker.rti.questions import QUESTIONS
from tracker.uploads import download_name

from ..entities import PUBLIC_ENTITY_TYPES, entity_data
from ..evidence import cited_sources, entity_evidence, evidence_merged, evidence_rows_initial
from ..forms import PROPOSAL_FORMS, form_initial, sources_initial
from ..models import WITHDRAW_UNDO_SECONDS, Attachment, EntityType, Submission, SubmissionKind
from ..review import (
    proposed_agency_rows,
    reviewable_submissions,
    submission_changes,
    submission_evidence_changes,
    submission_rows,
)
from ..services import (
    DRAFT_KEY,
    SubmissionConflict,
    SubmissionDuplicate,
    SubmissionInvalid,
    SubmissionLikelyDuplicate,
    SubmissionRefused,
    published_target,
    submission_propose,
    submission_withdraw,
    submission_withdraw_undo,
)

DRAFT_VALUE_MAX = 20000
DRAFT_ITEMS_MAX = 200

# Whole sentences per kind (Hindi agrees its words with each).
NEW_ENTRY_HEADINGS = {
    EntityType.DEPLOYMENT: gettext_lazy("Propose a new deployment"),
    EntityType.AGENCY: gettext_lazy("Propose a new agency"),
    EntityType.HOTSPOT: gettext_lazy("Propose a new hotspot"),
    EntityType.RTI_REQUEST: gettext_lazy("Propose a new RTI request"),
}


def _entity_type(value):
    try:
        entity_type = EntityType(value)
    except ValueError:
        raise Http404("unknown kind of entry") from None
    if entity_type not in PUBLIC_ENTITY_TYPES:  # an RTI event is recorded from its request
        raise Http404("not proposed on its own")
    return entity_type


# Whole sentences per kind (Hindi agrees its words with each).
START_LINKS = {
    EntityType.DEPLOYMENT: gettext_lazy("A new deployment"),
    EntityType.AGENCY: gettext_lazy("A new agency"),
    EntityType.HOTSPOT: gettext_lazy("A new hotspot"),
    EntityType.RTI_REQUEST: gettext_lazy("A new RTI request"),
}


@volunteer_required
def submit_start(request):
    links = [(entity_type, START_LINKS[entity_type]) for entity_type in PUBLIC_ENTITY_TYPES]
    return render(request, "moderation/submit_start.html", {"entity_types": links})


@volunteer_required
def submission_new(request, entity_type):
    return _submission_form(request, entity_type=_entity_type(entity_type), kind=SubmissionKind.NEW)


@volunteer_required
def submission_correct(request, entity_type, pk):
    entity_type = _entity_type(entity_type)
    target = published_target(entity_type=entity_type, target_id=pk)
    if target is None:
        raise Http404("no published entry to correct")
    return _submission_form(
        request, entity_type=entity_type, kind=SubmissionKind.EDIT, target=target, target_id=pk
    )


@volunteer_required
def submission_edit(request, pk):
    submission = get_object_or_404(Submission, pk=pk, volunteer=request.user)
    if not submission.is_editable:
        messages.error(request, _("This submission can no longer be changed."))
        return redirect("moderation:my-submission", pk=submission.pk)
    if submission.entity_type == EntityType.RTI_EVENT:
        messages.error(
            request,
            _("A proposed event is not edited: withdraw it and record it again, corrected."),
        )
        return redirect("moderation:my-submission", pk=submission.pk)
    target = None
    if submission.kind == SubmissionKind.EDIT:
        target = published_target(
            entity_type=submission.entity_type, target_id=submission.target_id
        )
    return _submission_form(
        request,
        entity_type=EntityType(submission.entity_type),
        kind=submission.kind,
        target=target,
        target_id=submission.target_id if submission.kind == SubmissionKind.EDIT else None,
        submission=submission,
    )


def _initial(*, current, submission):
    if submission is None:
        return form_initial(current)
    if DRAFT_KEY in submission.data:
        return dict(submission.data[DRAFT_KEY])
    initial = {
        **form_initial({**current, **submission.data}),
        **sources_initial(submission.sources),
    }
    if submission.why:
        initial["why"] = submission.why
    return initial


def _raw_draft(request, form):
    """The form's raw input as typed, valid or not (a draft keeps it as it is)."""
    raw = {}
    for name, field in form.fields.items():
        if name in ("attachments", HONEYPOT):
            continue
        if getattr(field.widget, "allow_multiple_selected", False):
            raw[name] = [v[:DRAFT_VALUE_MAX] for v in request.POST.getlist(name)[:DRAFT_ITEMS_MAX]]
        else:
            raw[name] = request.POST.get(name, "")[:DRAFT_VALUE_MAX]
    if getattr(form, "evidence_formset", None) is not None:
        raw["evidence"] = form.evidence_formset.raw_rows()
    return raw


def _evidence_initial(*, target, submission):
    """Evidence rows to start from: the entry's, with the submission's changes on top."""
    current = entity_evidence(target)
    if submission is None:
        items, slots = current, []
    elif DRAFT_KEY in submission.data:
        return submission.data[DRAFT_KEY].get("evidence") or []
    else:
        items = evidence_merged(current, submission.evidence)
        slots = [source.get("url") for source in submission.sources]
    return evidence_rows_initial(items, source_urls=slots, cited=cited_sources(target))


def _submission_form(request, *, entity_type, kind, target=None, target_id=None, submission=None):
    """The proposal form; a correction's ``target`` is None when it was withdrawn since."""
    form_class = PROPOSAL_FORMS[entity_type]
    correction_of = target_id if kind == SubmissionKind.EDIT else None
    pending, likely = [], []
    duplicate_of = None
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, target=target, target_id=correction_of)
        outcome = _submission_save(request, form, entity_type, target_id, submission)
        if isinstance(outcome, Submission):
            return redirect("moderation:my-submission", pk=outcome.pk)
        pending, likely, duplicate_of = outcome
    else:
        current = entity_data(target, entity_type) if target is not None else {}
        form = form_class(
            initial=_initial(current=current, submission=submission),
            target=target,
            target_id=correction_of,
            evidence_initial=_evidence_initial(target=target, submission=submission),
        )
    return render(
        request,
        "moderation/submission_form.html",
        {
            "form": form,
            "sections": form.sections(),
            "entity_type": entity_type,
            "heading": submission_form_heading(
                entity_type=entity_type, kind=kind, target=target, submission=submission
            ),
            "kind": kind,
            "target": target,
            "target_url": detail_url(target) if target is not None else "",
            "submission": submission,
            "attachments": submission.attachments.all() if submission is not None else [],
            "pending_uploads": pending,
            "likely_duplicates": likely,
            "duplicate_of": duplicate_of,
            "questions": QUESTIONS if entity_type == EntityType.RTI_REQUEST else (),
            "language": get_language(),
        },
    )


def submission_form_heading(*, entity_type, kind, target, submission):
    """The page's heading and title: what is proposed, and for a correction, of what."""
    if kind == SubmissionKind.EDIT:
        entry = target if target is not None else (submission.entry_name if submission else "")
        return _("Suggest a correction: %(entry)s") % {"entry": entry}
    return NEW_ENTRY_HEADINGS[EntityType(entity_type)]


def _submission_save(request, form, entity_type, target_id, submission):
    """Store through ``submission_propose``; returns the submission, or, with the errors on
    ``form``, (files kept, likely duplicates to confirm, the identical one sent before)."""
    form.is_valid()
    if HONEYPOT in form.errors:  # the honeypot: store nothing, say little
        return [], [], None
    draft = request.POST.get("action") == "draft"
    try:
        saved = submission_propose(
            volunteer=request.user,
            client=client_address(request),
            entity_type=entity_type,
            form=form,
            target_id=target_id,
            raw_draft=_raw_draft(request, form) if draft else None,
            submission=submission,
            language=get_language() or "en",
            pending_keys=request.POST.getlist("pending_uploads")[: uploads.MAX_ATTACHMENTS],
            likely_duplicate_confirmed=request.POST.get("action") == "submit_anyway",
        )
    except SubmissionRefused as error:
        pending = getattr(error, "pending_uploads", [])
        if isinstance(error, SubmissionLikelyDuplicate):
            return pending, error.matches, None
        if isinstance(error, SubmissionDuplicate):
            form.add_error(None, str(error))
            return pending, [], error.first
        if not isinstance(error, SubmissionInvalid):
            form.add_error(None, str(error))
        return pending, [], None
    if draft:
        messages.success(request, _("Draft saved. It stays private until you send it."))
    else:
        messages.success(request, _("Thank you: your submission is waiting for a moderator."))
    return saved


@volunteer_required
def my_submissions(request):
    submissions = list(
        Submission.objects.filter(volunteer=request.user).order_by("-updated_at", "-id")[:200]
    )
    return render(
        request,
        "moderation/my_submissions.html",
        {"rows": submission_rows(submissions)},
    )


@volunteer_required
def my_submission(request, pk):
    submission = get_object_or_404(Submission, pk=pk, volunteer=request.user)
    (row,) = submission_rows([submission])
    return render(
        request,
        "moderation/my_submission.html",
        {
            "submission": submission,
            "row": row,
            "changes": [] if DRAFT_KEY in submission.data else submission_changes(submission),
            "evidence_changes": submission_evidence_changes(submission),
            "new_agency": proposed_agency_rows(submission),
            "attachments": submission.attachments.all(),
        },
    )


@volunteer_required
def my_submission_withdraw(request, pk):
    """Asks first (GET), withdraws on POST; the withdrawal can be undone for a while."""
    submission = get_object_or_404(Submission, pk=pk, volunteer=request.user)
    if request.method == "POST":
        try:
            submission = submission_withdraw(submission_id=pk, volunteer=request.user)
            if submission.withdrawal_undo_until() is None:
                done = _("“%(title)s” is withdrawn, and its event deleted with its documents.")
            else:
                done = _(
                    "“%(title)s” is withdrawn. You can undo this for %(minutes)d minutes, "
                    "on its page or in the list below."
                )
            messages.success(
                request,
                done % {"title": submission.title, "minutes": WITHDRAW_UNDO_SECONDS // 60},
            )
        except SubmissionConflict as error:
            messages.error(request, str(error))
        return redirect("moderation:my-submissions")
    if not submission.is_editable:
        messages.error(request, _("This submission can no longer be withdrawn."))
        return redirect("moderation:my-submission", pk=pk)
    return render(
        request,
        "moderation/withdraw_confirm.html",
        {"submission": submission, "undo_minutes": WITHDRAW_UNDO_SECONDS // 60},
    )


@require_POST
@volunteer_required
def my_submission_withdraw_undo(request, pk):
    try:
        submission = submission_withdraw_undo(submission_id=pk, volunteer=request.user)
        messages.success(request, _("“%(title)s” is back as it was.") % {"title": submission.title})
    except SubmissionConflict as error:
        messages.error(request, str(error))
    return redirect("moderation:my-submissions")


def attachment_download(request, pk):
    """Only the submitter, and moderators once it is sent, may fetch an attachment, and only
    as a download."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    attachment = get_object_or_404(Attachment.objects.select_related("submission"), pk=pk)
    own = attachment.submission.volunteer_id == request.user.pk
    if not own and not (
        is_moderator(request.user)
        and reviewable_submissions().filter(pk=attachment.submission_id).exists()
    ):
        raise PermissionDenied
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=download_name(attachment.original_name, attachment.content_type),
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
