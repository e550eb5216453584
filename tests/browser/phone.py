"""Helpers for the phone tests: the public pages to visit, axe-core, overflow and settling.

axe-core is evaluated in the page through the DevTools protocol (``page.evaluate``), which
the page's Content-Security-Policy does not govern; the site keeps its strict policy and
axe is never served to readers.
"""

from datetime import date
from functools import cache
from pathlib import Path

from django.contrib.gis.geos import Point

from tests.conftest import SCREENSHOTS

AXE_SOURCE_PATH = Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"
PHONE_SCREENSHOTS = SCREENSHOTS / "phone"

# Common phones: 360 × 800 (many Android phones) and 390 × 844.
PHONES = {360: {"width": 360, "height": 800}, 390: {"width": 390, "height": 844}}
LANGUAGES = {"en": "", "hi": "/hi"}

# Every public page: (name, path). A path in braces is looked up in the site's data, so
# pages that other features add later are one line each.
PUBLIC_PAGES = [
    ("home", "/"),
    ("home-filtered", "/?state=IN-UP&technology=facial_recognition"),  # the panel starts open
    ("deployments", "/deployments/"),
    ("deployments-filtered", "/deployments/?state=IN-UP&q=hotspots"),
    ("deployment", "{deployment}"),
    ("agencies", "/agencies/"),
    ("agency", "{agency}"),
    ("hotspots", "/hotspots/"),
    ("hotspot", "{hotspot}"),
    ("rti", "/rti/"),
    ("rti-request", "{rti_request}"),
    ("rti-overdue", "/rti/overdue/"),
    ("rti-calculator", "/rti/calculator/"),
    (
        "rti-calculator-answer",
        "/rti/calculator/?received_on=2024-01-10&reply_received_on=2024-03-01",
    ),
    ("states", "/states/"),
    ("state", "/states/in-up/"),
    ("stats", "/stats/"),
    ("changes", "/changes/"),
    ("data", "/data/"),
    ("about", "/about/"),
]

# WCAG 2.1 A and AA, plus target size (WCAG 2.2, 2.5.8: at least 24 × 24 CSS px).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "rules": {"target-size": {"enabled": True}},
    "resultTypes": ["violations"],
}

RUN_AXE = """async (options) => {
  const results = await axe.run(document, options);
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary),
  }));
}"""

# Elements reaching past the right edge, to say what makes a page scroll sideways.
WIDER_THAN_SCREEN = """(width) => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > width + 0.5)
  .filter(el => !el.closest('.leaflet-container, .table-scroll, .nav'))
  .slice(0, 8)
  .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
       + (typeof el.className === 'string' && el.className ? '.' + el.className : '')
       + ' right=' + Math.round(el.getBoundingClientRect().right))"""

MAPS_READY = """() => {
  const home = document.getElementById('map');
  if (home && home.dataset.state !== 'ready') return false;
  return [...document.querySelectorAll('.mini-map')].every(m => m.dataset.ready === 'true');
}"""


@cache
def axe_source():
    return AXE_SOURCE_PATH.read_text(encoding="utf-8")


def axe_violations(page):
    """axe-core's WCAG 2.1 A/AA violations (plus target size) on the page as it is now."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    return page.evaluate(RUN_AXE, AXE_OPTIONS)


def settle(page):
    """Wait until the maps have drawn and web fonts have loaded, so layout is final."""
    page.wait_for_function(MAPS_READY)
    page.evaluate("document.fonts.ready.then(() => true)")


def phone_site_data():
    """Published entries with every field a detail page shows, some with long words."""
    from tests.factories import (
        AgencyFactory,
        CitationFactory,
        DeploymentFactory,
        HotspotFactory,
        RTIRequestFactory,
        SourceFactory,
        VendorFactory,
    )
    from tracker.catalogue.links import detail_url
    from tracker.models import Publication

    police = AgencyFactory(
        name="Lucknow Police Commissionerate",
        short_name="LPC",
        website="https://lucknowpolice.example.gov.in/a/very/long/path/to/the/home/page",
        pio_address="Public Information Officer, Police Lines, Lucknow 226001",
        location=Point(80.94, 26.85, srid=4326),
    )
    AgencyFactory(name="Delhi Police", state_id="IN-DL", city="New Delhi")
    deployment = DeploymentFactory(
        title="Lucknow Safe City face recognition at two hundred hotspots",
        lead_agency=police,
        summary="Cameras at **200 hotspots** in Lucknow, under the Safe City project.",
        announced_on=date(2021, 3, 1),
        camera_count=1000,
        cost_inr=1234567890,
        funding_source="Nirbhaya Fund",
        legal_basis="Uttar Pradesh Police Regulations",
    )
    deployment.vendors.add(VendorFactory(name="Staqu Technologies", country="India"))
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
    source = SourceFactory(
        url="https://news.example.org/2021/03/01/lucknow-safe-city-face-recognition-cameras-at-"
        "two-hundred-hotspots-announced-by-the-police-commissionerate",
        title="Lucknow to get face recognition cameras at 200 hotspots",
    )
    CitationFactory(deployment=deployment, source=source, quote="Cameras at 200 hotspots.")
    hotspot = HotspotFactory(name="Hazratganj market", agency=police, camera_count=40)
    hotspot.deployments.add(deployment)
    rti_request = RTIRequestFactory(
        title="Cameras at Lucknow hotspots: contracts and accuracy tests",
        authority=police,
        reference_number="UPPOL/R/2024/60001",
        received_on=date(2024, 1, 10),
        filed_on=date(2024, 1, 8),
        application_text="Please provide the contract and the accuracy test reports.",
    )
    rti_request.deployments.add(deployment)
    DeploymentFactory(title="Unpublished draft system", publication=Publication.DRAFT)
    return {
        "deployment": detail_url(deployment),
        "agency": detail_url(police),
        "hotspot": detail_url(hotspot),
        "rti_request": detail_url(rti_request),
    }
