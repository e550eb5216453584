"""The RTI pages: list filters, the overdue view, a request's timeline, the calculator; and
that the demo data gives them something to show."""

import html
import re
from datetime import date

import pytest

from tests.factories import AgencyFactory
from tests.support.data import clock_at, rti_with_events
from tracker.ingest.demo import demo_data_load
from tracker.models import Agency, RTIRequest

pytestmark = pytest.mark.django_db


def row_titles(response):
    assert response.status_code == 200
    return re.findall(
        r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', response.content.decode()
    )


@pytest.fixture
def requests_():
    police = AgencyFactory(name="List Police")
    return {
        "waiting": rti_with_events(
            ("filed", "2024-01-10"), title="Waiting since 2024", authority=police, route="online"
        ),
        "answered": rti_with_events(
            ("filed", "2023-05-01"),
            ("reply_received", "2023-05-20"),
            title="Answered in 2023",
            route="online",
        ),
        "appeal": rti_with_events(
            ("filed", "2024-02-01"),
            ("reply_received", "2024-02-20"),
            ("first_appeal_filed", "2024-03-01"),
            title="Appeal pending",
            route="online",
            outcome="refused",
            exemption_sections="8(1)(j)",
        ),
    }


def test_list_filters_overdue_year_status_and_authority(client, requests_):
    assert sorted(row_titles(client.get("/rti/?overdue=true"))) == [
        "Appeal pending",
        "Waiting since 2024",
    ]
    assert row_titles(client.get("/rti/?overdue=false")) == ["Answered in 2023"]
    assert row_titles(client.get("/rti/?year=2023")) == ["Answered in 2023"]
    assert row_titles(client.get("/rti/?status=deemed_refused")) == ["Waiting since 2024"]
    police = requests_["waiting"].authority
    assert row_titles(client.get(f"/rti/?agency={police.pk}")) == ["Waiting since 2024"]
    page = client.get("/rti/?overdue=maybe")
    assert page.status_code == 200 and "overdue" in page.content.decode()
    assert row_titles(page) == []


def test_overdue_view_longest_first(client, requests_):
    body = client.get("/rti/overdue/").content.decode()
    assert row_titles(client.get("/rti/overdue/")) == ["Waiting since 2024", "Appeal pending"]
    # Each overdue line says whose decision is late.
    assert "The PIO's decision, since 10 Feb 2024" in body
    assert "The first appellate authority's decision, since 1 Apr 2024" in body
    assert "Overdue RTI requests" in body


def test_request_page_timeline_exemptions_and_next_step(client, requests_):
    rti = requests_["appeal"]
    body = client.get(f"/rti/{rti.pk}-{rti.slug}/").content.decode()
    text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))
    # Events and deadlines in date order, each deadline with its section and state.
    order = [
        "1 February 2024 : Filed",
        "20 February 2024 : Reply received",
        "1 March 2024 : First appeal filed",
        "2 March 2024 : Due: The Public Information Officer's decision (section 7(1))",
        "21 March 2024 : Due: The applicant's last day to file a first appeal (section 19(1))"
        " · done in time",
        "31 March 2024 : Due: The first appellate authority's decision (section 19(6)) · overdue",
    ]
    positions = [text.index(item) for item in order]
    assert positions == sorted(positions)
    assert "section 8(1)(j)" in text
    assert "Overdue" in text


def test_calculator_shows_both_dates_and_errors_beside_fields(client):
    body = client.get("/rti/calculator/?received_on=2024-01-10&via_apio=on").content.decode()
    assert 'data-deadline="decision"' in body
    assert '<time datetime="2024-02-14">Wednesday 14 February 2024</time>' in body
    assert "7(1), 5(2) proviso" in body
    assert '<time datetime="2024-03-15">' in body  # first appeal: 14 Feb + 30, a Friday
    bad = client.get("/rti/calculator/?received_on=2024-01-10&fee_paid_on=2024-01-12")
    assert 'id="id_fee_paid_on_error"' in bad.content.decode()
    assert "data-deadline" not in bad.content.decode()
    empty = client.get("/rti/calculator/").content.decode()
    assert "Your deadlines" not in empty and '_error"' not in empty


def test_demo_data_fills_the_overdue_view_and_the_statistics(client):
    demo_data_load()
    overdue = row_titles(client.get("/rti/overdue/"))
    assert "How long Bengaluru Safe City cameras keep face images" in overdue
    assert "Privacy impact assessment of face recognition at railway stations" in overdue
    assert "Contract and vendor of Hyderabad's command and control centre" not in overdue
    statuses = dict(
        RTIRequest.objects.filter(is_demo=True).values_list("reference_number", "status")
    )
    assert statuses["DEMO/2025/0103"] == "deemed_refused"
    assert statuses["DEMO/2024/0101"] == "partially_granted"
    telangana = Agency.objects.get(name="Telangana State Police")
    figures = client.get(f"/api/v1/agencies/{telangana.pk}/rti-statistics/").json()
    assert (figures["requests_due"], figures["answered_late"]) == (1, 1)
    assert figures["refusals_by_section"] == [
        {"section": "8(1)(a)", "count": 1},
        {"section": "8(1)(g)", "count": 1},
    ]
    api = client.get("/api/v1/rti-requests/?overdue=true&ordering=overdue_since").json()
    assert api["results"][0]["reference_number"] == "DEMO/2021/0001"
    assert all(row["overdue"] for row in api["results"])
    assert date.fromisoformat(api["results"][0]["decision_due"]) == date(2021, 3, 5)


def test_calculator_asks_for_the_date_of_receipt(client):
    body = client.get("/rti/calculator/?via_apio=on").content.decode()
    assert 'id="id_received_on_error"' in body
    assert "Give the date the public authority received the request." in body


def page_text(client, rti):
    body = client.get(f"/rti/{rti.pk}-{rti.slug}/").content.decode()
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def test_the_words_never_contradict_themselves(client):
    """The first appeal's window is either open or over, never both; the status says its
    outcome once; each overdue line says whose decision is late."""
    waiting = rti_with_events(("filed", "2024-01-10"), title="No reply", route="online")
    with clock_at(date(2024, 2, 20)):
        open_window = page_text(client, waiting)
    assert "The Public Information Officer's decision is overdue" in open_window
    assert "The applicant can file a first appeal until" in open_window
    assert "time for a first appeal ended" not in open_window
    with clock_at(date(2024, 6, 1)):
        closed_window = page_text(client, waiting)
    assert "The applicant's time for a first appeal ended on" in closed_window
    assert "can file a first appeal" not in closed_window

    refused = rti_with_events(
        ("filed", "2024-01-10"),
        ("reply_received", "2024-01-30", "refused"),
        title="Refused",
        route="online",
        outcome="refused",
        exemption_sections="8(1)(j)",
    )
    status = re.search(
        r'class="rti-status"[^>]*>([^<]+)<',
        client.get(f"/rti/{refused.pk}-{refused.slug}/").content.decode(),
    )
    assert status.group(1).strip() == "Refused"
