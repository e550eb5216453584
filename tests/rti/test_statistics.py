"""An authority's RTI figures, on a small set worked out by hand."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.factories import AgencyFactory
from tests.support.data import rti_with_events
from tracker.models import Publication
from tracker.rti.statistics import exemption_sections, rti_authority_figures

D = date.fromisoformat
TODAY = D("2024-06-01")


def row(received, due, replied=None, outcome="", sections=""):
    return {
        "authority_id": 1,
        "received_on": D(received),
        "filed_on": None,
        "decision_due_on": D(due),
        "replied_on": D(replied) if replied else None,
        "outcome": outcome,
        "exemption_sections": sections,
        "time_over": D(due) < TODAY,
    }


def test_figures_by_hand():
    rows = [
        row("2024-01-01", "2024-01-31", "2024-01-11"),  # in time, 10 days
        row("2024-02-01", "2024-03-02", "2024-03-02", "refused", "8(1)(j)"),  # in time, 30 days
        row("2024-02-10", "2024-03-11", "2024-04-10", "partially_granted", "s. 8 (1)(j), 8(1)(g)"),
        row("2024-03-01", "2024-03-31"),  # no reply: deemed refused
        row("2024-05-20", "2024-06-19"),  # deadline not passed: not counted
        row("2024-05-02", "2024-06-01", "2024-05-10"),  # due today: not yet counted
    ]
    assert rti_authority_figures(rows, today=TODAY) == {
        "as_of": "2024-06-01",
        "requests_due": 4,
        "answered_in_time": 2,
        "answered_late": 1,
        "deemed_refused": 1,
        "median_days_to_reply": 30,  # 10, 30 and 60 days
        "refusals_by_section": [
            {"section": "8(1)(j)", "count": 2},
            {"section": "8(1)(g)", "count": 1},
        ],
    }


def test_no_request_due_gives_empty_figures():
    figures = rti_authority_figures([row("2024-05-20", "2024-06-19")], today=TODAY)
    assert figures["requests_due"] == 0 and figures["median_days_to_reply"] is None


@pytest.mark.parametrize(
    "text,sections",
    [
        ("8(1)(g)", ["8(1)(g)"]),
        ("Section 8 (1) (J); 8(1)(j) and 9", ["8(1)(j)", "9"]),
        ("", []),
    ],
)
def test_exemption_sections_are_read_one_way(text, sections):
    assert exemption_sections(text) == sections


@pytest.mark.django_db
def test_agency_page_api_and_stats_show_the_same_figures(client):
    police = AgencyFactory(name="Figures Police", state_id="IN-DL")
    rti_with_events(("reply_received", "2024-01-20"), authority=police, received_on=D("2024-01-10"))
    rti_with_events(
        ("reply_received", "2024-03-01"),
        authority=police,
        received_on=D("2024-01-10"),
        outcome="refused",
        exemption_sections="8(1)(h)",
    )
    rti_with_events(authority=police, received_on=D("2024-01-10"))
    recent = timezone.localdate() - timedelta(days=5)
    rti_with_events(authority=police, received_on=recent, today=recent)  # not yet due
    rti_with_events(authority=police, received_on=D("2024-01-10"), publication=Publication.DRAFT)

    page = client.get(f"/agencies/{police.pk}-{police.slug}/").content.decode()
    for figure, value in [
        ("requests_due", 3),
        ("answered_in_time", 1),
        ("answered_late", 1),
        ("deemed_refused", 1),
        ("median_days_to_reply", 30.5),  # 10 and 51 days
    ]:
        assert f'data-figure="{figure}">{value}<' in page
    assert "section 8(1)(h): 1 request" in page

    api = client.get(f"/api/v1/agencies/{police.pk}/rti-statistics/").json()
    assert (api["requests_due"], api["answered_late"], api["median_days_to_reply"]) == (3, 1, 30.5)
    assert api["refusals_by_section"] == [{"section": "8(1)(h)", "count": 1}]

    stats = client.get("/stats/").content.decode()
    row = re.search(r"Figures Police</a></th>(.*?)</tr>", stats).group(1)
    assert re.findall(r">([^<]*)</td>", row)[:2] == ["3", "1"]


@pytest.mark.django_db
def test_an_unpublished_authority_is_never_named(client):
    hidden = AgencyFactory(name="Secret Surveillance Cell", publication=Publication.DRAFT)
    rti_with_events(authority=hidden, received_on=D("2024-01-10"))
    assert "Secret Surveillance Cell" not in client.get("/stats/").content.decode()
    assert client.get(f"/api/v1/agencies/{hidden.pk}/rti-statistics/").status_code == 404
