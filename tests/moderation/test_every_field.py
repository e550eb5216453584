"""Every fact an entry's public page shows can be proposed, corrected and published: after
approval the page shows what the volunteer sent. A correction's "why" is shown to moderators
and in the entry's public history."""

from datetime import date

import pytest
from django.urls import reverse

from moderation.models import Submission
from tests.factories import AgencyFactory, DeploymentFactory, VendorFactory
from tests.support.pages import NEW_DEPLOYMENT_URL, as_browser_sends, deployment_post
from tests.support.pages import approve as approve_as
from tests.support.people import signed_in
from tracker.catalogue.links import detail_url
from tracker.models import Agency, Hotspot, LinkedDatabase, RTIRequest, Vendor

pytestmark = pytest.mark.django_db


def approve(moderator):
    return approve_as(Submission.objects.latest("id"), moderator).entity


def test_a_deployment_with_every_field(volunteer, moderator, client):
    partner = AgencyFactory(name="Uttar Pradesh Home Department")
    VendorFactory(name="Staqu Technologies")
    post = deployment_post(
        purpose_tags=["criminal_identification", "womens_safety"],
        partner_agencies=[partner.pk],
        vendors=["Staqu Technologies"],
        new_vendor_name_1="Lucknow Vision Systems",
        new_vendor_country_1="India",
        new_vendor_website_1="https://lvs.example.com",
        announced_on="2021-03-01",
        announced_precision="month",
        tender_published_on="2021-06-15",
        tender_published_precision="day",
        in_use_since="2022-01-01",
        in_use_since_precision="year",
        last_reported_use="2024-02-10",
        cost_inr="1234567890",
        cost_covers="cameras and five years of maintenance",
        funding_source="Nirbhaya Fund",
        legal_basis="Uttar Pradesh Police Regulations",
        legal_basis_url="https://up.example.gov.in/regulations",
        court_cases="PIL 123/2023 before the Allahabad High Court",
        data_retention="Thirty days, longer for matches",
        accuracy_claims="The vendor claims 98% accuracy",
        database_name_1="CCTNS",
        database_public_1="false",
        database_storage_1="permanent",
        database_name_2="Missing persons register",
        database_storage_2="temporary",
    )
    response = signed_in(volunteer).post(NEW_DEPLOYMENT_URL, post)
    assert response.status_code == 302, response.context["form"].errors
    deployment = approve(moderator)
    assert sorted(deployment.purpose_tags) == ["criminal_identification", "womens_safety"]
    assert deployment.announced_on == date(2021, 3, 1) and deployment.announced_precision == "month"
    assert deployment.in_use_since_precision == "year"
    assert deployment.last_reported_use_precision == "day"
    new_vendor = Vendor.objects.get(name="Lucknow Vision Systems")
    assert new_vendor.country == "India" and new_vendor.website == "https://lvs.example.com"
    assert {v.name for v in deployment.vendors.all()} == {
        "Staqu Technologies",
        "Lucknow Vision Systems",
    }
    cctns = LinkedDatabase.objects.get(deployment=deployment, name="CCTNS")
    assert cctns.is_public is False and cctns.storage == "permanent"
    page = client.get(detail_url(deployment)).content.decode()
    for shown in [
        "Criminal identification",
        "Women&#x27;s safety",
        "Uttar Pradesh Home Department",
        "Staqu Technologies",
        "Lucknow Vision Systems",
        "March 2021",  # month precision
        "15 June 2021",
        "2022",
        "10 February 2024",
        "cameras and five years of maintenance",
        "Nirbhaya Fund",
        "Uttar Pradesh Police Regulations",
        "https://up.example.gov.in/regulations",
        "PIL 123/2023",
        "Thirty days",
        "98% accuracy",
        "CCTNS (private; storage: permanent)",
        "Missing persons register",
    ]:
        assert shown in page, shown


def test_a_correction_of_links_vendors_and_databases_with_why_in_the_history(
    volunteer, moderator, client
):
    deployment = DeploymentFactory(title="Delhi FRS")
    deployment.vendors.add(VendorFactory(name="Innefu Labs"))
    LinkedDatabase.objects.create(deployment=deployment, name="CCTNS")
    url = reverse("moderation:submit-correction", args=["deployment", deployment.pk])
    volunteer_client = signed_in(volunteer)
    form = volunteer_client.get(url).context["form"]
    post = as_browser_sends(form)
    assert post["vendors"] == ["Innefu Labs"] and post["database_name_1"] == "CCTNS"
    post.update(
        vendors=[],
        new_vendor_name_1="NEC",
        database_name_1="",
        database_name_2="Vahan",
        database_storage_2="permanent",
        why="The 2024 tender names NEC, not Innefu, and the Vahan database.",
        source_url_1="https://news.example.org/delhi-tender",
        action="submit",
    )
    assert volunteer_client.post(url, post).status_code == 302
    submission = Submission.objects.get()
    assert submission.data["vendors"] == ["NEC"]
    assert submission.data["linked_databases"] == [
        {"name": "Vahan", "is_public": None, "storage": "permanent"}
    ]
    review = signed_in(moderator).get(reverse("moderation:review", args=[submission.pk]))
    assert "Innefu Labs" in review.content.decode() and "NEC" in review.content.decode()
    approve(moderator)
    assert [v.name for v in deployment.vendors.all()] == ["NEC"]
    assert [db.name for db in deployment.linked_databases.all()] == ["Vahan"]
    page = client.get(detail_url(deployment)).content.decode()
    assert "The 2024 tender names NEC, not Innefu, and the Vahan database." in page


def test_an_agency_with_other_names_parent_and_rti_contacts(volunteer, moderator):
    parent = AgencyFactory(name="Madhya Pradesh Police")
    post = {
        "name": "Bhopal Police Commissionerate",
        "short_name": "BPC",
        "aliases": "Bhopal Police\nBhopal City Police",
        "kind": "police",
        "level": "city",
        "parent": parent.pk,
        "state": "IN-MP",
        "city": "Bhopal",
        "website": "https://bhopal.example.gov.in",
        "pio_address": "PIO, Police Headquarters, Bhopal",
        "rti_portal_url": "https://rti.example.gov.in",
        "appellate_authority": "Deputy Commissioner (HQ)",
        "source_url_1": "https://news.example.org/bpc",
        "action": "submit",
    }
    response = signed_in(volunteer).post(reverse("moderation:submit-new", args=["agency"]), post)
    assert response.status_code == 302, response.context["form"].errors
    agency = approve(moderator)
    agency = Agency.objects.get(pk=agency.pk)
    assert agency.aliases == ["Bhopal Police", "Bhopal City Police"]
    assert agency.parent == parent and agency.website == "https://bhopal.example.gov.in"
    assert agency.pio_address == "PIO, Police Headquarters, Bhopal"
    assert agency.appellate_authority == "Deputy Commissioner (HQ)"


def test_a_hotspot_with_its_deployments_and_date(volunteer, moderator):
    covering = DeploymentFactory(title="Lucknow Safe City")
    post = {
        "name": "Hazratganj market",
        "kind": "market",
        "state": "IN-UP",
        "city": "Lucknow",
        "latitude": "26.85",
        "longitude": "80.94",
        "deployments": f"{covering.pk}",
        "identified_on": "2023-05-01",
        "source_url_1": "https://news.example.org/hazratganj",
        "action": "submit",
    }
    url = reverse("moderation:submit-new", args=["hotspot"])
    bad = signed_in(volunteer).post(url, {**post, "deployments": "99999, x"})
    assert "like 12, 40" in bad.context["form"].errors["deployments"][0]
    assert signed_in(volunteer).post(url, post).status_code == 302
    hotspot = Hotspot.objects.get(pk=approve(moderator).pk)
    assert list(hotspot.deployments.all()) == [covering]
    assert hotspot.identified_on == date(2023, 5, 1)


def test_an_rti_request_with_its_flags_and_related_entries(volunteer, moderator):
    authority = AgencyFactory(name="Lucknow Police")
    about = DeploymentFactory(title="Lucknow Safe City")
    post = {
        "title": "Accuracy tests of the Safe City cameras",
        "authority": authority.pk,
        "application_text": "Please give the accuracy test reports.",
        "life_or_liberty": "on",
        "third_party": "on",
        "deployments": str(about.pk),
        "agencies": [authority.pk],
        "action": "submit",
    }
    url = reverse("moderation:submit-new", args=["rti_request"])
    assert signed_in(volunteer).post(url, post).status_code == 302
    request = RTIRequest.objects.get(pk=approve(moderator).pk)
    assert request.life_or_liberty and request.third_party and not request.security_org
    assert list(request.deployments.all()) == [about]
    assert list(request.agencies.all()) == [authority]


def test_a_correction_needs_a_why(volunteer):
    deployment = DeploymentFactory(title="Metro cameras", camera_count=3)
    url = reverse("moderation:submit-correction", args=["deployment", deployment.pk])
    client = signed_in(volunteer)
    post = as_browser_sends(client.get(url).context["form"])
    post.update(camera_count="9", source_url_1="https://news.example.org/9", action="submit")
    response = client.post(url, post)
    assert response.context["form"].errors["why"] == ["This field is required."]
    page = response.content.decode()
    assert "<title>Error: Suggest a correction: Metro cameras" in page
    assert Submission.objects.count() == 0
