"""The sweep claims due sources once per round, and a redelivered sweep finishes its round."""

import pytest

from tests.factories import SourceFactory
from tracker.checking import host_limit as limits
from tracker.models import Source
from tracker.tasks import source_check_sweep

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_queue():
    limits.redis_client().delete("checks")


def queued_checks():
    """Check tasks waiting in the real broker's checks queue."""
    return limits.redis_client().llen("checks")


def test_a_sweep_enqueues_due_sources_after_commit(django_capture_on_commit_callbacks):
    SourceFactory.create_batch(3)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert source_check_sweep.apply(task_id="sweep-1").result == 3
    assert queued_checks() == 0  # nothing is sent before the claims are committed
    assert Source.objects.filter(check_claimed_at__isnull=False).count() == 3
    for callback in callbacks:
        callback()
    assert queued_checks() == 3  # one check each


def test_a_redelivered_sweep_sends_again_what_it_claimed(django_capture_on_commit_callbacks):
    SourceFactory.create_batch(3)
    with django_capture_on_commit_callbacks(execute=False):
        source_check_sweep.apply(task_id="sweep-2")  # its worker dies before sending
    # Another sweep finds nothing to claim: the round's sources are taken...
    with django_capture_on_commit_callbacks(execute=False) as others:
        assert source_check_sweep.apply(task_id="sweep-3").result == 0
    assert others == []
    # ...but the same sweep, delivered again, sends its three checks.
    with django_capture_on_commit_callbacks(execute=True):
        assert source_check_sweep.apply(task_id="sweep-2").result == 3
    assert queued_checks() == 3
