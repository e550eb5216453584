"""The shared data of the tests: every data set the folders build from the factories.

One module, so that a test of the API, of the site or of a page in a browser reads facts
from a data set described once, by name:

- ``world``: named rows for the API (``world.lucknow``, ``world.draft``...): published
  deployments in four states, with drafts and withdrawn rows that must never appear.
- ``site_data``: the public site's entries, plus unpublished ones named with
  ``SECRET_WORDS`` (any page showing one leaks a draft).
- ``phone_catalogue``: every field a detail page shows, with long words, committed once
  for the phone tests' module.

All three are built around ``lucknow_story``: a deployment of the Lucknow police with its
vendor, hotspot, RTI request and cited source; each data set gives its own words and adds
only the rows its tests are about.
- ``demo_site``: ``DEMO_DEPLOYMENTS`` in eight states behind a live server (the maps).
- ``long_lists`` / ``long_lists_once``: long lists whose sort keys tie and are NULL,
  for paging at any depth.
- ``moderated_rows``: a published and a withdrawn deployment and a pending submission,
  for the moderators' pages.
- ``rows_copied``: thousands of copies of one row in one statement, for tests of size.
- ``rti_with_events``: an RTI request and its events, recorded through the service.
- ``contributions``: a volunteer's and a moderator's pages' worth of submissions (after
  ``phone_catalogue``), for the signed-in pages on a phone.

``world``, ``site_data`` and ``long_lists_once`` are built once per module, in a
transaction rolled back after the module (``built_once``; the fixtures named ``*_once``):
each test runs in a savepoint of it, so what it changes goes with it, and gets its own
copy of the named rows. ``tests/conftest.py`` runs a module's tests that use such a data
set after the others, so that no other test sees its rows.
"""

import contextlib
import copy
import os
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.contrib.gis.geos import Point
from django.db import transaction

from moderation.models import Submission, SubmissionStatus
from tests.factories import (
    AgencyFactory,
    CitationFactory,
    DeploymentFactory,
    HotspotFactory,
    RTIRequestFactory,
    SourceFactory,
    VendorFactory,
)
from tracker import models as m
from tracker.models import Deployment, Publication
from tracker.publication import entity_withdraw
from tracker.rti.lifecycle import rti_event_record

IST = ZoneInfo("Asia/Kolkata")


def reference_data_ensure():
    """The migrated states and the roles' groups, put back if a transactional test
    emptied them."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    from accounts.roles import roles_ensure
    from tracker.ingest.reference import reference_data_load, reference_data_present

    if not reference_data_present():
        reference_data_load()
    if not Group.objects.exists():
        roles_ensure(apps)


def reference_data_after_flush(sender, **kwargs):
    """On ``post_migrate``, which Django also sends when a transactional test ends by
    emptying every table: the reference data put back at once, committed. Otherwise every
    later test in the process would find it gone and load it again inside its own
    transaction, which rolls it back (a tenth of a second each, hundreds of times a run)."""
    reference_data_ensure()


@contextlib.contextmanager
def built_once(django_db_blocker):
    """Around a module-scoped data set: a transaction held open for the module's tests and
    rolled back after them. Each test that asks for ``db`` runs in a savepoint of it; a
    transactional test cannot run inside it (``tests/conftest.py`` refuses one)."""
    with django_db_blocker.unblock(), transaction.atomic():
        reference_data_ensure()
        yield
        transaction.set_rollback(True)


class Rows(SimpleNamespace):
    """Named rows of a data set, read as ``rows.lucknow`` or ``rows["lucknow"]``."""

    def __getitem__(self, name):
        return getattr(self, name)


def lucknow_story(*, police, deployment, vendor, hotspot, rti, source, citation=None):
    """The entry every data set is built around: a published deployment of the Lucknow
    police, with its vendor, a hotspot, an RTI request about it and a cited source. Each
    argument holds the fields of one row; the rows come back by name."""
    rows = Rows(police=AgencyFactory(**police))
    rows.deployment = DeploymentFactory(lead_agency=rows.police, **deployment)
    rows.vendor = VendorFactory(**vendor)
    rows.deployment.vendors.add(rows.vendor)
    rows.hotspot = HotspotFactory(agency=rows.police, **hotspot)
    rows.hotspot.deployments.add(rows.deployment)
    rows.rti = RTIRequestFactory(authority=rows.police, **rti)
    rows.rti.deployments.add(rows.deployment)
    rows.source = SourceFactory(**source)
    CitationFactory(source=rows.source, deployment=rows.deployment, **(citation or {}))
    return rows


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        yield world_rows()


@pytest.fixture
def world(world_once, db):
    """Named rows for the API (``world_rows``), built once per module: this test's own copy."""
    return copy.deepcopy(world_once)


def world_rows():
    """Named rows for the API: published deployments in four states (one national, without
    a place), and drafts and withdrawn rows that must never appear."""
    story = lucknow_story(
        police={"name": "Lucknow Police", "slug": "lucknow-police", "state_id": "IN-UP"},
        deployment={
            "title": "Face recognition at Lucknow markets",
            "technology": "facial_recognition",
            "status": "in_use",
            "purpose_class": "surveillance",
            "purpose_tags": ["womens_safety"],
            "state_id": "IN-UP",
            "city": "Lucknow",
            "location": Point(80.95, 26.85, srid=4326),
            "announced_on": date(2019, 6, 1),
            "camera_count": 200,
        },
        vendor={"name": "Staqu"},
        hotspot={"name": "Aminabad market", "location": Point(80.93, 26.85, srid=4326)},
        rti={"title": "Cameras at Lucknow hotspots", "filed_on": date(2024, 1, 10)},
        source={"url": "https://news.example.org/lucknow", "title": "Lucknow story"},
        citation={"claim": "It exists."},
    )
    w = Rows(
        lucknow_police=story.police,
        lucknow=story.deployment,
        staqu=story.vendor,
        market=story.hotspot,
        rti=story.rti,
        news=story.source,
    )
    w.mumbai_police = AgencyFactory(
        name="Mumbai Police", slug="mumbai-police", state_id="IN-MH", city="Mumbai"
    )
    w.draft_agency = AgencyFactory(
        name="Secret Draft Agency", slug="secret-draft", publication=Publication.DRAFT
    )
    w.nec = VendorFactory(name="NEC")
    w.mumbai = DeploymentFactory(
        title="Number plate readers in Mumbai",
        lead_agency=w.mumbai_police,
        technology="plate_recognition",
        status="pilot",
        purpose_class="surveillance",
        purpose_tags=["traffic_enforcement", "crowd_monitoring"],
        state_id="IN-MH",
        city="Mumbai",
        location=Point(72.88, 19.08, srid=4326),
        announced_on=date(2021, 3, 1),
        camera_count=50,
    )
    w.mumbai.partner_agencies.add(w.lucknow_police, w.draft_agency)
    w.mumbai.vendors.add(w.nec, w.staqu)
    w.delhi = DeploymentFactory(
        title="School attendance by face in Delhi",
        lead_agency=w.mumbai_police,
        technology="biometric_authentication",
        status="announced",
        purpose_class="authentication",
        purpose_tags=["attendance"],
        state_id="IN-DL",
        city="Delhi",
        location=Point(77.2, 28.6, srid=4326),
        announced_on=date(2023, 1, 10),
    )
    w.national = DeploymentFactory(
        title="National automated facial recognition system",
        lead_agency=w.draft_agency,
        technology="facial_recognition",
        status="tender",
        purpose_class="surveillance",
        state_id=None,
        city="",
        location=None,
        announced_on=date(2019, 7, 1),
    )
    w.draft = DeploymentFactory(
        title="Draft face cameras in Lucknow",
        lead_agency=w.lucknow_police,
        publication=Publication.DRAFT,
        location=Point(80.9, 26.8, srid=4326),
    )
    w.withdrawn = DeploymentFactory(
        title="Withdrawn face cameras in Lucknow",
        lead_agency=w.lucknow_police,
        publication=Publication.WITHDRAWN,
        location=Point(80.9, 26.8, srid=4326),
    )
    w.published = [w.lucknow, w.mumbai, w.delhi, w.national]
    w.hidden_source = SourceFactory(url="https://news.example.org/draft", title="Draft-only story")
    CitationFactory(source=w.news, deployment=w.mumbai)
    CitationFactory(source=w.hidden_source, deployment=w.draft)
    # Citing a source counts as a change of the entry: the stamps come after.
    stamps = {
        w.lucknow: datetime(2024, 1, 1, tzinfo=UTC),
        w.mumbai: datetime(2024, 6, 1, tzinfo=UTC),
        w.delhi: datetime(2025, 1, 1, tzinfo=UTC),
        w.national: datetime(2023, 1, 1, tzinfo=UTC),
    }
    for deployment, stamp in stamps.items():
        Deployment.objects.filter(pk=deployment.pk).update(updated_at=stamp)

    w.market.deployments.add(w.draft)
    w.draft_hotspot = HotspotFactory(name="Draft hotspot", publication=Publication.DRAFT)
    w.rti.deployments.add(w.draft)
    w.draft_rti = RTIRequestFactory(title="Draft RTI", publication=Publication.DRAFT)
    return w


# Words that appear only in unpublished entries: any page showing one leaks a draft.
SECRET_WORDS = [
    "Zanzibarqueue",
    "Quokkadraft",
    "Withdrawnwombat",
    "Hiddenheron",
    "Draftdugong",
    "Secretsalamander",
]


@pytest.fixture(scope="module")
def site_data_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker):
        yield site_rows()


@pytest.fixture
def site_data(site_data_once, db):
    """The site's entries (``site_rows``), built once per module: this test's own copy."""
    return copy.deepcopy(site_data_once)


def site_rows():
    """Published entries in two states, plus drafts and withdrawn ones named with SECRET_WORDS."""
    story = lucknow_story(
        police={"name": "Lucknow Police", "state_id": "IN-UP", "city": "Lucknow"},
        deployment={
            "title": "Safe City face recognition",
            "summary": "Cameras at **200 hotspots** in Lucknow.",
            "announced_on": date(2021, 3, 1),
            "camera_count": 1000,
        },
        vendor={"name": "Staqu"},
        hotspot={"name": "Hazratganj market"},
        rti={"title": "Cameras at Lucknow hotspots", "received_on": date(2024, 1, 10)},
        source={"title": "Lucknow police install face recognition", "health": "ok"},
    )
    lucknow_police, lucknow = story.police, story.deployment
    delhi_police = AgencyFactory(name="Delhi Police", state_id="IN-DL", city="New Delhi")
    draft_agency = AgencyFactory(
        name="Zanzibarqueue Authority", publication=Publication.DRAFT, state_id="IN-UP"
    )
    lucknow.partner_agencies.add(draft_agency)
    delhi = DeploymentFactory(
        title="Delhi Police FRS",
        lead_agency=delhi_police,
        state_id="IN-DL",
        city="New Delhi",
        technology="video_analytics",
        status="pilot",
        announced_on=date(2018, 5, 1),
    )
    # A published deployment whose lead agency is still a draft.
    orphan = DeploymentFactory(title="Orphan cameras", lead_agency=draft_agency)
    drafts = [
        DeploymentFactory(
            title="Quokkadraft airport boarding",
            lead_agency=lucknow_police,
            publication=Publication.DRAFT,
        ),
        DeploymentFactory(
            title="Withdrawnwombat drones",
            lead_agency=delhi_police,
            state_id="IN-DL",
            publication=Publication.WITHDRAWN,
        ),
    ]
    story.hotspot.deployments.add(drafts[0])
    draft_hotspot = HotspotFactory(name="Hiddenheron crossing", publication=Publication.DRAFT)
    story.rti.deployments.add(drafts[0])
    story.rti.agencies.add(draft_agency)
    draft_rti = RTIRequestFactory(
        title="Draftdugong request", authority=lucknow_police, publication=Publication.DRAFT
    )
    broken = SourceFactory(title="Broken report", health="broken")
    CitationFactory(source=broken, deployment=lucknow)
    CitationFactory(source=SourceFactory(title="Secretsalamander memo"), deployment=drafts[0])
    return {
        "lucknow": lucknow,
        "delhi": delhi,
        "orphan": orphan,
        "drafts": drafts,
        "agencies": [lucknow_police, delhi_police],
        "draft_agency": draft_agency,
        "hotspot": story.hotspot,
        "draft_hotspot": draft_hotspot,
        "rti": story.rti,
        "draft_rti": draft_rti,
    }


def phone_catalogue():
    """For the phone tests: published entries in four states with every field a detail
    page shows, some with long words that must wrap; the paths of the detail pages."""
    from tracker.catalogue.links import detail_url

    story = lucknow_story(
        police={
            "name": "Lucknow Police Commissionerate",
            "short_name": "LPC",
            "website": "https://lucknowpolice.example.gov.in/a/very/long/path/to/the/home/page",
            "pio_address": "Public Information Officer, Police Lines, Lucknow 226001",
            "location": Point(80.94, 26.85, srid=4326),
        },
        deployment={
            "title": "Lucknow Safe City face recognition at two hundred hotspots",
            "summary": "Cameras at **200 hotspots** in Lucknow, under the Safe City project.",
            "announced_on": date(2021, 3, 1),
            "camera_count": 1000,
            "cost_inr": 1234567890,
            "funding_source": "Nirbhaya Fund",
            "legal_basis": "Uttar Pradesh Police Regulations",
        },
        vendor={"name": "Staqu Technologies", "country": "India"},
        hotspot={"name": "Hazratganj market", "camera_count": 40},
        rti={
            "title": "Cameras at Lucknow hotspots: contracts and accuracy tests",
            "reference_number": "UPPOL/R/2024/60001",
            "received_on": date(2024, 1, 10),
            "filed_on": date(2024, 1, 8),
            "application_text": "Please provide the contract and the accuracy test reports.",
        },
        source={
            "url": "https://news.example.org/2021/03/01/lucknow-safe-city-face-recognition-"
            "cameras-at-two-hundred-hotspots-announced-by-the-police-commissionerate",
            "title": "Lucknow to get face recognition cameras at 200 hotspots",
        },
        citation={"quote": "Cameras at 200 hotspots."},
    )
    AgencyFactory(name="Delhi Police", state_id="IN-DL", city="New Delhi")
    for n, (title, state, city, lon, lat) in enumerate(
        [
            ("Delhi Police FRS", "IN-DL", "New Delhi", 77.21, 28.61),
            ("Hyderabad command and control centre", "IN-TS", "Hyderabad", 78.47, 17.39),
            ("Chennai Metro face boarding", "IN-TN", "Chennai", 80.27, 13.08),
        ]
    ):
        DeploymentFactory(
            title=title,
            state_id=state,
            city=city,
            location=Point(lon, lat, srid=4326),
            status=["in_use", "pilot", "announced"][n],
            announced_on=date(2019 + n, 1, 1),
        )
    DeploymentFactory(title="Unpublished draft system", publication=Publication.DRAFT)
    return {
        "deployment": detail_url(story.deployment),
        "agency": detail_url(story.police),
        "hotspot": detail_url(story.hotspot),
        "rti_request": detail_url(story.rti),
        **phone_trust_pages(story),
    }


def phone_trust_pages(story):
    """For the phone tests: the pages of trust, RTI and reach over ``story``: evidence on
    several claims (one source's link broken), a dispute decided in the open, a withdrawn
    entry (410), an entry overdue for re-checking, an RTI campaign; their paths."""
    from tracker.models import Citation, Dispute, Evidence
    from tracker.publication import entity_withdraw
    from tracker.rti.campaigns import rti_campaign_create

    deployment = story.deployment
    news = Citation.objects.get(deployment=deployment)
    tender = CitationFactory(
        deployment=deployment,
        source__title="Tender for the Safe City project: supply, installation and maintenance",
        source__kind="tender",
        source__health="broken",
    )
    for claim in ("status", "camera_count", "location", "dates"):
        Evidence.objects.create(citation=news, claim=claim, quote="Cameras at 200 hotspots.")
    for claim in ("cost", "dates", "vendors"):
        Evidence.objects.create(
            citation=tender, claim=claim, page="12-14", quote="Rs 123.45 crore, Staqu."
        )
    Dispute.objects.create(
        entity_type="deployment",
        entity_id=deployment.pk,
        claim="cost",
        reason="The cost covers maintenance for five years too.",
        status=Dispute.Status.UPHELD,
        outcome_note="Corrected: the cost now says what it covers, from the tender.",
        decided_by_name="Asha",
        decided_at=deployment.created_at,
    )
    Deployment.objects.filter(title="Delhi Police FRS").update(last_verified_on=date(2023, 1, 9))
    CitationFactory(
        deployment=Deployment.objects.get(title="Delhi Police FRS"),
        source__title="Delhi Police to use face recognition at every district headquarters",
    )
    gone = DeploymentFactory(
        title="Varanasi ghat cameras that were never installed after all",
        state_id="IN-UP",
        city="Varanasi",
        location=Point(83.01, 25.31, srid=4326),
    )
    entity_withdraw(
        entity=gone,
        reason="The municipal corporation's RTI reply says the tender was cancelled in 2022.",
    )
    campaign = rti_campaign_create(
        title="Facial recognition contracts of the police in Uttar Pradesh and Delhi",
        application_text="Please provide the contracts and the accuracy test reports.",
        authorities=list(m.Agency.objects.filter(publication=Publication.PUBLISHED)[:2]),
        created_by=None,
    )
    report = f"/report/deployment/{deployment.pk}/"
    return {
        "dispute": report,
        "dispute-claim": report + "?claim=dates",
        "dispute-sent": report + "sent/",
        "withdrawn": f"/deployments/{gone.pk}-{gone.slug}/",
        "campaign": f"/rti/campaigns/{campaign.pk}-{campaign.slug}/",
        "letters": f"/rti/{story.rti.pk}/letters/",
        "embed": f"/embed/deployments/{deployment.pk}/",
    }


# (title, state, city, lon, lat, technology, status)
DEMO_DEPLOYMENTS = [
    (
        "Lucknow Safe City face recognition",
        "IN-UP",
        "Lucknow",
        80.95,
        26.85,
        "facial_recognition",
        "in_use",
    ),
    ("Delhi Police FRS", "IN-DL", "New Delhi", 77.21, 28.61, "facial_recognition", "in_use"),
    ("Hyderabad command centre", "IN-TS", "Hyderabad", 78.47, 17.39, "video_analytics", "in_use"),
    (
        "Chennai Metro face boarding",
        "IN-TN",
        "Chennai",
        80.27,
        13.08,
        "biometric_authentication",
        "pilot",
    ),
    (
        "Bengaluru Safe City",
        "IN-KA",
        "Bengaluru",
        77.59,
        12.97,
        "facial_recognition",
        "implementation",
    ),
    ("Mumbai CCTV analytics", "IN-MH", "Mumbai", 72.88, 19.08, "video_analytics", "in_use"),
    (
        "Kolkata airport DigiYatra",
        "IN-WB",
        "Kolkata",
        88.36,
        22.57,
        "biometric_authentication",
        "in_use",
    ),
    ("Punjab AI drones", "IN-PB", "Amritsar", 74.87, 31.63, "drone_surveillance", "announced"),
]


@pytest.fixture
def demo_site(transactional_db, live_server):
    """Published demo deployments in eight states, a hotspot, and a draft that must not show."""
    created = []
    for title, state, city, lon, lat, technology, status in DEMO_DEPLOYMENTS:
        agency = AgencyFactory(name=f"{city} Police", state_id=state, city=city)
        deployment = DeploymentFactory(
            title=title,
            lead_agency=agency,
            state_id=state,
            city=city,
            location=Point(lon, lat, srid=4326),
            technology=technology,
            status=status,
        )
        created.append(deployment)
    CitationFactory(deployment=created[0])
    HotspotFactory(name="Hazratganj market", location=Point(80.94, 26.85, srid=4326))
    DeploymentFactory(
        title="Unpublished draft system",
        publication=Publication.DRAFT,
        location=Point(85.0, 25.0, srid=4326),
        state_id="IN-BR",
    )
    return {"url": live_server.url, "deployments": created}


@pytest.fixture
def demo_data_site(transactional_db, live_server):
    """The site's own demo data (``load_demo_data``: the Lucknow case, two entries at one
    spot) on the live server; its address."""
    from django.core.management import call_command

    call_command("load_demo_data", stdout=open(os.devnull, "w"))
    return live_server.url


def long_lists(count=60):
    """``count`` published deployments, agencies, hotspots and RTI requests (plus a few
    drafts) whose sort keys tie often and are often NULL, so that every order's page
    boundaries fall inside runs of ties and inside and between the runs of NULLs."""
    agency = AgencyFactory(name="Police 0")
    agencies = [agency] + [AgencyFactory(name=f"Police {i % 8}") for i in range(1, count)]
    deployments = [
        DeploymentFactory(
            title=f"Cameras {i % 9}",
            lead_agency=agency,
            camera_count=None if i % 2 == 0 else i % 5,
            announced_on=None if i % 3 == 0 else date(2020, 1, 1 + i % 4),
            cost_inr=None if i % 4 == 0 else (i % 3) * 1000,
            location=None if i % 6 == 0 else Point(80.95, 26.85, srid=4326),
        )
        for i in range(count)
    ]
    hotspots = [
        HotspotFactory(
            name=f"Market {i % 7}",
            agency=agency,
            camera_count=None if i % 2 == 0 else i % 5,
            identified_on=None if i % 3 == 0 else date(2021, 1, 1 + i % 4),
            location=Point(77.21, 28.61, srid=4326)
            if i % 6 == 0
            else Point(80.94, 26.86, srid=4326),
        )
        for i in range(count)
    ]
    requests = [RTIRequestFactory(authority=agency) for _ in range(count)]
    for i, rti in enumerate(requests):  # computed fields: set directly, as records would be
        m.RTIRequest.objects.filter(pk=rti.pk).update(
            filed_on=None if i % 3 == 0 else date(2024, 1, 1 + i % 4),
            overdue_since=None if i % 5 == 0 else datetime(2025, 1, 1 + i % 3, tzinfo=UTC),
            decision_due_on=None if i % 2 == 0 else date(2025, 2, 1 + i % 3),
        )
    for model, rows in (
        (m.Agency, agencies),
        (m.Deployment, deployments),
        (m.Hotspot, hotspots),
        (m.RTIRequest, requests),
    ):
        for tie in range(3):  # three runs of rows updated at the same instant
            moment = datetime(2025, 6, 1, tzinfo=UTC) + timedelta(hours=tie)
            ids = [row.pk for row in rows[tie::3]]
            model.objects.filter(pk__in=ids).update(updated_at=moment)
    AgencyFactory(name="Police 1", publication=m.Publication.DRAFT)
    DeploymentFactory(title="Cameras 1", lead_agency=agency, publication=m.Publication.DRAFT)
    HotspotFactory(name="Market 1", publication=m.Publication.DRAFT)
    RTIRequestFactory(authority=agency, publication=m.Publication.DRAFT)


@pytest.fixture(scope="module")
def long_lists_once(django_db_setup, django_db_blocker):
    """``long_lists`` built once per module (``built_once``); each test that also asks for
    ``db`` runs in a savepoint of it, so a test's own changes go with it."""
    with built_once(django_db_blocker):
        long_lists(count=60)
        yield


def moderated_rows(*, volunteer, withdrawn_by, **pending):
    """What the moderators' pages act on: a published deployment, one ``withdrawn_by``
    withdrew, and ``volunteer``'s pending submission (``pending``: its kind of entry and
    data, say), as ``rows.deployment``, ``rows.withdrawn``, ``rows.pending``."""
    rows = Rows(deployment=DeploymentFactory(title="Published system"))
    rows.withdrawn = DeploymentFactory(title="Withdrawn system")
    entity_withdraw(entity=rows.withdrawn, reason="Duplicate", actor=withdrawn_by)
    rows.pending = Submission.objects.create(
        volunteer=volunteer,
        kind="new",
        sources=[{"url": "https://news.example.org/p", "title": "P"}],
        status=SubmissionStatus.PENDING,
        **pending,
    )
    return rows


def rows_copied(row, count, **differing):
    """``count`` copies of ``row`` in one ``INSERT ... SELECT`` over ``generate_series``: a
    data set of tens of thousands of rows in a second, not a minute of saves. ``differing``
    gives, for each column that must differ (a unique slug, say), an SQL expression of ``n``
    (1 to ``count``; a literal ``%`` is written ``%%``); the database's triggers write each
    copy's search document."""
    from django.db import connection

    model = type(row)
    table = model._meta.db_table
    copied = [
        field.column
        for field in model._meta.concrete_fields
        if not field.primary_key and field.column not in ("search_document", *differing)
    ]
    names = ", ".join(f'"{column}"' for column in [*differing, *copied])
    values = ", ".join([*differing.values(), *(f'"{column}"' for column in copied)])
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{table}" ({names}) SELECT {values}'
            f' FROM "{table}", generate_series(1, %s) AS n WHERE "{model._meta.pk.column}" = %s',
            [count, row.pk],
        )


@contextmanager
def clock_at(day: date, hour: int = 12, minute: int = 0):
    """Django's clock, which the RTI clock reads, at ``day`` ``hour``:``minute`` in India
    (``time.time`` keeps running, so throttles and caches behave as usual)."""
    moment = datetime.combine(day, time(hour, minute), tzinfo=IST)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def rti_with_events(*events, today=date(2026, 1, 1), **fields):
    """A published request and its events (kind, ISO date[, outcome]), recorded through the
    service, read back as the site reads it with the clock at ``today``."""
    fields.setdefault("authority", fields.get("authority") or AgencyFactory())
    rti_request = RTIRequestFactory(**fields)
    for kind, day, *outcome in events:
        rti_event_record(
            rti_request=rti_request,
            kind=kind,
            day=date.fromisoformat(day),
            outcome=outcome[0] if outcome else (fields.get("outcome") or "granted"),
            exemption_sections=fields.get("exemption_sections", ""),
            today=today,
        )
    with clock_at(today):
        return m.RTIRequest.objects.get(pk=rti_request.pk)


def contributions(*, volunteer, moderator):
    """Submissions of every kind and state over ``phone_catalogue``'s entries, with long
    words in their values: a pending deployment (whose diff the review page shows), a
    pending correction with its reason, a draft, a withdrawn one that can still be put
    back, and an approved one that links to its published entry. The paths of the pages
    that show them."""
    from django.utils import timezone

    from moderation.models import SubmissionKind, SubmissionStatus
    from moderation.services import submission_store

    published = Deployment.objects.get(title__startswith="Lucknow Safe City")
    police = published.lead_agency

    news = (
        "https://news.example.org/2024/05/an-article-with-a-very-long-"
        "address-about-cameras-at-the-railway-station-of-lucknow-charbagh"
    )

    def store(kind, data, *, target_id=None, submit=True, why="", name=None, evidence=()):
        return submission_store(
            volunteer=volunteer,
            entity_type="deployment",
            kind=kind,
            target_id=target_id,
            data=data,
            sources=[{"url": news, "title": "Charbagh station gets face recognition cameras"}],
            evidence=evidence,
            entry_name=name or data.get("title", ""),
            why=why,
            submit=submit,
        )

    pending = store(
        SubmissionKind.NEW,
        {
            "title": "Charbagh railway station face recognition at every platform entrance",
            "lead_agency": police.pk,
            "technology": "facial_recognition",
            "purpose_class": "surveillance",
            "purpose_tags": ["criminal_identification", "missing_persons"],
            "status": "in_use",
            "state": "IN-UP",
            "city": "Lucknow",
            "location": [80.9201, 26.8318],
            "camera_count": 64,
            "cost_inr": 987654321,
            "summary": "Cameras at **every platform** entrance, linked to CCTNS.",
            "vendors": ["Staqu Technologies"],
            "linked_databases": [{"name": "CCTNS", "is_public": False, "storage": "permanent"}],
        },
        evidence=[
            {"claim": claim, "url": news, "quote": "64 cameras, Rs 98.77 crore", "page": "2"}
            for claim in ("camera_count", "cost", "dates")
        ],
    )
    correction = store(
        SubmissionKind.EDIT,
        {"camera_count": 1200, "data_retention": "Thirty days; matches are kept for a year"},
        target_id=published.pk,
        why="The police's 2024 reply to an RTI request gives 1,200 cameras.",
        name=published.title,
    )
    draft = store(SubmissionKind.NEW, {"_draft": {"title": ""}}, submit=False)
    withdrawn = store(SubmissionKind.NEW, {"title": "Taken back for now"})
    withdrawn.status_before_withdrawal = withdrawn.status
    withdrawn.status = SubmissionStatus.WITHDRAWN
    withdrawn.withdrawn_at = timezone.now() + timedelta(days=1)  # undoable all day
    withdrawn.save()
    approved = store(SubmissionKind.NEW, {"title": "Already published"})
    approved.status = SubmissionStatus.APPROVED
    approved.reviewer = moderator
    approved.reviewer_note = "Matches the tender; published."
    approved.target_id = published.pk
    approved.save()
    return {
        "pending": pending.pk,
        "correction": correction.pk,
        "draft": draft.pk,
        "correct": f"/submit/deployment/{published.pk}/correct/",
        **trust_contributions(volunteer=volunteer, moderator=moderator, published=published),
    }


def trust_contributions(*, volunteer, moderator, published):
    """The signed-in pages of trust, RTI and reach over ``contributions``: an open dispute,
    approvals towards two (another moderator's of the pending deployment, the moderator's
    own of the correction), an entry due for re-checking, an RTI request the volunteer
    owns, and a webhook of theirs that failed and was disabled. Their ids."""
    from django.utils import timezone

    from accounts.roles import Role
    from moderation.models import Submission
    from tests.support.pages import approve
    from tests.support.people import person
    from tracker.models import Dispute, Webhook, WebhookAttempt, WebhookDelivery, WebhookEvent

    dispute = Dispute.objects.create(
        entity_type="deployment",
        entity_id=published.pk,
        claim="camera_count",
        reason="The police's own RTI reply of March 2024 gives 1,200 cameras, not 1,000; "
        "the newspaper counted only the first phase.",
        source_url="https://rti.example.gov.in/replies/2024/03/uppol-r-2024-60001-reply.pdf",
    )
    second = person("ravi-mod", "Ravi", Role.MODERATOR)
    pending, correction = Submission.objects.filter(volunteer=volunteer, status="pending").order_by(
        "id"
    )[:2]
    approve(pending, second)  # 1 of 2: the moderator's page asks for theirs
    approve(correction, moderator)  # 1 of 2: theirs is given, another must approve
    stale = Deployment.objects.get(title="Delhi Police FRS")
    own_rti = RTIRequestFactory(
        title="Accuracy reports of the face recognition system at Charbagh station",
        authority=published.lead_agency,
        owner=volunteer,
        received_on=date(2024, 2, 1),
        filed_on=date(2024, 1, 30),
    )
    hook = Webhook.objects.create(
        owner=volunteer,
        url="https://hooks.example.org/panoptic-tracker/receive/deployments-and-rti-events",
        events=["published", "withdrawn", "rti_event"],
        secret="s" * 32,
        description="Our newsroom's alert channel",
        is_active=False,
        consecutive_failures=20,
        disabled_at=timezone.now(),
        disabled_reason="20 deliveries failed in a row; the last answered HTTP 503.",
    )
    event = WebhookEvent.objects.create(kind="published", body="{}")
    delivery = WebhookDelivery.objects.create(
        webhook=hook, event=event, state="failed", attempts=2, last_status=503
    )
    for status in (503, None):
        WebhookAttempt.objects.create(
            delivery=delivery,
            at=timezone.now(),
            http_status=status,
            error="" if status else "connection timed out after 10 seconds",
            duration_ms=10000,
        )
    return {
        "dispute": dispute.pk,
        "stale": stale.pk,
        "published": published.pk,
        "own_rti": own_rti.pk,
        "rti": published.rti_requests.first().pk,
        "webhook": hook.pk,
    }
