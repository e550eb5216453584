"""Indexed full-text search: kept current by the database, drafts never found, the index used."""

import pytest
from django.db import connection

from tests.factories import AgencyFactory, DeploymentFactory, HotspotFactory, VendorFactory
from tests.support.data import rows_copied
from tracker.catalogue.datacache import data_changed
from tracker.catalogue.search import search
from tracker.models import Agency, Deployment, Publication, Vendor
from tracker.publication import entity_publish, entity_withdraw

pytestmark = pytest.mark.django_db


def found(path, q):
    from django.test import Client

    response = Client().get(path, {"q": q})
    assert response.status_code == 200
    return [row["title"] if "title" in row else row["name"] for row in response.json()["results"]]


def test_a_renamed_agency_is_found_under_its_new_name_through_its_deployments():
    agency = AgencyFactory(name="Nagar Nigam Surveillance Cell")
    partner = AgencyFactory(name="Quillmoor Transit Board")
    led = DeploymentFactory(title="Cameras at junctions", lead_agency=agency)
    shared = DeploymentFactory(title="Station gates")
    shared.partner_agencies.add(partner)
    HotspotFactory(name="Clock tower", agency=agency)

    agency.name = "Vigilant Metropolis Directorate"
    agency.save()
    partner.name = "Brightwater Rail Authority"
    partner.save()

    assert found("/api/v1/deployments/", "vigilant metropolis") == [led.title]
    assert found("/api/v1/deployments/", "nagar nigam") == []
    assert found("/api/v1/deployments/", "brightwater") == [shared.title]
    assert found("/api/v1/deployments/", "quillmoor") == []
    assert found("/api/v1/hotspots/", "vigilant") == ["Clock tower"]


def test_a_renamed_vendor_and_a_removed_partner_change_the_documents():
    vendor = VendorFactory(name="Oldvendor Systems")
    partner = AgencyFactory(name="Parrotfish Agency")
    deployment = DeploymentFactory(title="Airport gates")
    deployment.vendors.add(vendor)
    deployment.partner_agencies.add(partner)
    assert found("/api/v1/deployments/", "oldvendor") == ["Airport gates"]
    Vendor.objects.filter(pk=vendor.pk).update(name="Newvendor Analytics")  # the trigger alone
    data_changed()  # a raw UPDATE sends no signal; a save() would replace the data version
    assert found("/api/v1/deployments/", "newvendor") == ["Airport gates"]
    assert found("/api/v1/deployments/", "oldvendor") == []
    deployment.partner_agencies.remove(partner)
    assert found("/api/v1/deployments/", "parrotfish") == []


def test_a_drafts_words_are_never_found():
    draft_agency = AgencyFactory(name="Glimmerdraft Office", publication=Publication.DRAFT)
    DeploymentFactory(title="Moonwhisper face system", publication=Publication.DRAFT)
    public = DeploymentFactory(title="Public cameras", lead_agency=draft_agency)
    for path, word in [
        ("/api/v1/deployments/", "moonwhisper"),
        ("/api/v1/deployments/", "glimmerdraft"),
        ("/api/v1/agencies/", "glimmerdraft"),
    ]:
        assert found(path, word) == [], (path, word)
    from django.test import Client

    assert "Moonwhisper" not in Client().get("/deployments/", {"q": "moonwhisper"}).text

    # Publishing the agency makes its name findable through the deployment ...
    entity_publish(entity=Agency.objects.get(pk=draft_agency.pk))
    assert found("/api/v1/deployments/", "glimmerdraft") == [public.title]
    # ... and withdrawing it takes the name out again.
    entity_withdraw(entity=Agency.objects.get(pk=draft_agency.pk), reason="Duplicate entry")
    assert found("/api/v1/deployments/", "glimmerdraft") == []


def test_hindi_words_match_exactly_and_english_by_stem():
    DeploymentFactory(title="लखनऊ चेहरा पहचान प्रणाली")
    DeploymentFactory(title="Cameras watching stations")
    assert found("/api/v1/deployments/", "पहचान") == ["लखनऊ चेहरा पहचान प्रणाली"]
    assert found("/api/v1/deployments/", "camera station") == ["Cameras watching stations"]
    assert found("/api/v1/deployments/", "पहचा") == []


def test_ranking_weights_title_above_agency_above_summary():
    DeploymentFactory(title="Ordinary system", summary="Mentions gorilla once")
    DeploymentFactory(title="Ordinary system two", lead_agency=AgencyFactory(name="Gorilla Police"))
    DeploymentFactory(title="Gorilla cameras")
    assert found("/api/v1/deployments/", "gorilla") == [
        "Gorilla cameras",
        "Ordinary system two",
        "Ordinary system",
    ]


def test_search_uses_the_gin_index_at_10000_rows():
    # One row through the ORM, then 9,999 copies of it in one INSERT ... SELECT (the
    # database's triggers write each one's search document); every 1,000th is a zebrafinch.
    first = DeploymentFactory(
        title="Generated system 0 zebrafinch",
        slug="generated-0",
        lead_agency=AgencyFactory(name="Bulk Police"),
    )
    rows_copied(
        first,
        9_999,
        title="'Generated system ' || n || CASE WHEN n %% 1000 = 0 THEN ' zebrafinch' ELSE '' END",
        slug="'generated-' || n",
    )
    assert Deployment.objects.count() == 10_000
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tracker_deployment")
    queryset = search(Deployment.objects.published(), "zebrafinch")
    assert queryset.count() == 10
    plan = queryset.explain()
    assert "deployment_search_document" in plan, plan
    assert "Seq Scan on tracker_deployment" not in plan, plan
