"""The database itself refuses values that can never be right."""

import pytest
from django.contrib.gis.geos import Point
from django.db import IntegrityError, transaction

from tests.factories import AgencyFactory, DeploymentFactory, HotspotFactory, SourceFactory
from tracker.models import Citation, Deployment, State

pytestmark = pytest.mark.django_db


def test_all_states_and_union_territories_are_loaded():
    assert State.objects.filter(kind="state").count() == 28
    assert State.objects.filter(kind="union_territory").count() == 8
    assert State.objects.get(code="IN-UP").name == "Uttar Pradesh"


@pytest.mark.parametrize(
    "field,value",
    [
        ("location", Point(80.9, 123.0, srid=4326)),
        ("location", Point(200.0, 20.0, srid=4326)),
        ("camera_count", -1),
        ("cost_inr", -500),
    ],
)
def test_deployment_rejects_impossible_values_in_the_database(field, value):
    deployment = DeploymentFactory()
    # Bypass model validation entirely: the database must say no on its own.
    with pytest.raises(IntegrityError), transaction.atomic():
        Deployment.objects.filter(pk=deployment.pk).update(**{field: value})


def test_hotspot_rejects_latitude_out_of_range():
    with pytest.raises(IntegrityError), transaction.atomic():
        HotspotFactory(location=Point(80.0, -91.0, srid=4326))


def test_source_url_is_unique():
    SourceFactory(url="https://example.org/a")
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceFactory(url="https://example.org/a")


def test_slugs_are_unique_and_readable():
    first = AgencyFactory(name="Delhi Police")
    second = AgencyFactory(name="Delhi Police")
    assert first.slug == "delhi-police"
    assert second.slug == "delhi-police-2"
    with pytest.raises(IntegrityError), transaction.atomic():
        AgencyFactory(name="Other", slug="delhi-police")


def test_citation_must_point_at_exactly_one_entity():
    deployment = DeploymentFactory()
    source = SourceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(source=source)
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(source=source, deployment=deployment, agency=deployment.lead_agency)


def test_changes_are_kept_in_history():
    deployment = DeploymentFactory(status="announced")
    deployment.status = "in_use"
    deployment.save()
    statuses = [h.status for h in deployment.history.order_by("history_date")]
    assert statuses == ["announced", "in_use"]
