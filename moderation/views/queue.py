"""Moderators' pages: the review queue, one submission's review, withdrawing and restoring."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import moderator_required
from tracker.catalogue.links import detail_url
from tracker.models import Publication, RTIEvent
from tracker.publication import entity_restore, entity_withdraw

from ..entities import PUBLIC_ENTITY_TYPES, entity_model
from ..forms import DecisionForm, WithdrawForm
from ..models import EntityType, SubmissionStatus
from ..review import (
    QUEUE_AGES,
    SOURCES_KIND,
    proposed_agency_rows,
    queue_review_items,
    queue_submissions,
    reviewable_submissions,
    submission_changes,
    submission_sources,
    submission_warnings,
)
from ..services import SubmissionConflict, submission_approve, submission_decide

QUEUE_PAGE_SIZE = 25


def _page(queryset, number):
    paginator = Paginator(queryset, QUEUE_PAGE_SIZE)
    return paginator.get_page(number)


@moderator_required
def queue(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in (*EntityType.values, SOURCES_KIND) else ""
    age = request.GET.get("age", "")
    age = age if age in QUEUE_AGES else ""
    return render(
        request,
        "moderation/queue.html",
        {
            "submissions": _page(queue_submissions(kind=kind, age=age), request.GET.get("page")),
            "review_items": _page(queue_review_items(kind=kind, age=age), request.GET.get("spage")),
            "kind": kind,
            "age": age,
            "kinds": [("", _("Everything")), *EntityType.choices, (SOURCES_KIND, _("Sources"))],
            "ages": [
                ("", _("Any age")),
                ("1", _("Older than a day")),
                ("7", _("Older than a week")),
                ("30", _("Older than a month")),
            ],
        },
    )


@moderator_required
def review(request, pk):
    submission = get_object_or_404(
        reviewable_submissions().select_related("volunteer", "reviewer"), pk=pk
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
        base_url = request.build_absolute_uri("/").rstrip("/")
        try:
            if decision == "approve":
                entity = submission_approve(
                    submission_id=pk, moderator=request.user, note=note, base_url=base_url
                )
                messages.success(
                    request, _("Approved and published: %(entry)s") % {"entry": entity}
                )
            else:
                status = {
                    "reject": SubmissionStatus.REJECTED,
                    "request_changes": SubmissionStatus.CHANGES_REQUESTED,
                }[decision]
                submission_decide(
                    submission_id=pk,
                    moderator=request.user,
                    status=status,
                    note=note,
                    base_url=base_url,
                )
                messages.success(request, _("Decision recorded; the volunteer is told by e-mail."))
            return redirect("moderation:queue")
        except SubmissionConflict as error:
            form.add_error(None, str(error))
    entity = None
    if submission.target_id:
        entity = (
            entity_model(submission.entity_type).objects.filter(pk=submission.target_id).first()
        )
    documents = []
    if submission.entity_type == EntityType.RTI_EVENT:
        event = RTIEvent.every.filter(pk=submission.target_id).select_related("rti_request")
        event = event.first()
        entity = event.rti_request if event is not None else None
        documents = list(event.documents.all()) if event is not None else []
    return render(
        request,
        "moderation/review.html",
        {
            "submission": submission,
            "is_draft": "_draft" in submission.data,
            "changes": []
            if "_draft" in submission.data
            else submission_changes(submission, moderator=True),
            "new_agency": proposed_agency_rows(submission),
            "sources": submission_sources(submission),
            "warnings": submission_warnings(submission),
            "attachments": submission.attachments.all(),
            "documents": documents,
            "entity": entity,
            "entity_url": detail_url(entity)
            if entity is not None and entity.publication == Publication.PUBLISHED
            else "",
            "form": form,
        },
    )


def _entry(entity_type, pk):
    try:
        model = entity_model(entity_type)
    except ValueError:
        raise Http404("unknown kind of entry") from None
    if entity_type not in PUBLIC_ENTITY_TYPES:
        raise Http404("not an entry that is published or withdrawn")
    return get_object_or_404(model, pk=pk)


@moderator_required
def entries(request):
    """Find an entry to withdraw; list withdrawn entries to restore."""
    found, lookup_error = None, ""
    entity_type = request.GET.get("type", "")
    if entity_type not in PUBLIC_ENTITY_TYPES:
        entity_type = ""
    if entity_type and request.GET.get("id"):
        try:
            found = entity_model(entity_type).objects.filter(pk=int(request.GET["id"])).first()
        except ValueError:
            found = None
        if found is None:
            lookup_error = _("No entry of that kind has that number.")
    withdrawn = [
        (
            EntityType(entity_type).label,
            list(
                entity_model(entity_type)
                .objects.filter(publication=Publication.WITHDRAWN)
                .order_by("-updated_at")[:50]
            ),
            entity_type,
        )
        for entity_type in PUBLIC_ENTITY_TYPES
    ]
    return render(
        request,
        "moderation/entries.html",
        {
            "entity_types": [(t.value, t.label) for t in PUBLIC_ENTITY_TYPES],
            "entity_type": entity_type,
            "found": found,
            "found_type": entity_type,
            "lookup_error": lookup_error,
            "withdraw_form": WithdrawForm(),
            "withdrawn": withdrawn,
        },
    )


@require_POST
@moderator_required
def entry_withdraw(request, entity_type, pk):
    entity = _entry(entity_type, pk)
    form = WithdrawForm(request.POST)
    if entity.publication != Publication.PUBLISHED:
        messages.error(request, _("Only a published entry can be withdrawn."))
    elif not form.is_valid():
        messages.error(request, _("Say why the entry is withdrawn."))
    else:
        try:
            entity_withdraw(entity=entity, reason=form.cleaned_data["reason"], actor=request.user)
            messages.success(request, _("Withdrawn: %(entry)s") % {"entry": entity})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("moderation:entries")


@require_POST
@moderator_required
def entry_restore(request, entity_type, pk):
    entity = _entry(entity_type, pk)
    if entity.publication != Publication.WITHDRAWN:
        messages.error(request, _("Only a withdrawn entry can be restored."))
    else:
        entity_restore(entity=entity, actor=request.user, reason="Restored")
        messages.success(request, _("Restored: %(entry)s") % {"entry": entity})
    return redirect("moderation:entries")
