"""RTI pages: the list and its overdue view, each request's timeline, the calculator.

Deadlines come from tracker.rti (the engine and the lifecycle); these views
only choose what to show.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from ..catalogue.filters import RTIRequestFilter
from ..catalogue.selectors.details import rti_request_detail
from ..catalogue.selectors.rows import rti_request_rows
from ..catalogue.visibility import public_or_none
from ..middleware import public_page
from ..models import RTIOutcome, RTIRequest, RTIStatus
from ..rti.forms import DeadlineQueryForm
from ..rti.lifecycle import event_sort_key, rti_request_schedule
from ..rti.statistics import exemption_sections
from .details import _detail
from .lists import EntityList, Facet, entity_list

RTI_REQUESTS = EntityList(
    filterset_class=RTIRequestFilter,
    rows=rti_request_rows,
    template="tracker/rti_list.html",
    title=_("RTI requests"),
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
    facets=RTI_REQUESTS.facets,
    sort_options=(
        ("overdue_since", _("Longest overdue first")),
        ("-overdue_since", _("Most recently overdue first")),
    ),
)


@require_safe
@public_page
def rti_list(request):
    return entity_list(request, RTI_REQUESTS, extra={"now": timezone.now()})


@require_safe
@public_page
def rti_overdue(request):
    """The requests whose authority owes a decision past its deadline, longest first."""
    params = request.GET.copy()
    params["overdue"] = "true"
    params.setdefault("ordering", "overdue_since")
    return entity_list(
        request, OVERDUE, params=params, extra={"now": timezone.now(), "overdue_view": True}
    )


@dataclass
class TimelineEntry:
    day: date
    kind: str  # "event" or "deadline"
    label: str
    moment: datetime | None = None
    note: str = ""
    section: str = ""
    state: str = ""
    state_label: str = ""
    attachment: object = None
    sort_rank: int = 0


def rti_timeline(rti_request, events, schedule):
    """What happened and what is due, in date order (a deadline after the events of its day)."""
    entries = [
        TimelineEntry(
            e.date,
            "event",
            e.get_kind_display(),
            note=e.note,
            attachment=e.attachment or None,
            sort_rank=event_sort_key(e.kind, e.date, e.pk)[1],
        )
        for e in events
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


def _rti_extra(rti_request):
    events = list(rti_request.events.all())
    schedule = rti_request_schedule(rti_request, events=events)
    return {
        "authority": public_or_none(rti_request.authority),
        "schedule": schedule,
        "timeline": rti_timeline(rti_request, events, schedule),
        "documents": [e for e in events if e.attachment],
        "exemptions": exemption_sections(rti_request.exemption_sections),
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
        extra=_rti_extra,
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
    if asked and form.is_valid():
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
        },
    )
