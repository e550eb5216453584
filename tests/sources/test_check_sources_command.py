"""`manage.py check_sources`: the same checks, synchronously, with a summary."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.factories import SourceFactory
from tests.support.servers import Reply, html_page
from tracker.checking import records as sources
from tracker.models import SourceCheck, SourceHealth

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("check_sources", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_all_sources_are_checked_within_the_per_host_limit(site, settings):
    settings.FETCH_PER_HOST = 2
    site.routes["/ok"] = Reply(body=html_page("fine"), delay=0.05)
    site.routes["/gone"] = Reply(status=404)
    for n in range(10):
        SourceFactory(url=site.url(f"/ok?n={n}"))
    SourceFactory(url=site.url("/gone"))

    out, err = run("--all", "--workers", "8")

    assert SourceCheck.objects.count() == 11
    assert site.peak_in_flight == 2
    lines = out.splitlines()
    assert lines[0].split() == ["outcome", "sources"]
    assert ["broken", "1"] in [line.split() for line in lines]
    assert ["ok", "10"] in [line.split() for line in lines]
    assert lines[-1].split() == ["total", "11"]
    assert "[" + "#" * 30 + "] 11/11" in err


def test_due_checks_only_sources_that_are_due(site):
    site.routes["/s"] = Reply(body=html_page("fine"))
    due = SourceFactory(url=site.url("/s?due"))
    SourceFactory(url=site.url("/s?later"), next_check_at=timezone.now() + timedelta(hours=2))
    out, _ = run("--due")
    assert list(SourceCheck.objects.values_list("source", flat=True)) == [due.pk]
    assert out.splitlines()[-1].split() == ["total", "1"]


def test_one_source_by_id(site):
    site.routes["/s"] = Reply(body=html_page("fine"))
    wanted = SourceFactory(url=site.url("/s?1"), next_check_at=timezone.now() + timedelta(days=1))
    SourceFactory(url=site.url("/s?2"))
    run("--id", str(wanted.pk))
    wanted.refresh_from_db()
    assert wanted.health == SourceHealth.OK
    assert SourceCheck.objects.get().source == wanted


def test_a_source_being_checked_elsewhere_is_skipped(site):
    source = SourceFactory(url=site.url("/s"))
    sources.sources_claim(ids=[source.pk])  # a worker holds it
    out, _ = run("--id", str(source.pk))
    assert "skipped (being checked elsewhere)" in out
    assert not SourceCheck.objects.exists()


def test_an_unknown_id_is_a_clear_error():
    with pytest.raises(CommandError, match="no source with id 999999"):
        run("--id", "999999")


def test_options_are_exclusive():
    with pytest.raises(CommandError, match="not allowed with argument"):
        run("--all", "--due")
