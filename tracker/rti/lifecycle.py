"""The life of an RTI request: events in a valid order, and what follows from them.

A request's status, decision deadline, reply date and overdue state are never
typed in: ``rti_request_refresh`` derives them from the request's facts and its
events through the deadline engine and stores them (lists and statistics filter
on them in SQL). Every write goes through the services here, in one transaction.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..models import RTIEvent, RTIEventKind, RTIOutcome, RTIRequest, RTIRoute, RTIStatus
from ..webhooks.events import rti_announce
from .deadlines import RTIFacts, Schedule, rti_schedule
from .holidays import working_calendar
from .laws import law_today

K = RTIEventKind
EVENT_ORDER = {kind: rank for rank, kind in enumerate(K.values)}

STATUS_AFTER = {
    K.FILED: RTIStatus.FILED,
    K.TRANSFERRED: RTIStatus.TRANSFERRED,
    K.THIRD_PARTY_NOTICE: RTIStatus.THIRD_PARTY_NOTICE,
    K.FEE_REQUESTED: RTIStatus.FEE_REQUESTED,
    K.FEE_PAID: RTIStatus.FEE_PAID,
    K.REPLY_RECEIVED: RTIStatus.REPLY_RECEIVED,
    K.FIRST_APPEAL_FILED: RTIStatus.FIRST_APPEAL_FILED,
    K.FIRST_APPEAL_DECIDED: RTIStatus.FIRST_APPEAL_DECIDED,
    K.SECOND_APPEAL_FILED: RTIStatus.SECOND_APPEAL_FILED,
    K.HEARING: RTIStatus.HEARING_SCHEDULED,
    K.COMMISSION_DECIDED: RTIStatus.COMMISSION_DECIDED,
    K.COMPLAINT: RTIStatus.COMPLAINT_FILED,
    K.WITHDRAWN: RTIStatus.WITHDRAWN,
    K.CLOSED: RTIStatus.CLOSED,
}
REPLY_STATUS = {
    RTIOutcome.GRANTED: RTIStatus.GRANTED,
    RTIOutcome.PARTIALLY_GRANTED: RTIStatus.PARTIALLY_GRANTED,
    RTIOutcome.REFUSED: RTIStatus.REFUSED,
}
# Waiting for the PIO: these become "deemed refused" when the deadline passes (s.7(2)).
WAITING = {
    RTIStatus.FILED,
    RTIStatus.TRANSFERRED,
    RTIStatus.THIRD_PARTY_NOTICE,
    RTIStatus.FEE_PAID,
}
FINAL = {RTIStatus.WITHDRAWN, RTIStatus.CLOSED}
# What must have happened, on or before the same date, for an event to make sense.
NEEDS = {
    K.FEE_PAID: ({K.FEE_REQUESTED}, gettext_noop("A fee can only be paid after it was asked for.")),
    K.FIRST_APPEAL_DECIDED: (
        {K.FIRST_APPEAL_FILED},
        gettext_noop("A first appeal can only be decided after it was filed."),
    ),
    K.SECOND_APPEAL_FILED: (
        {K.FIRST_APPEAL_FILED},
        gettext_noop("A second appeal lies only after a first appeal (s.19(3))."),
    ),
    K.HEARING: (
        {K.SECOND_APPEAL_FILED, K.COMPLAINT},
        gettext_noop("A hearing needs a second appeal or a complaint before the Commission."),
    ),
    K.COMMISSION_DECIDED: (
        {K.SECOND_APPEAL_FILED, K.COMPLAINT},
        gettext_noop("The Commission decides only on a second appeal or a complaint."),
    ),
}
AFTER_RECEIPT = {K.TRANSFERRED, K.THIRD_PARTY_NOTICE, K.FEE_REQUESTED, K.REPLY_RECEIVED}
MAY_BE_FUTURE = {K.HEARING}


def event_sort_key(kind, day, tiebreak=0):
    return (day, EVENT_ORDER.get(kind, len(EVENT_ORDER)), tiebreak)


def rti_event_problems(*, filed_on, received_on, events, today):
    """Events that cannot have happened as recorded: ``[(index, message)]``.

    ``events`` is a sequence of ``(kind, date)``; each index refers to it. Pure.
    """
    order = sorted(range(len(events)), key=lambda i: event_sort_key(*events[i], i))
    problems = []
    seen = {}  # kind -> earliest date
    filed = filed_on or received_on
    ended = None  # WITHDRAWN or CLOSED once seen
    for i in order:
        kind, day = events[i]
        problem = None
        if day > today and kind not in MAY_BE_FUTURE:
            problem = _("This date is in the future.")
        elif kind == K.FILED:
            if K.FILED in seen:
                problem = _("The request was already recorded as filed.")
            elif filed_on and day != filed_on:
                problem = _("The filing date differs from the request's “filed on” date.")
        elif filed is None or day < filed:
            problem = _("Nothing can happen before the request is filed: record the filing first.")
        elif kind in AFTER_RECEIPT and received_on and day < received_on:
            problem = _("This is before the authority received the request.")
        elif kind in NEEDS and not NEEDS[kind][0] & seen.keys():
            problem = _(NEEDS[kind][1])
        if problem is None and ended is not None:
            if ended == K.CLOSED or kind != K.CLOSED:
                problem = _("The request was already withdrawn or closed.")
        if problem:
            problems.append((i, problem))
            continue
        seen.setdefault(kind, day)
        if kind == K.FILED:
            filed = day
        if kind in (K.WITHDRAWN, K.CLOSED):
            ended = kind
    return sorted(problems)


def _first(events, kind, *, on_or_after=None):
    days = [
        e.date for e in events if e.kind == kind and (on_or_after is None or e.date >= on_or_after)
    ]
    return min(days, default=None)


def rti_facts(rti_request: RTIRequest, events) -> RTIFacts:
    """What the engine needs, from the request's fields and its events."""
    filed_on = rti_request.filed_on or _first(events, K.FILED)
    received_on = rti_request.received_on
    if received_on is None and rti_request.route in (RTIRoute.ONLINE, RTIRoute.IN_PERSON):
        received_on = filed_on  # an online or hand-delivered request arrives the day it is filed
    transfers = [e.date for e in events if e.kind == K.TRANSFERRED]
    fee_requested_on = _first(events, K.FEE_REQUESTED)
    closed = [d for d in (_first(events, K.WITHDRAWN), _first(events, K.CLOSED)) if d]
    return RTIFacts(
        received_on=received_on,
        received_at=rti_request.received_at,
        via_apio=rti_request.route == RTIRoute.APIO,
        life_or_liberty=rti_request.life_or_liberty,
        # A notice to a third party (s.11(1)) brings the 40 days of s.11(3).
        third_party=rti_request.third_party or _first(events, K.THIRD_PARTY_NOTICE) is not None,
        security_org=rti_request.security_org,
        transferred_received_on=max(transfers, default=None),
        fee_requested_on=fee_requested_on,
        fee_paid_on=fee_requested_on and _first(events, K.FEE_PAID, on_or_after=fee_requested_on),
        reply_received_on=_first(events, K.REPLY_RECEIVED),
        first_appeal_filed_on=_first(events, K.FIRST_APPEAL_FILED),
        first_appeal_decided_on=_first(events, K.FIRST_APPEAL_DECIDED),
        second_appeal_filed_on=_first(events, K.SECOND_APPEAL_FILED),
        closed_on=min(closed, default=None),
    )


def rti_status(rti_request: RTIRequest, events, schedule: Schedule) -> str:
    """The current status, from the last event and, while waiting, the deadline."""
    ordered = sorted(events, key=lambda e: event_sort_key(e.kind, e.date, e.pk or 0))
    if ordered:
        status = STATUS_AFTER[ordered[-1].kind]
        if status == RTIStatus.REPLY_RECEIVED:
            status = REPLY_STATUS.get(rti_request.outcome, status)
    elif rti_request.filed_on or rti_request.received_on or rti_request.received_at:
        status = RTIStatus.FILED
    else:
        return RTIStatus.DRAFT
    if status in WAITING and schedule.deemed_refused:
        return RTIStatus.DEEMED_REFUSED
    return status


def rti_request_schedule(rti_request: RTIRequest, *, events=None, today=None, now=None):
    """The request's deadlines as of today (Asia/Kolkata), with the site's working-day option."""
    events = list(rti_request.events.all()) if events is None else list(events)
    now = now or timezone.now()
    today = today or law_today(now=now)
    calendar = working_calendar() if settings.RTI_NEXT_WORKING_DAY else None
    return rti_schedule(rti_facts(rti_request, events), today=today, now=now, calendar=calendar)


def rti_request_derived(rti_request: RTIRequest, *, events=None, today=None, now=None) -> dict:
    """The stored columns that follow from the facts and events."""
    events = list(rti_request.events.all()) if events is None else list(events)
    schedule = rti_request_schedule(rti_request, events=events, today=today, now=now)
    decision = schedule.get("decision")
    return {
        "status": rti_status(rti_request, events, schedule),
        "decision_due_on": decision.due if decision else None,
        "replied_on": _first(events, K.REPLY_RECEIVED),
        "overdue_since": schedule.overdue_since,
    }


def rti_request_refresh(
    *, rti_request: RTIRequest, today: date | None = None, reason="", event=None
) -> bool:
    """Store the derived status and deadlines; save (and add history) only if they changed.

    Webhooks hear of ``event`` (one just recorded) or, without one, of a status that
    changed with the calendar (deemed refused).
    """
    derived = rti_request_derived(rti_request, today=today)
    changed = [name for name, value in derived.items() if getattr(rti_request, name) != value]
    if not changed:
        if event is not None:
            rti_announce(rti_request=rti_request, event=event)
        return False
    for name in changed:
        setattr(rti_request, name, derived[name])
    if "status" in changed:
        if derived["status"] == RTIStatus.DEEMED_REFUSED:
            reason = _("No decision within the statutory period (RTI Act s.7(2))")
        rti_request._change_reason = reason or _("Status follows from the recorded events")
    rti_request.save(update_fields=[*changed, "updated_at"])
    if event is not None or "status" in changed:
        rti_announce(rti_request=rti_request, event=event)
    return True


@transaction.atomic
def rti_event_record(
    *, rti_request: RTIRequest, kind: str, day: date, note="", attachment=None, today=None
) -> RTIEvent:
    """Add an event if it fits the request's story; raise ValidationError if not."""
    today = today or law_today()
    if kind not in K.values:
        raise ValidationError({"kind": _("Unknown event.")})
    rti_request = RTIRequest.objects.select_for_update().get(pk=rti_request.pk)
    existing = list(rti_request.events.all())
    pairs = [(e.kind, e.date) for e in existing] + [(kind, day)]
    problems = rti_event_problems(
        filed_on=rti_request.filed_on,
        received_on=rti_request.received_on,
        events=pairs,
        today=today,
    )
    if problems:
        raise ValidationError({"date": [message for _index, message in problems]})
    event = RTIEvent(rti_request=rti_request, kind=kind, date=day, note=note)
    if attachment is not None:
        event.attachment = attachment
    event.full_clean()
    event.save()
    if kind == K.FILED and rti_request.filed_on is None:
        rti_request.filed_on = day
        rti_request.save(update_fields=["filed_on", "updated_at"])
    rti_request_refresh(rti_request=rti_request, today=today, event=event)
    return event
