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
