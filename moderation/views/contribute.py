"""Volunteers' pages: propose an entry or a correction, save drafts, follow submissions."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import HONEYPOT
from accounts.roles import is_moderator, volunteer_required
from tracker.catalogue.links import detail_url
from tracker.clients import client_address
from tracker.rti.questions import QUESTIONS
from tracker.uploads import download_name

from ..entities import PUBLIC_ENTITY_TYPES, entity_data
from ..evidence import cited_sources, entity_evidence, evidence_merged, evidence_rows_initial
from ..forms import PROPOSAL_FORMS, form_initial, sources_initial
from ..models import Attachment, EntityType, Submission, SubmissionKind
from ..review import reviewable_submissions, submission_changes, submission_evidence_changes
from ..services import (
    DRAFT_KEY,
    SubmissionConflict,
    SubmissionInvalid,
    SubmissionRefused,
    published_target,
    submission_propose,
    submission_withdraw,
)

DRAFT_VALUE_MAX = 20000


def _entity_type(value):
    try:
        entity_type = EntityType(value)
    except ValueError:
        raise Http404("unknown kind of entry") from None
    if entity_type not in PUBLIC_ENTITY_TYPES:  # an RTI event is recorded from its request
        raise Http404("not proposed on its own")
    return entity_type


@volunteer_required
def submit_start(request):
    choices = [(t.value, t.label) for t in PUBLIC_ENTITY_TYPES]
    return render(request, "moderation/submit_start.html", {"entity_types": choices})


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
    return {**form_initial({**current, **submission.data}), **sources_initial(submission.sources)}


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
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, target=target)
        saved = _submission_save(request, form, entity_type, target_id, submission)
        if saved is not None:
            return redirect("moderation:my-submission", pk=saved.pk)
    else:
        current = entity_data(target, entity_type) if target is not None else {}
        form = form_class(
            initial=_initial(current=current, submission=submission),
            target=target,
            evidence_initial=_evidence_initial(target=target, submission=submission),
        )
    return render(
        request,
        "moderation/submission_form.html",
        {
            "form": form,
            "entity_type": entity_type,
            "entity_label": EntityType(entity_type).label,
            "kind": kind,
            "target": target,
            "target_url": detail_url(target) if target is not None else "",
            "submission": submission,
            "questions": QUESTIONS if entity_type == EntityType.RTI_REQUEST else (),
            "language": get_language(),
        },
    )


def _submission_save(request, form, entity_type, target_id, submission):
    """Store through ``submission_propose``; returns the submission, or None with the
    errors on ``form``."""
    form.is_valid()
    if HONEYPOT in form.errors:  # the honeypot: store nothing, say little
        return None
    draft = request.POST.get("action") == "draft"
    raw_draft = None
    if draft:
        raw_draft = {
            name: value[:DRAFT_VALUE_MAX] if isinstance(value, str) else value
            for name, value in form.raw_input().items()
        }
    try:
        saved = submission_propose(
            volunteer=request.user,
            client=client_address(request),
            entity_type=entity_type,
            form=form,
            target_id=target_id,
            raw_draft=raw_draft,
            submission=submission,
            language=get_language() or "en",
        )
    except SubmissionInvalid:
        return None
    except SubmissionRefused as error:
        form.add_error(None, str(error))
        return None
    if draft:
        messages.success(request, _("Draft saved. It stays private until you send it."))
    else:
        messages.success(request, _("Thank you: your submission is waiting for a moderator."))
    return saved


@volunteer_required
def my_submissions(request):
    submissions = Submission.objects.filter(volunteer=request.user).order_by("-created_at")[:200]
    return render(request, "moderation/my_submissions.html", {"submissions": submissions})


@volunteer_required
def my_submission(request, pk):
    submission = get_object_or_404(Submission, pk=pk, volunteer=request.user)
    return render(
        request,
        "moderation/my_submission.html",
        {
            "submission": submission,
            "changes": [] if DRAFT_KEY in submission.data else submission_changes(submission),
            "evidence_changes": submission_evidence_changes(submission),
            "attachments": submission.attachments.all(),
        },
    )


@require_POST
@volunteer_required
def my_submission_withdraw(request, pk):
    try:
        submission_withdraw(submission_id=pk, volunteer=request.user)
        messages.success(request, _("Your submission is withdrawn."))
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
