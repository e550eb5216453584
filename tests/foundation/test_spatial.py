"""Spatial rules against the real PostGIS (the distance and box filters: tests/api)."""

import pytest
from django.contrib.gis.geos import Point

from tests.factories import DeploymentFactory

pytestmark = pytest.mark.django_db

LUCKNOW = (80.95, 26.85)


def test_every_state_has_a_boundary_and_cities_fall_inside_their_own():
    from tracker.catalogue.geography import point_plausibly_in_state
    from tracker.models import State

    assert State.objects.filter(boundary__isnull=True).count() == 0  # every one has a shape
    up, goa = State.objects.get(code="IN-UP"), State.objects.get(code="IN-GA")
    lucknow = Point(*LUCKNOW, srid=4326)
    assert point_plausibly_in_state(lucknow, up) is True
    assert point_plausibly_in_state(lucknow, goa) is False
    hyderabad = Point(78.47, 17.39, srid=4326)
    assert point_plausibly_in_state(hyderabad, State.objects.get(code="IN-TS")) is True
    assert point_plausibly_in_state(None, up) is None


def test_admin_column_gives_the_same_answer_in_sql():
    from tracker.catalogue.geography import plausibly_in_state_sql
    from tracker.models import Deployment

    lucknow = Point(*LUCKNOW, srid=4326)
    rows = {
        DeploymentFactory(location=lucknow, state_id="IN-UP").pk: True,
        DeploymentFactory(location=lucknow, state_id="IN-GA").pk: False,
        DeploymentFactory(location=None, state_id="IN-UP").pk: None,
        DeploymentFactory(location=lucknow, state_id=None).pk: None,
    }
    found = dict(Deployment.objects.annotate(ok=plausibly_in_state_sql()).values_list("pk", "ok"))
    assert found == rows


def test_a_state_is_named_in_hindi_on_hindi_pages_when_its_hindi_name_is_known():
    from django.utils import translation

    from tracker.catalogue.geography import state_name, state_name_sql
    from tracker.models import State

    State.objects.filter(code="IN-GA").update(name_hi="")
    names = dict.fromkeys(["IN-UP", "IN-GA"])
    for language, expected in [("en", ["Uttar Pradesh", "Goa"]), ("hi", ["उत्तर प्रदेश", "Goa"])]:
        with translation.override(language):
            in_python = [
                state_name(s.name, s.name_hi) for s in State.objects.filter(code__in=names)
            ]
            in_sql = list(
                State.objects.filter(code__in=names)
                .annotate(shown=state_name_sql("boundary__state"))
                .values_list("shown", flat=True)
            )
        assert sorted(in_python) == sorted(expected) == sorted(in_sql), language
