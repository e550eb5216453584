"""RTI pages for the people who run a request: record what happened (its owner proposes,
a moderator records at once), and publish its documents (moderators)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tracker import permissions
from tracker.catalogue.links import detail_url
from tracker.clients import client_address
from tracker.models import RTIDocument, RTIEvent, RTIRequest
from tracker.rti.campaigns import rti_campaign_create
from tracker.rti.documents import rti_document_publish, rti_document_unpublish
from tracker.rti.forms import CampaignForm
from tracker.rti.questions import QUESTIONS

from ..rti_events import RTIEventProposalForm, may_propose, may_record, rti_event_submit
from ..services import SubmissionInvalid, SubmissionRefused


@login_required
def rti_event_new(request, pk):
    """The form that records (moderator) or proposes (the request's owner) an event."""
    rti_request = get_object_or_404(RTIRequest.objects.select_related("authority"), pk=pk)
    if not (may_record(request.user, rti_request) or may_propose(request.user, rti_request)):
        raise PermissionDenied
    form = RTIEventProposalForm(
        request.POST or None, request.FILES or None, rti_request=rti_request
    )
    if request.method == "POST":
        try:
            _event, submission = rti_event_submit(
                user=request.user,
                client=client_address(request),
                rti_request=rti_request,
                form=form,
                language=get_language() or "en",
            )
        except SubmissionInvalid:
            pass  # the errors are on the form
        except SubmissionRefused as error:
            form.add_error(None, str(error))
        else:
            if submission is None:
                messages.success(request, _("Recorded. The request's deadlines follow from it."))
            else:
                messages.success(
                    request,
                    _(
                        "Sent for review: the event shows as proposed in the timeline until a "
                        "moderator accepts it."
                    ),
                )
            return redirect(detail_url(rti_request))
    return render(
        request,
        "moderation/rti_event_form.html",
        {
            "rti_request": rti_request,
            "request_url": detail_url(rti_request),
            "form": form,
            "records_at_once": may_record(request.user, rti_request),
            "events": list(RTIEvent.every.filter(rti_request=rti_request).order_by("date", "id")),
        },
    )


def _publisher(user):
    if not (user.is_authenticated and user.has_perm(permissions.RTI_DOCUMENT_PUBLISH)):
        raise PermissionDenied


@login_required
def rti_documents(request, pk):
    """A request's documents with what the public sees of each: publish, redact, unpublish."""
    _publisher(request.user)
    rti_request = get_object_or_404(RTIRequest, pk=pk)
    documents = (
        RTIDocument.objects.filter(rti_request=rti_request).select_related("event").order_by("id")
    )
    return render(
        request,
        "moderation/rti_documents.html",
        {
            "rti_request": rti_request,
            "request_url": detail_url(rti_request),
            "documents": [d for d in documents if d.event_id is None or not d.event.proposed],
            "proposed": [d for d in documents if d.event_id and d.event.proposed],
        },
    )


@require_POST
@login_required
def rti_document_publish_view(request, pk, document):
    _publisher(request.user)
    found = get_object_or_404(RTIDocument, pk=document, rti_request_id=pk)
    if found.event_id and found.event.proposed:
        messages.error(request, _("Accept the event first: its documents wait with it."))
        return redirect("moderation:rti-documents", pk=pk)
    try:
        rti_document_publish(
            document=found, moderator=request.user, redacted=request.FILES.get("redacted")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Published: %(name)s") % {"name": found.original_name})
    return redirect("moderation:rti-documents", pk=pk)


@require_POST
@login_required
def rti_document_unpublish_view(request, pk, document):
    _publisher(request.user)
    found = get_object_or_404(RTIDocument, pk=document, rti_request_id=pk)
    rti_document_unpublish(document=found, moderator=request.user)
    messages.success(request, _("No longer public: %(name)s") % {"name": found.original_name})
    return redirect("moderation:rti-documents", pk=pk)


@login_required
def rti_campaign_new(request):
    """One application to many authorities: each gets its own published request."""
    if not request.user.has_perm(permissions.RTI_CAMPAIGN_CREATE):
        raise PermissionDenied
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = rti_campaign_create(
                title=form.cleaned_data["title"],
                application_text=form.cleaned_data["application_text"],
                authorities=form.chosen(),
                created_by=request.user,
            )
        except ValidationError as error:
            for field, messages_ in error.message_dict.items():
                for message in messages_:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request,
                _("Campaign created: %(n)d requests.") % {"n": campaign.requests.count()},
            )
            return redirect("tracker:rti-campaign", pk=campaign.pk, slug=campaign.slug)
    return render(
        request,
        "moderation/rti_campaign_form.html",
        {"form": form, "questions": QUESTIONS, "language": get_language()},
    )
