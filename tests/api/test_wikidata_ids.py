"""Agencies and vendors carry Wikidata ids: checked for their form, shown in the API and the
exports, refused with a clear error when malformed. Nothing asks Wikidata anything."""

import csv
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.test import Client
from rest_framework.authtoken.models import Token

from accounts.roles import Role
from tests.factories import AgencyFactory, DeploymentFactory, VendorFactory
from tests.support.people import person
from tracker.models import Agency, Vendor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["Q1", "Q42", "Q123456789012"])
def test_well_formed_ids_are_accepted(value):
    Vendor(name="Staqu", wikidata_id=value).full_clean()


@pytest.mark.parametrize("value", ["42", "q42", "Q", "Q042", "P31", "Q42 ", "Q1234567890123"])
def test_malformed_ids_are_a_field_error_and_the_database_refuses_them(value):
    with pytest.raises(ValidationError) as error:
        Vendor(name="Staqu", wikidata_id=value).full_clean()
    assert "wikidata_id" in error.value.message_dict
    agency = AgencyFactory()
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Agency.objects.filter(pk=agency.pk).update(wikidata_id=value)


def csv_rows(client, name):
    response = client.get(f"/api/v1/export/{name}.csv")
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_api_and_the_exports_carry_them(client):
    agency = AgencyFactory(name="Delhi Police", wikidata_id="Q1190979")
    deployment = DeploymentFactory(lead_agency=agency)
    deployment.vendors.add(
        VendorFactory(name="Innefu", wikidata_id=""), VendorFactory(name="NEC", wikidata_id="Q219")
    )
    assert client.get(f"/api/v1/agencies/{agency.pk}/").json()["wikidata_id"] == "Q1190979"
    vendors = client.get(f"/api/v1/deployments/{deployment.pk}/").json()["vendors"]
    assert [(v["name"], v["wikidata_id"]) for v in vendors] == [("Innefu", ""), ("NEC", "Q219")]

    [row] = csv_rows(client, "agencies")
    assert row["wikidata_id"] == "Q1190979"
    [row] = csv_rows(client, "deployments")
    assert (row["vendor_names"], row["vendor_wikidata_ids"]) == ("Innefu;NEC", ";Q219")


def propose(client, body):
    return client.post("/api/v1/submissions/", json.dumps(body), content_type="application/json")


def test_a_proposal_with_a_malformed_id_is_a_json_error_naming_the_field():
    client = Client()
    volunteer = person("researcher", "Researcher", Role.VOLUNTEER)
    client.defaults["HTTP_AUTHORIZATION"] = "Token " + Token.objects.create(user=volunteer).key
    body = {
        "entity_type": "agency",
        "fields": {"name": "Pune Police", "kind": "police", "wikidata_id": "Pune"},
        "sources": [{"url": "https://news.example.org/pune", "title": "Pune"}],
    }
    response = propose(client, body)
    assert response.status_code == 400, response.content
    assert "wikidata_id" in json.dumps(response.json())

    body["fields"]["wikidata_id"] = "Q2354406"
    response = propose(client, body)
    assert response.status_code == 201, response.content
    assert response.json()["data"]["wikidata_id"] == "Q2354406"
