"""A field's label is shown in the reader's language, and an unknown stored value as is."""

import pytest
from django.utils import translation

from tests.factories import DeploymentFactory
from tracker.models import DeploymentStatus, Technology

pytestmark = pytest.mark.django_db


def test_labels_follow_the_language_of_the_moment():
    deployment = DeploymentFactory(
        status=DeploymentStatus.IN_USE, technology=Technology.FACIAL_RECOGNITION
    )
    with translation.override("en"):
        assert deployment.get_status_display() == "In use"
        assert deployment.get_technology_display() == "Facial recognition"
    with translation.override("hi"):
        assert deployment.get_status_display() == "उपयोग में"
        assert deployment.get_technology_display() == "चेहरा पहचान"
    with translation.override("en"):  # the table keeps labels, not one language's words
        assert deployment.get_status_display() == "In use"


def test_a_value_outside_the_vocabulary_is_shown_as_stored():
    deployment = DeploymentFactory.build(status="retired_long_ago")
    assert deployment.get_status_display() == "retired_long_ago"
