"""RTI pages: the list and its overdue view, each request's timeline, the calculator.

Deadlines come from tracker.rti (the engine and the lifecycle); these views
only choose what to show.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlencode

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from .. import permissions, uploads
from ..catalogue.filters import RTIRequestFilter
from ..catalogue.selectors.details import rti_request_detail
from ..catalogue.selectors.rows import rti_request_rows
from ..catalogue.visibility import public_or_none
from ..middleware import public_page
from ..models import RTIDocument, RTIEvent, RTIOutcome, RTIRequest, RTIStatus
from ..rti.forms import DeadlineQueryForm
from ..rti.lifecycle import event_sort_key, rti_request_schedule, rti_time_key
from ..rti.statistics import exemption_sections
from .details import _detail
from .lists import EntityList, Facet, entity_list

RTI_REQUESTS = EntityList(
    filterset_class=RTIRequestFilter,
    rows=rti_request_rows,
    template="tracker/rti_list.html",
    title=_("RTI requests"),
    varies_with=rti_time_key,
    facets=[
        Facet(
            "state",
            _("State or union territory"),
            "authority__state_id",
            state="authority__state",
        ),
        Facet("status", _("Status"), "status", tuple(RTIStatus.choices)),
        Facet("outcome", _("Outcome"), "outcome", tuple(RTIOutcome.choices)),
        Facet("year", _("Year filed"), "filed_on__year"),
        Facet(
            "agency",
            _("Public authority"),
            "authority_id",
            label_field="authority__name",
            only_published="authority",
            limit=15,
        ),
    ],
    sort_options=(
        ("", _("Newest filed first")),
        ("filed_on", _("Oldest filed first")),
        ("overdue_since", _("Longest overdue first")),
        ("-updated_at", _("Recently updated")),
    ),
)

OVERDUE = EntityList(
    filterset_class=RTIRequestFilter,
    rows=rti_request_rows,
    template="tracker/rti_list.html",
    title=_("Overdue RTI requests"),
    varies_with=rti_time_key,
    facets=RTI_REQUESTS.facets,
    sort_options=(
        ("overdue_since", _("Longest overdue first")),
        ("-overdue_since", _("Most recently overdue first")),
    ),
)


@require_safe
@public_page
def rti_list(request):
    return entity_list(request, RTI_REQUESTS)


@require_safe
@public_page
def rti_overdue(request):
    """The requests whose authority owes a decision past its deadline, longest first."""
    params = request.GET.copy()
    params["overdue"] = "true"
    params.setdefault("ordering", "overdue_since")
    return entity_list(request, OVERDUE, params=params, extra={"overdue_view": True})


@dataclass
class TimelineEntry:
    day: date
    kind: str  # "event", "proposed" or "deadline"
    label: str
    moment: datetime | None = None
    note: str = ""
    detail: str = ""
    section: str = ""
    state: str = ""
    state_label: str = ""
    documents: list = field(default_factory=list)
    sort_rank: int = 0


def event_detail(event):
    """What an event carries besides its date: the outcome, sections, an amount."""
    parts = []
    if event.outcome:
        parts.append(str(event.get_outcome_display()))
    if event.exemption_sections:
        parts.append(_("sections %(sections)s") % {"sections": event.exemption_sections})
    if event.amount is not None:
        parts.append(f"₹{event.amount:,.2f}")
    return "; ".join(parts)


def rti_timeline(rti_request, events, schedule, *, documents=(), proposed=()):
    """What happened, what was proposed and what is due, in date order (a deadline after
    the events of its day)."""
    by_event = {}
    for document in documents:
        by_event.setdefault(document.event_id, []).append(document)
    entries = [
        TimelineEntry(
            e.date,
            "proposed" if e.proposed else "event",
            e.get_kind_display(),
            note=e.note,
            detail=event_detail(e),
            documents=by_event.get(e.pk, []),
            sort_rank=event_sort_key(e.kind, e.date, e.pk)[1],
        )
        for e in [*events, *proposed]
    ]
    for deadline in schedule.deadlines:
        if deadline.due is None:
            continue
        entries.append(
            TimelineEntry(
                deadline.due,
                "deadline",
                deadline.label,
                moment=deadline.due_at,
                section=deadline.section,
                state=deadline.state,
                state_label=deadline.state_label,
                sort_rank=100,
            )
        )
    return sorted(entries, key=lambda entry: (entry.day, entry.sort_rank))


def _rti_extra(request, rti_request):
    """The timeline from the engine, judged at the same clock reading as the database's
    columns that the page's headline shows (status, overdue, next deadline). Its owner
    and moderators also see the events proposed and waiting for review."""
    events = list(rti_request.events.all())
    documents = list(rti_request.documents.all())
    schedule = rti_request_schedule(rti_request, events=events, now=rti_request.read_at)
    user = request.user
    is_owner = user.is_authenticated and user.is_active and rti_request.owner_id == user.pk
    records = user.is_authenticated and user.has_perm(permissions.RTI_EVENT_RECORD)
    proposed = []
    if is_owner or records:
        proposed = list(RTIEvent.proposals.filter(rti_request=rti_request).order_by("date", "id"))
    next_deadline = schedule.get(rti_request.next_deadline) if rti_request.next_deadline else None
    return {
        "authority": public_or_none(rti_request.authority),
        "schedule": schedule,
        "next_deadline": next_deadline,
        "timeline": rti_timeline(
            rti_request, events, schedule, documents=documents, proposed=proposed
        ),
        "documents": documents,
        "exemptions": exemption_sections(rti_request.exemption_sections),
        "may_record": is_owner or records,
        "may_publish": user.is_authenticated and user.has_perm(permissions.RTI_DOCUMENT_PUBLISH),
    }


@require_safe
@public_page
def rti_detail(request, pk, slug=None):
    return _detail(
        request,
        selector=rti_request_detail,
        model=RTIRequest,
        pk=pk,
        slug=slug,
        template="tracker/rti_detail.html",
        extra=lambda rti_request: _rti_extra(request, rti_request),
    )


CALCULATOR_FIELDS = (
    "received_on",
    "received_at",
    "life_or_liberty",
    "via_apio",
    "third_party",
    "security_org",
    "transferred_received_on",
    "fee_requested_on",
    "fee_paid_on",
    "reply_received_on",
    "first_appeal_filed_on",
    "first_appeal_decided_on",
)


@require_safe
@public_page
def rti_calculator(request):
    """The deadlines for anyone's request: a GET form, so the answer can be bookmarked."""
    asked = any(request.GET.get(name) for name in CALCULATOR_FIELDS)
    form = DeadlineQueryForm(request.GET if asked else None)
    rows, schedule = [], None
    letter_query = ""
    if asked and form.is_valid():
        letter_query = urlencode(
            {
                name: form.cleaned_data[name].isoformat()
                for name in ("received_on", "reply_received_on", "first_appeal_filed_on")
                if form.cleaned_data.get(name)
            }
        )
        schedule = form.schedule(next_working_day=False)
        working = form.schedule(next_working_day=True)
        rows = [
            {"calendar": deadline, "working": working.get(deadline.key)}
            for deadline in schedule.deadlines
        ]
    return render(
        request,
        "tracker/rti_calculator.html",
        {
            "form": form,
            "fields": [form[name] for name in CALCULATOR_FIELDS],
            "asked": asked,
            "schedule": schedule,
            "rows": rows,
            "flag_labels": schedule.flag_labels if schedule else [],
            "letter_query": letter_query,
        },
    )


def rti_document_readable(user, document) -> bool:
    """The public reads a published document (its public copy); the request's owner and
    those who publish documents also read unpublished ones."""
    if document.is_published and document.rti_request.is_published:
        return True
    if not user.is_authenticated:
        return False
    return user.has_perm(permissions.RTI_DOCUMENT_PUBLISH) or (
        user.is_active and document.rti_request.owner_id == user.pk
    )


@require_safe
def rti_document(request, pk, document):
    """A document's file, as a download: never rendered by the browser as a page."""
    found = get_object_or_404(
        RTIDocument.objects.select_related("rti_request"), pk=document, rti_request_id=pk
    )
    if not rti_document_readable(request.user, found):
        raise Http404("no such document")
    public = found.is_published and found.rti_request.is_published
    file = found.public_file if public else found.file
    content_type = found.public_content_type if public else found.content_type
    response = FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=uploads.download_name(
            found.public_name if public else found.original_name, content_type
        ),
        content_type=content_type,
    )
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
