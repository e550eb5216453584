"""/api/v1/rti/deadlines/: the schedule for given facts, or a 400 naming the parameter."""

import re

import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/rti/deadlines/"


def deadlines(body):
    return {d["key"]: d for d in body["deadlines"]}


def test_the_worked_example_with_sections_and_state(client):
    response = client.get(URL, {"received_on": "2024-01-10", "today": "2024-02-10"})
    assert response.status_code == 200
    body = response.json()
    by_key = deadlines(body)
    assert by_key["decision"]["due"] == "2024-02-09" and by_key["decision"]["section"] == "7(1)"
    assert by_key["decision"]["state"] == "overdue"
    assert by_key["first_appeal"]["due"] == "2024-03-10"
    assert by_key["first_appeal"]["section"] == "19(1)"
    assert body["deemed_refused_from"] == "2024-02-10" and body["deemed_refusal_section"] == "7(2)"
    assert body["deemed_refused"] is True and body["overdue"] is True
    assert body["flags_used"] == [] and body["next_working_day"] is False
    assert body["next_deadline"] == "first_appeal"


def test_next_working_day_moves_a_sunday(client):
    body = client.get(
        URL, {"received_on": "2024-01-10", "next_working_day": "true", "today": "2024-01-11"}
    ).json()
    appeal = deadlines(body)["first_appeal"]
    assert appeal["due"] == "2024-03-11" and appeal["calendar_due"] == "2024-03-10"
    assert body["flags_used"] == ["next_working_day"] and body["overdue"] is False


def test_every_parameter_together(client):
    body = client.get(
        URL,
        {
            "received_on": "2024-01-10",
            "via_apio": "false",
            "third_party": "true",
            "security_org": "0",
            "life_or_liberty": "no",
            "transferred_received_on": "2024-01-12",
            "fee_requested_on": "2024-01-20",
            "fee_paid_on": "2024-01-25",
            "reply_received_on": "2024-02-20",
            "first_appeal_filed_on": "2024-03-01",
            "first_appeal_decided_on": "2024-03-25",
            "today": "2024-04-01",
        },
    ).json()
    by_key = deadlines(body)
    # 40 days (third party) from the transferee's receipt on 12 January, plus 5 days of fee pause.
    assert by_key["decision"]["due"] == "2024-02-26"
    assert by_key["decision"]["section"] == "11(3), 6(3), 7(3)(a)"
    assert by_key["decision"]["state"] == "met"
    assert by_key["transfer"] == {**by_key["transfer"], "due": "2024-01-15", "state": "met"}
    assert by_key["first_appeal_decision"]["due"] == "2024-03-31"
    assert by_key["first_appeal_decision_extended"]["due"] == "2024-04-15"
    assert by_key["second_appeal"]["due"] == "2024-06-23"
    assert body["flags_used"] == ["transferred", "third_party", "fee_pause"]


def test_life_or_liberty_answers_a_time_in_india(client):
    body = client.get(
        URL, {"received_at": "2024-03-01T10:00", "life_or_liberty": "true", "today": "2024-03-02"}
    ).json()
    decision = deadlines(body)["decision"]
    assert decision["due_at"] == "2024-03-03T10:00:00+05:30"
    assert decision["section"] == "7(1) proviso"


@pytest.mark.parametrize(
    "params,field",
    [
        # A reply before receipt.
        ({"received_on": "2024-01-10", "reply_received_on": "2024-01-09"}, "reply_received_on"),
        # A fee paid before it was requested, or never requested.
        (
            {
                "received_on": "2024-01-10",
                "fee_requested_on": "2024-01-20",
                "fee_paid_on": "2024-01-19",
            },
            "fee_paid_on",
        ),
        ({"received_on": "2024-01-10", "fee_paid_on": "2024-01-19"}, "fee_paid_on"),
        # A decision on an appeal that was never filed.
        (
            {"received_on": "2024-01-10", "first_appeal_decided_on": "2024-03-01"},
            "first_appeal_decided_on",
        ),
        # Impossible dates.
        ({"received_on": "2023-02-29"}, "received_on"),
        ({"received_on": "2024-13-01"}, "received_on"),
        ({"received_on": "1999-01-01"}, "received_on"),
        ({"received_at": "2024-03-01T25:00", "life_or_liberty": "true"}, "received_at"),
        # Unknown values and parameters.
        ({"received_on": "2024-01-10", "via_apio": "maybe"}, "via_apio"),
        ({"received_on": "2024-01-10", "recieved_on": "2024-01-10"}, "recieved_on"),
        # Nothing to count from, or two receipts that disagree.
        ({"third_party": "true"}, "received_on"),
        ({"received_on": "2024-01-10", "received_at": "2024-01-11T09:00"}, "received_at"),
        # As the schema states it: no blank parameter, a date written in full, true or false.
        ({"received_on": "2024-01-10", "received_at": ""}, "received_at"),
        ({"received_on": "2024-1-5"}, "received_on"),
        ({"received_on": " 2024-01-10"}, "received_on"),
        ({"received_on": "2024-01-10", "third_party": "True"}, "third_party"),
        ({"received_on": "2024-01-10", "third_party": ""}, "third_party"),
    ],
)
def test_refusals_name_the_parameter(client, params, field):
    response = client.get(URL, params)
    assert response.status_code == 400
    body = response.json()
    assert list(body) == [field]
    assert body[field] and all(isinstance(message, str) for message in body[field])


def test_the_schema_documents_exactly_the_parameters(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/rti/deadlines/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert names == {
        "received_on",
        "received_at",
        "via_apio",
        "life_or_liberty",
        "third_party",
        "transferred_received_on",
        "fee_requested_on",
        "fee_paid_on",
        "reply_received_on",
        "first_appeal_filed_on",
        "first_appeal_decided_on",
        "security_org",
        "next_working_day",
        "today",
    }
    assert all(p["description"] for p in operation["parameters"])


def test_the_schema_states_the_first_and_last_day_and_the_rules_between_parameters(client):
    """The date parameters' pattern admits exactly the days the endpoint takes, and the
    extensions carry the rules between parameters that OpenAPI cannot state."""
    schema = client.get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/rti/deadlines/"]["get"]
    parameters = {p["name"]: p["schema"] for p in operation["parameters"]}
    day = re.compile(parameters["received_on"]["pattern"])
    for value in (
        "2004-12-31",
        "2005-10-11",
        "2005-10-12",
        "2024-02-29",
        "2999-12-31",
        "3000-01-01",
    ):
        accepted = client.get(URL, {"received_on": value, "today": "2024-03-01"}).status_code
        assert (accepted == 200) == bool(day.search(value)), value
    moment = re.compile(parameters["received_at"]["pattern"])
    assert moment.search("2005-10-13T00:00:00Z") and moment.search("2999-12-30T23:59:59-23:59")
    assert not moment.search("2005-10-12T00:00:00+14:00")  # 11 October in India
    assert operation["x-required-one-of"] == [["received_on", "received_at"]]
    assert {"parameter": "fee_paid_on", "not_before": "fee_requested_on"} in operation[
        "x-not-before"
    ]
    assert {"parameter": "fee_paid_on", "requires": "fee_requested_on"} in operation["x-requires"]
