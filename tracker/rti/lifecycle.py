"""The life of an RTI request: events in a valid order, and what follows from them.

A request's recorded status, reply date and due dates are never typed in:
``rti_request_refresh`` derives them from the request's facts and its events
through the deadline engine and stores them. Nothing stored is judged against
today: whether a request is overdue or deemed refused, and its next deadline,
are computed by the database when it is read (``RTIRequestQuerySet.current``).
Every write goes through the services here, in one transaction.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..clock import rti_now, rti_today
from ..models import (
    RTI_WAITING_STATUSES,
    RTIEvent,
    RTIEventKind,
    RTIOutcome,
    RTIRequest,
    RTIRoute,
    RTIStatus,
)
from ..webhooks.events import rti_announce
from .deadlines import RTIFacts, Schedule, rti_schedule
from .holidays import working_calendar
from .laws import RTI_ACT_2005

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
WAITING = set(RTI_WAITING_STATUSES)
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
# Everything but filing, withdrawing and closing happens once the authority has the request.
BEFORE_RECEIPT_ALLOWED = {K.FILED, K.WITHDRAWN, K.CLOSED}
MAY_BE_FUTURE = {K.HEARING}
# Orders after which the PIO may send a reply that differs from the first one.
ORDERS = {K.FIRST_APPEAL_DECIDED, K.COMMISSION_DECIDED}


def event_sort_key(kind, day, tiebreak=0):
    return (day, EVENT_ORDER.get(kind, len(EVENT_ORDER)), tiebreak)


def rti_event_problems(*, filed_on, received_on, events, today):
    """Events that cannot have happened as recorded: ``[(index, field, message)]``.

    ``events`` is a sequence of ``(kind, date)`` or ``(kind, date, outcome)``; each
    index refers to it, and ``field`` names the event's field that is wrong
    ("date", or "outcome" for a reply that contradicts an earlier one). Pure.
    """
    events = [(*event, "")[:3] for event in events]
    order = sorted(range(len(events)), key=lambda i: event_sort_key(*events[i][:2], i))
    problems = []
    seen = {}  # kind -> earliest date
    filed = filed_on or received_on
    ended = None  # WITHDRAWN or CLOSED once seen
    reply = None  # (date, outcome) of the reply in force
    for i in order:
        kind, day, outcome = events[i]
        field, problem = "date", None
        if day > today and kind not in MAY_BE_FUTURE:
            problem = _("This date is in the future.")
        elif kind == K.FILED:
            if K.FILED in seen:
                problem = _("The request was already recorded as filed.")
            elif filed_on and day != filed_on:
                problem = _("The filing date differs from the request's “filed on” date.")
        elif filed is None or day < filed:
            problem = _("Nothing can happen before the request is filed: record the filing first.")
        elif kind not in BEFORE_RECEIPT_ALLOWED and received_on and day < received_on:
            problem = _("This is before the authority received the request.")
        elif kind in NEEDS and not NEEDS[kind][0] & seen.keys():
            problem = _(NEEDS[kind][1])
        elif kind == K.REPLY_RECEIVED and reply and outcome and reply[1] and outcome != reply[1]:
            field = "outcome"
            problem = _(
                "The reply of %(date)s was recorded as “%(first)s”: a second reply cannot say "
                "“%(second)s” unless an appeal order came in between. Correct the first reply, "
                "or record the order first."
            ) % {
                "date": reply[0].isoformat(),
                "first": RTIOutcome(reply[1]).label,
                "second": RTIOutcome(outcome).label,
            }
        if problem is None and ended is not None:
            if ended == K.CLOSED or kind != K.CLOSED:
                problem = _("The request was already withdrawn or closed.")
        if problem:
            problems.append((i, field, problem))
            continue
        seen.setdefault(kind, day)
        if kind == K.FILED:
            filed = day
        if kind in (K.WITHDRAWN, K.CLOSED):
            ended = kind
        if kind == K.REPLY_RECEIVED:
            reply = (day, outcome or (reply[1] if reply else ""))
        if kind in ORDERS:
            reply = None
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


def rti_recorded_status(rti_request: RTIRequest, events) -> str:
    """The status the events give, before the clock has its say (a waiting request
    becomes "deemed refused" only at read time: ``RTIRequestQuerySet.current``)."""
    ordered = sorted(events, key=lambda e: event_sort_key(e.kind, e.date, e.pk or 0))
    if ordered:
        status = STATUS_AFTER[ordered[-1].kind]
        if status == RTIStatus.REPLY_RECEIVED:
            status = REPLY_STATUS.get(rti_request.outcome, status)
        return status
    if rti_request.filed_on or rti_request.received_on or rti_request.received_at:
        return RTIStatus.FILED
    return RTIStatus.DRAFT


def rti_status(rti_request: RTIRequest, events, schedule: Schedule) -> str:
    """The current status as of the schedule's day: the Python twin of the database's
    ``status`` column, for a request that is not read through ``RTIRequest.objects``."""
    status = rti_recorded_status(rti_request, events)
    if status in WAITING and schedule.deemed_refused:
        return RTIStatus.DEEMED_REFUSED
    return status


def _calendar():
    return working_calendar() if settings.RTI_NEXT_WORKING_DAY else None


def rti_request_schedule(rti_request: RTIRequest, *, events=None, now=None, today=None):
    """The request's deadlines judged as of ``now`` (default: the RTI clock), or as of the
    India date ``today``, with the site's working-day option."""
    events = list(rti_request.events.all()) if events is None else list(events)
    if today is None:
        now = now or rti_now()
        today = rti_today(now=now)
    return rti_schedule(rti_facts(rti_request, events), today=today, now=now, calendar=_calendar())


def _due(schedule, key):
    deadline = schedule.get(key)
    return deadline.due if deadline else None


def rti_request_derived(rti_request: RTIRequest, *, events=None) -> dict:
    """The stored columns: what the facts and events fix, none of it judged against today."""
    if events is None:
        events = list(RTIEvent.objects.filter(rti_request_id=rti_request.pk))
    events = [e for e in events if e.is_recorded]
    facts = rti_facts(rti_request, events)
    # Only the dates are read: the day given to judge them by does not matter.
    schedule = rti_schedule(facts, today=date.min, calendar=_calendar())
    decision = schedule.get("decision")
    return {
        "recorded_status": rti_recorded_status(rti_request, events),
        "decision_due_on": decision.due if decision else None,
        "deemed_refused_from": _moment(schedule.deemed_refused_from),
        "replied_on": facts.reply_received_on,
        "first_appeal_due_on": _due(schedule, "first_appeal"),
        "first_appeal_filed_on": facts.first_appeal_filed_on,
        "first_appeal_decision_due_on": _due(schedule, "first_appeal_decision"),
        "first_appeal_decision_latest_on": _due(schedule, "first_appeal_decision_extended"),
        "first_appeal_decided_on": facts.first_appeal_decided_on,
        "second_appeal_due_on": _due(schedule, "second_appeal"),
        "second_appeal_filed_on": facts.second_appeal_filed_on,
        "closed_on": facts.closed_on,
        "overdue_since": schedule.overdue_since,
    }


def _moment(value):
    """A deemed refusal's first moment: a date starts at midnight in India."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.combine(value, time.min, tzinfo=ZoneInfo(RTI_ACT_2005.time_zone))


def rti_request_refresh(*, rti_request: RTIRequest, reason="", event=None, today=None) -> bool:
    """Store the derived dates; save (and add history) only if they changed. Webhooks
    hear of ``event`` (one that now counts), with the status as of ``today``."""
    derived = rti_request_derived(rti_request)
    changed = [name for name, value in derived.items() if getattr(rti_request, name) != value]
    if changed:
        if reason or "recorded_status" in changed:
            rti_request._change_reason = reason or _("Status follows from the recorded events")
        rti_request.save(update_fields=[*changed, "updated_at"])
    if event is not None:
        rti_event_announce(rti_request=rti_request, event=event, today=today)
    return bool(changed)


def rti_event_announce(*, rti_request: RTIRequest, event: RTIEvent, today=None) -> None:
    """Tell webhooks of an event that now counts, with the status it leaves as of ``today``
    (default: today in India)."""
    events = list(RTIEvent.objects.filter(rti_request_id=rti_request.pk))
    schedule = rti_request_schedule(rti_request, events=events, today=today)
    rti_announce(
        rti_request=rti_request, event=event, status=rti_status(rti_request, events, schedule)
    )


# What each kind of event may carry besides its date and note.
EVENT_DETAILS = {
    K.FEE_REQUESTED: {"amount"},
    K.FEE_PAID: {"amount"},
    K.REPLY_RECEIVED: {"outcome", "exemption_sections"},
}


def rti_event_validate(*, rti_request: RTIRequest, event: RTIEvent, today=None) -> None:
    """Raise ValidationError naming the field if ``event`` (unsaved, or proposed) does not
    fit the request's recorded story; its details are cleaned in place. For forms: the
    services check again under a lock."""
    _event_checked(rti_request, event, today=today or rti_today())


def _event_checked(rti_request, event, *, today):
    """Raise ValidationError naming the field if ``event`` does not fit the request's
    recorded story (the request row is locked by the caller)."""
    if event.kind not in K.values:
        raise ValidationError({"kind": _("Unknown event.")})
    allowed = EVENT_DETAILS.get(event.kind, set())
    if event.kind == K.REPLY_RECEIVED and not event.outcome:
        raise ValidationError({"outcome": _("Say what the reply decided.")})
    if "amount" not in allowed:
        event.amount = None
    if "outcome" not in allowed:
        event.outcome = ""
    if "exemption_sections" not in allowed or event.outcome not in (
        RTIOutcome.REFUSED,
        RTIOutcome.PARTIALLY_GRANTED,
    ):
        event.exemption_sections = ""
    if event.amount is not None and event.amount < 0:
        raise ValidationError({"amount": _("An amount cannot be negative.")})
    existing = [e for e in RTIEvent.objects.filter(rti_request=rti_request) if e.pk != event.pk]
    rows = [(e.kind, e.date, e.outcome) for e in existing] + [
        (event.kind, event.date, event.outcome)
    ]
    problems = rti_event_problems(
        filed_on=rti_request.filed_on,
        received_on=rti_request.received_on,
        events=rows,
        today=today,
    )
    errors = {}
    for _index, field, message in problems:
        errors.setdefault(field, []).append(message)
    if errors:
        raise ValidationError(errors)
    event.full_clean(exclude=["rti_request", "recorded_by"])


def _event_applied(rti_request, event, *, today):
    """What a recorded event changes on the request itself, then its derived dates; then
    webhooks hear of it."""
    fields = []
    if event.kind == K.FILED and rti_request.filed_on is None:
        rti_request.filed_on = event.date
        fields.append("filed_on")
    if event.kind == K.REPLY_RECEIVED and event.outcome:
        latest = (
            RTIEvent.objects.filter(rti_request=rti_request, kind=K.REPLY_RECEIVED)
            .exclude(outcome="")
            .order_by("-date", "-id")
            .first()
        )
        if latest is not None:
            rti_request.outcome = latest.outcome
            rti_request.exemption_sections = latest.exemption_sections
            fields += ["outcome", "exemption_sections"]
    if fields:
        rti_request._change_reason = _("Event recorded: %(event)s") % {
            "event": event.get_kind_display()
        }
        rti_request.save(update_fields=[*fields, "updated_at"])
        rti_event_announce(rti_request=rti_request, event=event, today=today)
    else:
        rti_request_refresh(rti_request=rti_request, event=event, today=today)


@transaction.atomic
def rti_event_record(
    *,
    rti_request: RTIRequest,
    kind: str,
    day: date,
    note="",
    outcome="",
    exemption_sections="",
    amount=None,
    documents=(),
    by=None,
    proposed=False,
    today=None,
) -> RTIEvent:
    """Add an event if it fits the request's story; raise ValidationError naming the
    field if not, storing nothing.

    A moderator's event (``proposed=False``) counts at once; a volunteer's is stored
    as proposed, checked against the story as it stands, and counts only when a
    moderator accepts it (``rti_event_accept``). ``documents`` are uploaded files,
    kept private until a moderator publishes them (``tracker.rti.documents``).
    """
    from .documents import rti_documents_attach

    today = today or rti_today()
    rti_request = RTIRequest.objects.select_for_update().get(pk=rti_request.pk)
    event = RTIEvent(
        rti_request=rti_request,
        kind=kind,
        date=day,
        note=note,
        outcome=outcome or "",
        exemption_sections=exemption_sections or "",
        amount=amount,
        proposed=proposed,
        recorded_by=by,
    )
    _event_checked(rti_request, event, today=today)
    event.save()
    rti_documents_attach(rti_request=rti_request, event=event, files=documents, by=by)
    if not proposed:
        _event_applied(rti_request, event, today=today)
    return event


@transaction.atomic
def rti_event_accept(*, event: RTIEvent, today=None) -> RTIEvent:
    """A moderator accepts a proposed event: checked again against the story as it
    stands now (other events may have come since), then it counts."""
    today = today or rti_today()
    rti_request = RTIRequest.objects.select_for_update().get(pk=event.rti_request_id)
    event = RTIEvent.proposals.select_for_update().get(pk=event.pk)
    _event_checked(rti_request, event, today=today)
    event.proposed = False
    event.save(update_fields=["proposed", "outcome", "exemption_sections", "amount"])
    _event_applied(rti_request, event, today=today)
    return event


@transaction.atomic
def rti_event_discard(*, event: RTIEvent) -> None:
    """A proposed event that was not accepted goes, with its documents (never published)."""
    event = RTIEvent.proposals.select_for_update().filter(pk=event.pk).first()
    if event is None:
        return
    for document in event.documents.all():
        document.file.delete(save=False)
        document.redacted_file.delete(save=False)
        document.delete()
    event.delete()


def rti_time_key(*, now: datetime | None = None) -> str:
    """What a cached answer about RTI requests depends on besides the stored data: the
    day in India, and the latest stored moment (an overdue deadline, a refusal that
    began) already behind us. It changes exactly when some request's current state can
    change, so a cached page is never stale across a deadline. Two index lookups."""
    now = now or rti_now()
    rows = RTIRequest._base_manager.order_by()
    latest = [
        rows.filter(**{f"{name}__lte": now}).order_by(f"-{name}").values_list(name, flat=True)[:1]
        for name in ("overdue_since", "deemed_refused_from")
    ]
    moments = [next(iter(found), None) for found in latest]
    return "|".join(
        [rti_today(now=now).isoformat(), *(m.isoformat() if m else "-" for m in moments)]
    )
