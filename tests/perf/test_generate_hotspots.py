"""generate_demo_data --hotspots N: camera points loaded with COPY, indexes rebuilt."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tracker.catalogue.search import search
from tracker.models import Hotspot

pytestmark = pytest.mark.django_db


def index_names():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'tracker_hotspot'")
        return {row[0] for row in cursor.fetchall()}


def test_hotspots_are_copied_published_inside_india_and_searchable():
    before = index_names()
    call_command("generate_demo_data", deployments=50, hotspots=3000, seed=3, stdout=io.StringIO())
    hotspots = Hotspot.objects.published().filter(is_demo=True)
    assert hotspots.count() == 3000
    assert hotspots.values("state").distinct().count() >= 15
    assert not hotspots.exclude(location__x__range=(67, 98), location__y__range=(5, 38)).exists()
    # The search trigger ran for copied rows, and every index is back.
    assert search(Hotspot.objects.published(), "Lucknow").exists()
    assert index_names() == before


def test_negative_hotspots_are_refused():
    with pytest.raises(CommandError, match="--hotspots must be zero or more"):
        call_command("generate_demo_data", deployments=1, hotspots=-5)
