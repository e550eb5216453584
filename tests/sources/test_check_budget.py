"""Every check ends within its budget: a stuck one is given up and recorded as an error,
and Celery's soft time limit records what is left the same way; claims are released."""

import time
from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import SourceFactory
from tests.support.servers import Reply, html_page
from tracker.checking import scheduler
from tracker.models import SourceHealth

pytestmark = pytest.mark.django_db


def run_check_sources():
    out = StringIO()
    call_command("check_sources", "--all", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_stuck_check_is_given_up_recorded_as_an_error_and_its_claim_released(
    monkeypatch, settings
):
    settings.FETCH_SLOT_WAIT = 0
    settings.FETCH_TOTAL_TIMEOUT = 0.5
    monkeypatch.setattr(scheduler, "CHECK_GRACE_SECONDS", 0.5)

    def hangs(**kwargs):  # e.g. a parser stuck on a page: far past any budget
        time.sleep(5)

    monkeypatch.setattr(scheduler, "source_fetch", hangs)
    source = SourceFactory(health=SourceHealth.OK)
    started = time.monotonic()
    out = run_check_sources()
    assert time.monotonic() - started < 3
    assert ["error", "1"] in [line.split() for line in out.splitlines()]
    source.refresh_from_db()
    check = source.checks.get()
    assert check.outcome == "error" and "gave up after 1 s" in check.error
    assert source.check_claimed_at is None and source.health == SourceHealth.OK


def test_the_celery_soft_time_limit_records_what_is_left_as_errors(monkeypatch, site):
    from celery.exceptions import SoftTimeLimitExceeded

    from tracker.checking import records

    site.routes["/slow"] = Reply(body=html_page("late"), delay=0.3)
    group = [SourceFactory(url=site.url(f"/slow?n={n}")) for n in range(6)]
    claimed = records.sources_claim(ids=[s.pk for s in group], due_only=False)
    started = time.monotonic()
    real_give_up = scheduler._Run.give_up_overdue

    def time_limit_strikes(run):  # what Celery's soft limit does to the task's thread
        if time.monotonic() - started > 0.5:
            raise SoftTimeLimitExceeded()
        real_give_up(run)

    monkeypatch.setattr(scheduler._Run, "give_up_overdue", time_limit_strikes)
    with pytest.raises(SoftTimeLimitExceeded):
        scheduler.sources_check(claimed)
    outcomes = [s.checks.get().outcome for s in group]
    assert "error" in outcomes and set(outcomes) <= {"ok", "error"}
    for source in group:
        source.refresh_from_db()
        assert source.check_claimed_at is None
