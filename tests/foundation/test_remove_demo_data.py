"""remove_demo_data: every demo row goes, with what hangs only on it; real entries never change,
and while one points at a demo entry nothing is removed at all."""

import io

import pytest
from django.core.management import CommandError, call_command

from tests.factories import AgencyFactory, DeploymentFactory, VendorFactory
from tests.support.data import built_once
from tracker.ingest.csv_import import deployments_import
from tracker.ingest.demo import demo_data_load
from tracker.models import Agency, Citation, Deployment, Hotspot, RTIRequest, Source, Vendor

pytestmark = pytest.mark.django_db

DEMO_MODELS = (Agency, Deployment, Hotspot, RTIRequest, Source)


def demo_rows():
    return {
        model.__name__: model._base_manager.filter(is_demo=True).count() for model in DEMO_MODELS
    }


@pytest.fixture(scope="module")
def demo_once(django_db_setup, django_db_blocker):
    """The demo data, loaded once for the module; each test runs in a savepoint of it."""
    with built_once(django_db_blocker):
        demo_data_load()
        yield


def remove_demo_data():
    out = io.StringIO()
    call_command("remove_demo_data", stdout=out)
    return out.getvalue()


def test_demo_rows_go_and_real_ones_stay_as_they_were(demo_once):
    demo_source = Source.objects.filter(is_demo=True).first()
    shared_vendor = Vendor.objects.filter(deployments__is_demo=True).first()
    real = DeploymentFactory(title="Real deployment", lead_agency=AgencyFactory(name="Real police"))
    real.vendors.add(shared_vendor, VendorFactory(name="Only real"))
    Citation.objects.create(source=demo_source, deployment=real)
    before = (Deployment.history.filter(id=real.pk).count(), real.updated_at)

    output = remove_demo_data()

    assert demo_rows() == dict.fromkeys(demo_rows(), 0)
    assert output.startswith("Removed ") and " 14 deployments, " in output
    assert "Kept 1 demo sources that real entries cite" in output
    real.refresh_from_db()
    assert (Deployment.history.filter(id=real.pk).count(), real.updated_at) == before
    assert set(real.vendors.values_list("name", flat=True)) == {shared_vendor.name, "Only real"}
    assert Source.objects.get(pk=demo_source.pk).citations.get().deployment == real
    # Vendors only demo deployments named are gone; nothing of the demo stays in history.
    assert set(Vendor.objects.values_list("name", flat=True)) == {shared_vendor.name, "Only real"}
    assert not Deployment.history.filter(is_demo=True).exists()
    assert remove_demo_data().strip() == "No demo data; nothing removed."


def test_a_real_entry_pointing_at_a_demo_one_stops_everything(demo_once):
    demo_agency = Agency.objects.filter(is_demo=True).first()
    real = DeploymentFactory(title="Real deployment", lead_agency=demo_agency)
    counts = demo_rows()
    with pytest.raises(CommandError) as refused:
        remove_demo_data()
    message = str(refused.value)
    assert message.startswith("real entries point at demo entries; change them first")
    assert f"deployment {real.pk} “Real deployment”: lead_agency is the demo agency" in message
    assert demo_rows() == counts


def test_imported_real_rows_citing_a_demo_source_keep_it(demo_once):
    url = Source.objects.filter(is_demo=True).values_list("url", flat=True).first()
    row = (
        "title,agency,technology,purpose_class,status,state,city,latitude,longitude,"
        "announced_year,vendor,cost_inr,summary,source_title,source_url\n"
        f"Real cameras,Real police,facial_recognition,surveillance,announced,Uttar Pradesh,"
        f"Agra,,,2023,,,,A report,{url}\n"
    )
    deployments_import(text=row)
    remove_demo_data()
    source = Source.objects.get(url=url)
    assert not source.is_demo
    assert source.citations.get().deployment.title == "Real cameras"
