"""The sweep claims due sources once per round, and a redelivered sweep finishes its round."""

import pytest

from tests.factories import SourceFactory
from tests.support.services import checks_queue, queued_check_groups
from tracker.checking import host_limit as limits
from tracker.models import Source
from tracker.tasks import source_check_sweep

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_queue():
    limits.redis_client().delete(checks_queue())


def queued_checks():
    """Sources whose checks wait in the real broker's default queue."""
    return sum(len(group) for group in queued_check_groups())


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


def test_a_sweep_groups_sources_by_host(django_capture_on_commit_callbacks):
    for n in range(3):
        SourceFactory(url=f"https://a.example.org/{n}")
        SourceFactory(url=f"https://b.example.org/{n}")
    with django_capture_on_commit_callbacks(execute=True):
        assert source_check_sweep.apply(task_id="sweep-4").result == 6
    [group] = queued_check_groups()  # one task for the six checks
    hosts = [sources_host(pk) for pk in group]
    assert sorted(hosts) == ["a.example.org"] * 3 + ["b.example.org"] * 3


def sources_host(pk):
    return Source.objects.get(pk=pk).url.split("/")[2]
