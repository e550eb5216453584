"""Volunteers' pages: propose an entry or a correction, save drafts, follow submissions."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import is_moderator, volunteer_required
from tracker.catalogue.selectors import detail_url

from ..entities import data_changes, entity_data
from ..forms import PROPOSAL_FORMS, form_initial, sources_initial
from ..models import Attachment, EntityType, Submission, SubmissionKind
from ..review import submission_changes
from ..services import (
    SubmissionConflict,
    published_target,
    submission_store,
    submission_withdraw,
)
from ..throttles import submission_allowed

DRAFT_KEY = "_draft"  # a draft keeps the form's raw input, valid or not
DRAFT_VALUE_MAX = 20000


def _entity_type(value):
    try:
        return EntityType(value)
    except ValueError:
        raise Http404("unknown kind of entry") from None


@volunteer_required
def submit_start(request):
    return render(request, "moderation/submit_start.html", {"entity_types": EntityType.choices})


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
        request, entity_type=entity_type, kind=SubmissionKind.EDIT, target=target
    )


@volunteer_required
def submission_edit(request, pk):
    submission = get_object_or_404(Submission, pk=pk, volunteer=request.user)
    if not submission.is_editable:
        messages.error(request, _("This submission can no longer be changed."))
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
        submission=submission,
    )


def _initial(*, current, submission):
    if submission is None:
        return form_initial(current)
    if DRAFT_KEY in submission.data:
        return dict(submission.data[DRAFT_KEY])
    return {**form_initial({**current, **submission.data}), **sources_initial(submission.sources)}


def _submission_form(request, *, entity_type, kind, target=None, submission=None):
    form_class = PROPOSAL_FORMS[entity_type]
    current = entity_data(target, entity_type) if target is not None else {}
    if kind == SubmissionKind.EDIT and target is None and request.method == "POST":
        form = form_class(request.POST, request.FILES)
        form.is_valid()
        form.add_error(
            None, _("The entry was withdrawn meanwhile; this correction cannot be sent.")
        )
    elif request.method == "POST":
        form = form_class(request.POST, request.FILES)
        saved = _submission_save(request, form, entity_type, kind, target, current, submission)
        if saved is not None:
            return redirect("moderation:my-submission", pk=saved.pk)
    else:
        form = form_class(initial=_initial(current=current, submission=submission))
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
        },
    )


def _submission_save(request, form, entity_type, kind, target, current, submission):
    """Validate and store; returns the submission, or None with errors on ``form``."""
    valid = form.is_valid()
    if "website" in form.errors:  # the honeypot: store nothing, say little
        return None
    if not submission_allowed(request):
        form.add_error(None, _("You have sent many submissions recently; try again in an hour."))
        return None
    draft = request.POST.get("action") == "draft"
    if draft:
        raw = {
            name: request.POST.get(name, "")[:DRAFT_VALUE_MAX]
            for name in form.fields
            if name not in ("attachments", "website")
        }
        data, sources = {DRAFT_KEY: raw}, []
    elif not valid:
        return None
    else:
        data, sources = form.proposal(), form.cleaned_data["sources"]
        if kind == SubmissionKind.EDIT:
            data = data_changes(current, data)
            if not data:
                form.add_error(None, _("Nothing is changed yet: edit the values that are wrong."))
                return None
    attachments = [] if "attachments" in form.errors else form.cleaned_data.get("attachments", [])
    try:
        saved = submission_store(
            volunteer=request.user,
            entity_type=entity_type,
            kind=kind,
            target_id=target.pk if target is not None else None,
            data=data,
            sources=sources,
            attachments=attachments,
            submit=not draft,
            submission=submission,
            language=get_language() or "en",
        )
    except SubmissionConflict as error:
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
    """Only the submitter and moderators may fetch an attachment, and only as a download."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    attachment = get_object_or_404(Attachment.objects.select_related("submission"), pk=pk)
    if attachment.submission.volunteer_id != request.user.pk and not is_moderator(request.user):
        raise PermissionDenied
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
