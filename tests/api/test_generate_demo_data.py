"""generate_demo_data: the benchmark's synthetic dataset."""

import io

import pytest
from django.core.management import CommandError, call_command

from tracker.models import Agency, Citation, Deployment, Hotspot, RTIRequest, Source


def test_generates_a_spread_of_published_deployments_with_sources(db):
    call_command("generate_demo_data", deployments=300, seed=1, stdout=io.StringIO())
    deployments = Deployment.objects.filter(is_demo=True)
    assert deployments.count() == 300
    assert deployments.values("state").distinct().count() >= 15
    assert deployments.values("technology").distinct().count() >= 5
    assert deployments.values("status").distinct().count() >= 6
    published = deployments.filter(publication="published").count()
    assert 270 <= published < 300  # a few drafts on purpose
    assert Citation.objects.filter(deployment__in=deployments).count() == 300
    assert not deployments.filter(location__isnull=True).exists()
    # Every point lies roughly within India.
    assert not deployments.exclude(location__x__range=(67, 98), location__y__range=(5, 38)).exists()
    assert Hotspot.objects.filter(is_demo=True).count() == 15
    assert RTIRequest.objects.filter(is_demo=True).count() == 3


def test_same_seed_same_data_and_no_second_run(db):
    call_command("generate_demo_data", deployments=20, seed=7, stdout=io.StringIO())
    first = list(Deployment.objects.order_by("id").values_list("title", "state_id", "status"))
    with pytest.raises(CommandError, match="already exists"):
        call_command("generate_demo_data", deployments=20, seed=7)
    assert Deployment.objects.count() == 20
    for model in (RTIRequest, Hotspot, Deployment, Agency, Source):
        model.objects.filter(is_demo=True).delete()
    call_command("generate_demo_data", deployments=20, seed=7, stdout=io.StringIO())
    again = list(Deployment.objects.order_by("id").values_list("title", "state_id", "status"))
    assert again == first
    call_command("generate_demo_data", deployments=20, seed=8, stdout=io.StringIO())
    other = list(
        Deployment.objects.filter(slug__contains="-s8-")
        .order_by("id")
        .values_list("title", "state_id", "status")
    )
    assert other != first


def test_negative_count_is_refused(db):
    with pytest.raises(CommandError, match="zero or more"):
        call_command("generate_demo_data", deployments=-1)
