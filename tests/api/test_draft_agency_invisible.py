"""A draft agency linked to published entries never shows its name in any public output.

Every page (in both languages), feed, sitemap, search result, API endpoint,
export and /stats/ is read by an anonymous client; the agency's name must
appear in none of them, and searching for it must find nothing.
"""

from datetime import date

import pytest
from django.contrib.gis.geos import Point
from django.utils import translation

from tests import factories as make
from tests.support.pages import PAGES
from tracker.catalogue.links import detail_url
from tracker.exports.datasets import EXPORTS
from tracker.models import Publication
from tracker.rti.lifecycle import rti_event_record

SECRET = "Xylophonequasar"
SECRET_NAME = f"{SECRET} Surveillance Directorate"


@pytest.fixture
def linked_draft(db):
    """The draft agency as lead, partner, parent, hotspot agency, RTI authority and RTI party."""
    secret = make.AgencyFactory(
        name=SECRET_NAME,
        short_name=SECRET[:10],
        aliases=[f"{SECRET} Cell"],
        publication=Publication.DRAFT,
        state_id="IN-UP",
        location=Point(80.9, 26.8, srid=4326),
    )
    public = make.AgencyFactory(name="Kanpur Police", parent=secret, state_id="IN-UP")
    led = make.DeploymentFactory(
        title="Face recognition at Kanpur station",
        lead_agency=secret,
        announced_on=date(2022, 1, 1),
    )
    partnered = make.DeploymentFactory(title="Kanpur drones", lead_agency=public)
    partnered.partner_agencies.add(secret)
    hotspot = make.HotspotFactory(name="Kanpur Central", agency=secret)
    hotspot.deployments.add(led)
    to_secret = make.RTIRequestFactory(
        title="Who runs the Kanpur cameras", authority=secret, received_on=date(2024, 1, 10)
    )
    rti_event_record(
        rti_request=to_secret, kind="reply_received", day=date(2024, 2, 1), outcome="granted"
    )
    about_secret = make.RTIRequestFactory(title="Kanpur camera contracts", authority=public)
    about_secret.agencies.add(secret)
    about_secret.deployments.add(led)
    source = make.SourceFactory(title="Kanpur cameras report", health="ok")
    make.CitationFactory(source=source, deployment=led)
    for target in ({"agency": public}, {"rti_request": to_secret}, {"hotspot": hotspot}):
        make.CitationFactory(source=source, deployment=None, **target)
    return {
        "secret": secret,
        "published": [public, led, partnered, hotspot, to_secret, about_secret],
        "source": source,
    }


def english_url(obj):
    with translation.override("en"):
        return detail_url(obj)


def site_paths(data):
    pages = list(PAGES)
    filters = [f"?agency={data['secret'].pk}", f"?agency={data['secret'].slug}", "?state=IN-UP"]
    for path in ("/", "/deployments/", "/hotspots/", "/rti/", "/map/deployments.geojson"):
        pages += [path + query for query in filters]
    pages += [english_url(obj) for obj in data["published"]]
    return pages + ["/hi" + path for path in pages]


def api_paths(data):
    paths = ["/api/v1/", "/api/v1/stats/", "/api/v1/schema/?format=json"]
    for name, export in EXPORTS.items():
        paths += [f"/api/v1/{name}/?limit=500", f"/api/v1/export/{name}.csv"]
        if export.geometry:
            paths += [f"/api/v1/{name}/?format=geojson", f"/api/v1/export/{name}.geojson"]
    endpoint = {"Agency": "agencies", "Deployment": "deployments", "Hotspot": "hotspots"}
    for obj in data["published"]:
        name = endpoint.get(type(obj).__name__, "rti-requests")
        paths.append(f"/api/v1/{name}/{obj.pk}/")
        if name != "rti-requests":
            paths.append(f"/api/v1/{name}/{obj.pk}/?format=geojson")
    paths.append(f"/api/v1/sources/{data['source'].pk}/")
    return paths


def body_of(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_the_draft_agency_name_is_in_no_public_output(client, linked_draft):
    for path in site_paths(linked_draft) + api_paths(linked_draft):
        response = client.get(path)
        assert response.status_code in (200, 400), (path, response.status_code)
        body = body_of(response)
        assert SECRET not in body, f"the draft agency's name leaked on {path}"
        assert SECRET[:10] not in body, f"the draft agency's short name leaked on {path}"


def test_searching_for_the_draft_agency_finds_nothing(client, linked_draft):
    for word in (SECRET, f"{SECRET} Cell", "Xylophon*"):
        for path in ("/deployments/", "/agencies/", "/hotspots/", "/rti/"):
            body = client.get(path, {"q": word}).content.decode()
            assert "0 results" in body, f"{path}?q={word} found something"
        for path in ("/map/deployments.geojson", "/map/hotspots.geojson"):
            assert client.get(path, {"q": word}).json()["features"] == [], f"{path}?q={word}"
        for name in ("deployments", "agencies", "hotspots", "rti-requests", "sources"):
            answer = client.get(f"/api/v1/{name}/", {"q": word}).json()
            assert answer["count"] == 0, f"/api/v1/{name}/?q={word}"


def test_the_agency_shows_once_published(client, linked_draft):
    """The same outputs do show it when it is published: the test above can fail."""
    secret = linked_draft["secret"]
    secret.publication = Publication.PUBLISHED
    secret.save()
    for path in ("/stats/", "/rti/", english_url(linked_draft["published"][1])):
        assert SECRET in client.get(path).content.decode(), path
    assert SECRET in body_of(client.get("/api/v1/export/deployments.csv"))
    assert client.get("/api/v1/deployments/", {"q": SECRET}).json()["count"] >= 1
