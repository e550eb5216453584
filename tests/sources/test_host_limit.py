"""At most FETCH_PER_HOST requests in flight per host; the rest wait their turn."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.servers import Reply
from tracker.checking import host_limit as limits
from tracker.checking.fetch import fetch


def test_requests_to_one_host_wait_for_a_free_slot(site, settings):
    settings.FETCH_PER_HOST = 2
    site.routes["/slow"] = Reply(body=b"done", delay=0.3)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: fetch(site.url("/slow")), range(8)))
    assert [r.body for r in results] == [b"done"] * 8  # all waited, none failed
    assert site.peak_in_flight == 2


def test_other_hosts_are_not_held_up(make_site, settings):
    settings.FETCH_PER_HOST = 1
    busy, free = make_site("127.0.0.1"), make_site("127.0.0.2")
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.1", "127.0.0.2"]
    busy.routes["/slow"] = Reply(body=b"slow", delay=1.0)
    free.routes["/fast"] = Reply(body=b"fast")
    thread = threading.Thread(target=fetch, args=(busy.url("/slow"),))
    thread.start()
    threading.Event().wait(0.2)
    assert fetch(free.url("/fast")).body == b"fast"
    assert busy.in_flight == 1  # the slow request is still running
    thread.join()


def test_a_slot_that_never_frees_times_out(settings):
    settings.FETCH_PER_HOST = 1
    with limits.host_slot("busy.example.org", lease_seconds=30):
        with pytest.raises(limits.SlotTimeout):
            with limits.host_slot("busy.example.org", lease_seconds=30, wait_seconds=0.2):
                pass
    # Released on exit: the next caller gets it at once.
    with limits.host_slot("busy.example.org", lease_seconds=30, wait_seconds=0):
        pass


def test_a_dead_holders_slot_expires_with_its_lease(settings):
    settings.FETCH_PER_HOST = 1
    holder = limits.host_slot("crashed.example.org", lease_seconds=0.3)
    holder.__enter__()  # never exits, like a worker killed mid-request
    with limits.host_slot("crashed.example.org", lease_seconds=5, wait_seconds=2):
        pass


def test_redis_urls_in_both_forms():
    unix = limits._client_for_url("redis+socket:///run/redis.sock?virtual_host=7")
    assert unix.connection_pool.connection_kwargs["path"] == "/run/redis.sock"
    assert unix.connection_pool.connection_kwargs["db"] == 7
    tcp = limits._client_for_url("redis://127.0.0.1:6390/3")
    assert tcp.connection_pool.connection_kwargs["db"] == 3
