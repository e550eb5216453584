"""Time never goes stale: what depends on today is computed when it is read, and every
output says the same thing at every moment.

The clock is moved across deadlines (the PIO's day limit at midnight in India, a
48-hour limit at its minute, the first appellate authority's) and every output
is asked: the list and its filters, /rti/overdue/, the request's page, the API's
item, list and ``overdue`` filter, the statistics, the feeds and the CSV export.
Nothing is written in between: no job runs.
"""

import csv
import io
import re
from datetime import date, datetime, timedelta
from itertools import product
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.test import override_settings

from tests.factories import AgencyFactory, RTIRequestFactory
from tests.support.data import IST, clock_at, rti_with_events
from tracker.models import RTIRequest
from tracker.rti.lifecycle import rti_event_record, rti_request_schedule

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
D = date.fromisoformat
ATOM = "{http://www.w3.org/2005/Atom}"


def outputs(client, rti, agency):
    """Every output's answer about ``rti``: is it overdue, what is its status."""
    answers = {}
    rows = client.get("/rti/").content.decode()
    row = re.search(rf'<tr data-rti="{rti.pk}" data-status="(\w+)" data-overdue="(\w+)"', rows)
    answers["list status"], answers["list overdue"] = row.group(1), row.group(2) == "true"
    answers["list ?overdue=true"] = (
        f'data-rti="{rti.pk}"' in client.get("/rti/?overdue=true").content.decode()
    )
    answers["list ?overdue=false"] = (
        f'data-rti="{rti.pk}"' not in client.get("/rti/?overdue=false").content.decode()
    )
    answers["/rti/overdue/"] = (
        f'data-rti="{rti.pk}"' in client.get("/rti/overdue/").content.decode()
    )
    detail = client.get(f"/rti/{rti.pk}/", follow=True).content.decode()
    found = re.search(r'class="rti-status" data-status="(\w+)" data-overdue="(\w+)"', detail)
    answers["page status"], answers["page overdue"] = found.group(1), found.group(2) == "true"
    item = client.get(f"/api/v1/rti-requests/{rti.pk}/").json()
    answers["api status"], answers["api overdue"] = item["status"], item["overdue"]
    for _ in range(2):  # the second time, the list page may come from the cache
        listed = client.get("/api/v1/rti-requests/?overdue=true").json()["results"]
    answers["api ?overdue=true"] = rti.pk in [r["id"] for r in listed]
    status_filtered = client.get(f"/api/v1/rti-requests/?status={item['status']}").json()
    answers["api ?status="] = rti.pk in [r["id"] for r in status_filtered["results"]]
    feed = ElementTree.fromstring(client.get("/feeds/rti/overdue/").content)
    links = [e.find(f"{ATOM}link").get("href") for e in feed.iter(f"{ATOM}entry")]
    answers["overdue feed"] = any(f"/rti/{rti.pk}-" in link for link in links)
    exported = client.get("/api/v1/export/rti-requests.csv")
    body = b"".join(exported.streaming_content).decode()
    line = next(r for r in csv.DictReader(io.StringIO(body)) if r["id"] == str(rti.pk))
    answers["csv status"], answers["csv overdue"] = line["status"], line["overdue"] == "true"
    figures = client.get(f"/api/v1/agencies/{agency.pk}/rti-statistics/").json()
    answers["statistics deemed refused"] = figures["deemed_refused"]
    return answers


def expect(answers, *, status, overdue, deemed_refused_count):
    wanted = {
        "list status": status,
        "list overdue": overdue,
        "list ?overdue=true": overdue,
        "list ?overdue=false": overdue,
        "/rti/overdue/": overdue,
        "page status": status,
        "page overdue": overdue,
        "api status": status,
        "api overdue": overdue,
        "api ?overdue=true": overdue,
        "api ?status=": True,
        "overdue feed": overdue,
        "csv status": status,
        "csv overdue": overdue,
        "statistics deemed refused": deemed_refused_count,
    }
    assert answers == wanted


@override_settings(API_CACHE_SECONDS=600)
def test_every_output_moves_with_the_clock_at_midnight_in_india(client):
    """Received 2024-01-10: the PIO's decision is due 2024-02-09 and the request is deemed
    refused from the first moment of 2024-02-10 in India (18:30 UTC the day before)."""
    cache.clear()
    agency = AgencyFactory(name="Clock Police")
    rti = rti_with_events(("filed", "2024-01-10"), authority=agency, route="online")
    with clock_at(D("2024-02-09"), 23, 59):
        expect(outputs(client, rti, agency), status="filed", overdue=False, deemed_refused_count=0)
    with clock_at(D("2024-02-10"), 0, 0):
        expect(
            outputs(client, rti, agency),
            status="deemed_refused",
            overdue=True,
            deemed_refused_count=1,
        )
    # A reply is recorded: at once every output agrees it is no longer overdue.
    with clock_at(D("2024-02-20")):
        rti_event_record(
            rti_request=rti, kind="reply_received", day=D("2024-02-20"), outcome="granted"
        )
        expect(
            outputs(client, rti, agency), status="granted", overdue=False, deemed_refused_count=0
        )


@override_settings(API_CACHE_SECONDS=600)
def test_a_48_hour_limit_passes_at_its_minute(client):
    cache.clear()
    agency = AgencyFactory(name="Liberty Police")
    rti = RTIRequestFactory(
        authority=agency,
        life_or_liberty=True,
        received_on=D("2024-03-01"),
        received_at=datetime(2024, 3, 1, 10, 0, tzinfo=IST),
    )
    with clock_at(D("2024-03-03"), 9, 59):
        expect(outputs(client, rti, agency), status="filed", overdue=False, deemed_refused_count=0)
    with clock_at(D("2024-03-03"), 10, 0):
        expect(
            outputs(client, rti, agency),
            status="deemed_refused",
            overdue=True,
            deemed_refused_count=1,
        )


def test_the_first_appellate_authority_falls_overdue_on_its_own_day(client):
    agency = AgencyFactory(name="Appeal Police")
    rti = rti_with_events(
        ("filed", "2024-02-01"),
        ("reply_received", "2024-02-20", "refused"),
        ("first_appeal_filed", "2024-03-01"),
        authority=agency,
        route="online",
    )
    with clock_at(D("2024-03-31")):
        expect(
            outputs(client, rti, agency),
            status="first_appeal_filed",
            overdue=False,
            deemed_refused_count=0,
        )
    with clock_at(D("2024-04-01")):
        expect(
            outputs(client, rti, agency),
            status="first_appeal_filed",
            overdue=True,
            deemed_refused_count=0,
        )


# The database and the engine judge alike: every combination of facts below, on every
# day around its deadlines, gives the same state from SQL and from Python.
STORIES = [
    [("filed", "2024-01-10")],
    [("filed", "2024-01-10"), ("reply_received", "2024-02-01", "refused")],
    [("filed", "2024-01-10"), ("reply_received", "2024-02-20", "granted")],
    [("filed", "2024-01-10"), ("fee_requested", "2024-01-20")],
    [("filed", "2024-01-10"), ("fee_requested", "2024-01-20"), ("fee_paid", "2024-01-28")],
    [("filed", "2024-01-10"), ("transferred", "2024-01-14")],
    [("filed", "2024-01-10"), ("first_appeal_filed", "2024-02-01")],  # premature
    [("filed", "2024-01-10"), ("first_appeal_filed", "2024-02-15")],
    [
        ("filed", "2024-01-10"),
        ("reply_received", "2024-02-01", "refused"),
        ("first_appeal_filed", "2024-02-10"),
        ("first_appeal_decided", "2024-03-01"),
    ],
    [
        ("filed", "2024-01-10"),
        ("reply_received", "2024-02-01", "refused"),
        ("first_appeal_filed", "2024-02-10"),
        ("first_appeal_decided", "2024-03-01"),
        ("second_appeal_filed", "2024-04-01"),
    ],
    [("filed", "2024-01-10"), ("withdrawn", "2024-01-20")],
    [("filed", "2024-01-10"), ("third_party_notice", "2024-01-15")],
]


@pytest.mark.parametrize("working_days", [False, True])
def test_sql_and_the_engine_agree_on_every_day(settings, working_days):
    settings.RTI_NEXT_WORKING_DAY = working_days
    agency = AgencyFactory()
    ids = [
        rti_with_events(*story, authority=agency, route=route, today=D("2024-12-31")).pk
        for story, route in product(STORIES, ["online", "apio"])
    ]
    day = D("2024-01-25")
    while day <= D("2024-07-15"):
        for hour, minute in ((0, 0), (23, 59)):
            with clock_at(day, hour, minute):
                for rti in RTIRequest.objects.filter(pk__in=ids).prefetch_related("events"):
                    schedule = rti_request_schedule(rti, now=rti.read_at)
                    first = schedule.get("first_appeal")
                    second = schedule.get("second_appeal")
                    python = {
                        "overdue": schedule.overdue,
                        "deemed_refused": schedule.deemed_refused,
                        "next": schedule.next_deadline.key if schedule.next_deadline else "",
                        "next_on": schedule.next_deadline.due if schedule.next_deadline else None,
                        "first": first.state if first else None,
                        "second": second.state if second else None,
                    }
                    sql = {
                        "overdue": rti.overdue,
                        "deemed_refused": rti.deemed_refused,
                        "next": rti.next_deadline,
                        "next_on": rti.next_deadline_on,
                        "first": rti.first_appeal_state,
                        "second": rti.second_appeal_state,
                    }
                    assert sql == python, (day, hour, rti.title)
        day += timedelta(days=3)


def test_the_api_never_keeps_a_compiled_page_of_rti_requests():
    """The API compiles some list pages once per process; RTI requests are judged against
    the clock, so theirs are never compiled (a kept query would keep its moment)."""
    from api import serializers, sql_pages
    from tracker.catalogue.selectors import records
    from tracker.models import Deployment

    assert (
        sql_pages.page_query(serializers.RTIRequestSerializer, records.rti_request_records())
        is None
    )
    assert not sql_pages._reads_the_clock(Deployment.objects.all())
