"""factory_boy factories with readable defaults; published unless told otherwise."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point

from tracker import models as m


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"volunteer{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Agency

    name = factory.Sequence(lambda n: f"City Police {n}")
    kind = m.AgencyKind.POLICE
    level = m.AgencyLevel.CITY
    state_id = "IN-UP"
    city = "Lucknow"
    publication = m.Publication.PUBLISHED


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Vendor
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Vendor {n}")


class DeploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Deployment

    title = factory.Sequence(lambda n: f"Face recognition cameras {n}")
    lead_agency = factory.SubFactory(AgencyFactory)
    technology = m.Technology.FACIAL_RECOGNITION
    purpose_class = m.PurposeClass.SURVEILLANCE
    status = m.DeploymentStatus.IN_USE
    state_id = "IN-UP"
    city = "Lucknow"
    location = factory.LazyFunction(lambda: Point(80.95, 26.85, srid=4326))
    location_precision = m.LocationPrecision.CITY
    publication = m.Publication.PUBLISHED


class HotspotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Hotspot

    name = factory.Sequence(lambda n: f"Market square {n}")
    kind = m.HotspotKind.MARKET
    city = "Lucknow"
    state_id = "IN-UP"
    location = factory.LazyFunction(lambda: Point(80.94, 26.86, srid=4326))
    publication = m.Publication.PUBLISHED


class RTIRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.RTIRequest

    title = factory.Sequence(lambda n: f"Cameras at hotspots, request {n}")
    authority = factory.SubFactory(AgencyFactory)
    filed_by = "A citizen"
    publication = m.Publication.PUBLISHED


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Source

    url = factory.Sequence(lambda n: f"https://news.example.org/story-{n}")
    title = factory.Sequence(lambda n: f"News story {n}")
    publisher = "Example News"


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Citation

    source = factory.SubFactory(SourceFactory)
    deployment = factory.SubFactory(DeploymentFactory)
    claim = "The deployment exists."


def long_lists(count=60):
    """``count`` published deployments, agencies, hotspots and RTI requests (plus a few
    drafts) whose sort keys tie often and are often NULL, so that every order's page
    boundaries fall inside runs of ties and inside and between the runs of NULLs."""
    from datetime import UTC, date, datetime, timedelta

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
