"""The demo data `make run` loads: complete, marked as demo, loaded once."""

import pytest
from django.core.management import call_command

from tracker.models import Agency, Citation, Deployment, Hotspot, RTIRequest, Source

pytestmark = pytest.mark.django_db


def counts():
    return [
        m.objects.count() for m in (Agency, Deployment, Hotspot, RTIRequest, Source, Citation)
    ] + [m.history.count() for m in (Agency, Deployment, Hotspot, RTIRequest)]


def test_demo_data_loads_the_lucknow_case_and_a_second_load_adds_nothing():
    call_command("load_demo_data", stdout=open("/dev/null", "w"))
    first = counts()
    call_command("load_demo_data", stdout=open("/dev/null", "w"))
    assert counts() == first

    assert Deployment.objects.published().count() == 14
    lucknow = Agency.objects.get(name="Lucknow Police Commissionerate")
    assert lucknow.is_demo and lucknow.location is not None
    deployment = lucknow.led_deployments.get()
    assert deployment.hotspots.count() >= 3
    rti = RTIRequest.objects.get(authority=lucknow)
    assert rti.is_demo and rti.deployments.get() == deployment
    assert rti.events.count() == 2
    assert all(h.is_demo for h in Hotspot.objects.all())
    assert not Deployment.objects.filter(is_demo=False).exists()


def test_loading_demo_data_never_touches_a_real_entry_with_the_same_name():
    from tests.factories import AgencyFactory, CitationFactory, DeploymentFactory

    lucknow = AgencyFactory(
        name="Lucknow Police Commissionerate", website="https://real.example", city="Lucknow"
    )
    delhi = AgencyFactory(name="Delhi Police", city="New Delhi", state_id="IN-DL")
    real = DeploymentFactory(
        title="Delhi Police facial recognition software", lead_agency=delhi, summary="Real."
    )
    CitationFactory(deployment=real)

    def snapshot():
        return [
            (obj.pk, obj.history.count(), obj.updated_at, obj.is_demo)
            for obj in (
                Agency.objects.get(pk=lucknow.pk),
                Agency.objects.get(pk=delhi.pk),
                Deployment.objects.get(pk=real.pk),
            )
        ] + [
            real.citations.count(),
            lucknow.led_deployments.count(),
            delhi.led_deployments.count(),
            lucknow.rti_requests.count(),
            lucknow.hotspots.count(),
        ]

    before = snapshot()
    call_command("load_demo_data", stdout=open("/dev/null", "w"))
    assert snapshot() == before
    assert Agency.objects.get(pk=lucknow.pk).website == "https://real.example"
    demo = Agency.objects.get(name="Lucknow Police Commissionerate", is_demo=True)
    assert demo.pk != lucknow.pk and demo.rti_requests.count() == 1
    assert Deployment.objects.filter(title=real.title, is_demo=True).count() == 1
