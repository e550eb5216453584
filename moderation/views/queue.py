"""Moderators' pages: the review queue, one submission's review, withdrawing and restoring."""

from django.conf import settings
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
from ..models import DRAFT_KEY, EntityType, SubmissionKind, SubmissionStatus
from ..review import (
    DISPUTES_KIND,
    QUEUE_AGES,
    SOURCES_KIND,
    proposed_agency_rows,
    queue_disputes,
    queue_review_items,
    queue_submissions,
    reviewable_submissions,
    submission_changes,
    submission_evidence_changes,
    submission_sources,
    submission_warnings,
)
from ..services import (
    SubmissionRefused,
    SubmissionStale,
    approvals_count,
    approvals_current,
    review_version,
    submission_decide,
)

QUEUE_PAGE_SIZE = 25


def _page(queryset, number):
    paginator = Paginator(queryset, QUEUE_PAGE_SIZE)
    return paginator.get_page(number)


@moderator_required
def queue(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in (*EntityType.values, SOURCES_KIND, DISPUTES_KIND) else ""
    age = request.GET.get("age", "")
    age = age if age in QUEUE_AGES else ""
    return render(
        request,
        "moderation/queue.html",
        {
            "submissions": _page(queue_submissions(kind=kind, age=age), request.GET.get("page")),
            "review_items": _page(queue_review_items(kind=kind, age=age), request.GET.get("spage")),
            "disputes": _page(queue_disputes(kind=kind, age=age), request.GET.get("dpage")),
            "kind": kind,
            "age": age,
            "approvals_required": settings.APPROVALS_REQUIRED,
            "kinds": [
                ("", _("Everything")),
                *EntityType.choices,
                (SOURCES_KIND, _("Sources")),
                (DISPUTES_KIND, _("Disputes")),
            ],
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
    """One submission's review: the diff, its evidence and sources, warnings, and the
    decision form bound to the version shown (``review_version``)."""
    submission = get_object_or_404(
        reviewable_submissions().select_related("volunteer", "reviewer"), pk=pk
    )
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
    reviewed_entity = None if submission.kind == SubmissionKind.NEW else entity
    version = review_version(submission, reviewed_entity)
    form = DecisionForm(request.POST or None, initial={"reviewed_version": version})
    if request.method == "POST" and form.is_valid():
        try:
            outcome = submission_decide(
                submission_id=pk,
                moderator=request.user,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
                reviewed_version=form.cleaned_data["reviewed_version"],
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
        except SubmissionStale as error:
            # Shown again with what is stored now and its version; nothing chosen.
            form = DecisionForm.again(
                version=version, note=form.cleaned_data["note"], problem=str(error)
            )
        except SubmissionRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _decision_message(outcome))
            return redirect("moderation:queue")
    own = submission.volunteer_id == request.user.pk
    is_draft = DRAFT_KEY in submission.data
    return render(
        request,
        "moderation/review.html",
        {
            "submission": submission,
            "is_draft": is_draft,
            "changes": [] if is_draft else submission_changes(submission, moderator=True),
            "evidence_changes": submission_evidence_changes(submission),
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
            "own_submission": own,
            "approvals": approvals_count(submission, reviewed_entity),
            "approvals_required": settings.APPROVALS_REQUIRED,
            "approved_by_me": approvals_current(submission, reviewed_entity)
            .filter(moderator=request.user)
            .exists(),
        },
    )


def _decision_message(outcome):
    if outcome.entity is not None:
        return _("Approved and published: %(entry)s") % {"entry": outcome.entity}
    if outcome.submission.status == SubmissionStatus.PENDING:
        return _(
            "Your approval is recorded: %(count)d of %(required)d. Another moderator must "
            "approve this version before it is published."
        ) % {"count": outcome.approvals, "required": outcome.required}
    return _("Decision recorded; the volunteer is told by e-mail.")


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
