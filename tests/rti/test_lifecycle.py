"""The lifecycle: events that cannot have happened are refused; status and deadlines follow
from the events, never from a hand-typed status."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from tests.support.data import rti_with_events
from tracker.models import RTIEvent, RTIStatus
from tracker.rti.lifecycle import rti_event_problems, rti_event_record

D = date.fromisoformat
IST = ZoneInfo("Asia/Kolkata")
TODAY = D("2026-01-01")


@pytest.mark.parametrize(
    "filed_on,received_on,events,refused",
    [
        # No reply before filing, nor before receipt.
        (D("2024-01-10"), None, [("reply_received", D("2024-01-09"))], 0),
        (None, None, [("reply_received", D("2024-01-09"))], 0),
        (D("2024-01-08"), D("2024-01-10"), [("reply_received", D("2024-01-09"))], 0),
        # No appeal decision before the appeal, nor without one.
        (
            D("2024-01-10"),
            None,
            [("first_appeal_decided", D("2024-03-01")), ("first_appeal_filed", D("2024-03-05"))],
            0,
        ),
        (D("2024-01-10"), None, [("first_appeal_decided", D("2024-03-01"))], 0),
        # A fee paid that was never asked for.
        (D("2024-01-10"), None, [("fee_paid", D("2024-01-20"))], 0),
        # A second appeal without a first; a hearing or a Commission decision without either.
        (D("2024-01-10"), None, [("second_appeal_filed", D("2024-06-01"))], 0),
        (D("2024-01-10"), None, [("commission_decided", D("2024-06-01"))], 0),
        (D("2024-01-10"), None, [("hearing", D("2024-06-01"))], 0),
        # Filed twice; filed on another day than the request says.
        (None, None, [("filed", D("2024-01-10")), ("filed", D("2024-01-11"))], 1),
        (D("2024-01-10"), None, [("filed", D("2024-01-11"))], 0),
        # Nothing after closing; only closing after withdrawal.
        (
            D("2024-01-10"),
            None,
            [("closed", D("2024-02-01")), ("reply_received", D("2024-02-05"))],
            1,
        ),
        (
            D("2024-01-10"),
            None,
            [("withdrawn", D("2024-01-20")), ("first_appeal_filed", D("2024-03-01"))],
            1,
        ),
        # Something that has not happened yet (a hearing may be scheduled ahead).
        (D("2024-01-10"), None, [("reply_received", D("2026-02-01"))], 0),
    ],
)
def test_events_that_must_be_refused(filed_on, received_on, events, refused):
    problems = rti_event_problems(
        filed_on=filed_on, received_on=received_on, events=events, today=TODAY
    )
    assert [index for index, _field, _message in problems] == [refused]


def test_a_plausible_story_passes_in_any_order_of_entry():
    events = [
        ("first_appeal_decided", D("2024-04-01")),
        ("filed", D("2024-01-10")),
        ("reply_received", D("2024-02-01")),
        ("first_appeal_filed", D("2024-03-01")),
        ("second_appeal_filed", D("2024-05-01")),
        ("hearing", D("2026-03-01")),
        ("withdrawn", D("2024-06-01")),
        ("closed", D("2024-06-01")),
    ]
    assert rti_event_problems(filed_on=None, received_on=None, events=events, today=TODAY) == [
        (5, "date", "The request was already withdrawn or closed.")
    ]
    assert rti_event_problems(filed_on=None, received_on=None, events=events[:6], today=TODAY) == []


@pytest.mark.django_db
def test_the_service_refuses_and_changes_nothing():
    rti_request = rti_with_events(("filed", "2024-01-10"), route="online")
    with pytest.raises(ValidationError) as error:
        rti_event_record(
            rti_request=rti_request, kind="first_appeal_decided", day=D("2024-03-01"), today=TODAY
        )
    assert "date" in error.value.message_dict
    assert list(RTIEvent.objects.values_list("kind", flat=True)) == ["filed"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "events,outcome,status,overdue",
    [
        ([], "", RTIStatus.DRAFT, False),
        ([("filed", "2025-12-20")], "", RTIStatus.FILED, False),
        ([("filed", "2024-01-10")], "", RTIStatus.DEEMED_REFUSED, True),
        (
            [("filed", "2024-01-10"), ("reply_received", "2024-02-01")],
            "not_held",
            RTIStatus.REPLY_RECEIVED,
            False,
        ),
        (
            [("filed", "2024-01-10"), ("reply_received", "2024-02-01")],
            "refused",
            RTIStatus.REFUSED,
            False,
        ),
        (
            [("filed", "2024-01-10"), ("fee_requested", "2024-01-20")],
            "",
            RTIStatus.FEE_REQUESTED,
            False,
        ),
        (
            [("filed", "2024-01-10"), ("fee_requested", "2024-01-20"), ("fee_paid", "2024-01-25")],
            "",
            RTIStatus.DEEMED_REFUSED,
            True,
        ),
        (
            [("filed", "2024-01-10"), ("first_appeal_filed", "2024-03-01")],
            "",
            RTIStatus.FIRST_APPEAL_FILED,
            True,  # the appellate authority's 30 days are over too
        ),
        ([("filed", "2024-01-10"), ("withdrawn", "2024-01-20")], "", RTIStatus.WITHDRAWN, False),
    ],
)
def test_status_and_overdue_follow_from_the_events(events, outcome, status, overdue):
    events = [
        (*event, outcome) if event[0] == "reply_received" and outcome else event for event in events
    ]
    rti_request = rti_with_events(*events, route="online")
    assert rti_request.status == status
    since = rti_request.overdue_since
    assert (since is not None and since <= datetime(2026, 1, 1, tzinfo=IST)) == overdue


@pytest.mark.django_db
def test_derived_columns_and_history():
    """The stored columns are what the events fix; history records the events, and no
    row is ever written because a day passed."""
    rti_request = rti_with_events(
        ("filed", "2024-01-10"), ("reply_received", "2024-02-20"), route="online"
    )
    assert rti_request.filed_on == D("2024-01-10")
    assert rti_request.decision_due_on == D("2024-02-09")
    assert rti_request.deemed_refused_from == datetime(2024, 2, 10, tzinfo=IST)
    assert rti_request.replied_on == D("2024-02-20")
    assert rti_request.first_appeal_due_on == D("2024-03-21")
    assert rti_request.recorded_status == RTIStatus.GRANTED
    assert rti_request.overdue_since is None
    reasons = [h.history_change_reason for h in rti_request.history.all()]
    assert "Event recorded: Reply received" in reasons
    assert not any("statutory period" in (reason or "") for reason in reasons)


@pytest.mark.django_db
def test_admin_refuses_an_appeal_decision_before_the_appeal(admin_client):
    rti_request = rti_with_events(("filed", "2024-01-10"), route="online")
    url = f"/admin/tracker/rtirequest/{rti_request.pk}/change/"
    page = admin_client.get(url)
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, (list, tuple)) and name != "attachment"
    }
    data.update(
        {
            "title": rti_request.title,
            "authority": rti_request.authority_id,
            "publication": rti_request.publication,
            "filed_on": "2024-01-10",
            "events-TOTAL_FORMS": "2",
            "events-INITIAL_FORMS": "1",
            "events-0-id": rti_request.events.get().pk,
            "events-0-rti_request": rti_request.pk,
            "events-0-kind": "filed",
            "events-0-date": "2024-01-10",
            "events-1-rti_request": rti_request.pk,
            "events-1-kind": "first_appeal_decided",
            "events-1-date": "2024-03-01",
            "citations-TOTAL_FORMS": "0",
            "citations-INITIAL_FORMS": "0",
        }
    )
    data.pop("owner", None)
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "A first appeal can only be decided after it was filed." in response.content.decode()
    assert rti_request.events.count() == 1


@pytest.mark.django_db
def test_stored_flags_feed_the_engine():
    """The security-organisation rule is live through the model's field; a stored
    life-or-liberty request is due 48 hours after its receipt, in India's time."""
    security = rti_with_events(("filed", "2024-01-10"), route="online", security_org=True)
    assert security.decision_due_on == D("2024-02-24")
    noticed = rti_with_events(
        ("filed", "2024-01-10"), ("third_party_notice", "2024-01-14"), route="online"
    )
    assert noticed.decision_due_on == D("2024-02-19")  # 40 days, s.11(3)
    urgent = rti_with_events(
        life_or_liberty=True,
        received_on=D("2024-03-02"),
        received_at=datetime(2024, 3, 1, 20, 0, tzinfo=ZoneInfo("UTC")),  # 01:30 on 2 March, IST
    )
    assert urgent.decision_due_on == D("2024-03-04")
    assert urgent.overdue_since == datetime(2024, 3, 4, 1, 30, tzinfo=IST)
    assert urgent.status == RTIStatus.DEEMED_REFUSED
