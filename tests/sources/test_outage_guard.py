"""The outage guard: a network outage is not a wave of dead links, but a dead host among
working ones still counts.

Names under ``.invalid`` (RFC 6761) never resolve; to be sure no DNS packet leaves the
machine, the fetcher's resolver is replaced by one that refuses them itself.
"""

import socket
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.roles import Role, role_grant
from tests.factories import CitationFactory, SourceFactory
from tests.support.servers import Reply, html_page
from tracker.checking import fetch as fetcher
from tracker.checking.outage import checker_is_offline
from tracker.models import CheckerStatus, ReviewItem, SourceHealth

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_dns(monkeypatch):
    """Only IP literals resolve (without any lookup); every name fails as no network would."""

    def resolve(host, port, *args, **kwargs):
        try:
            socket.inet_pton(socket.AF_INET6 if ":" in host else socket.AF_INET, host)
        except OSError:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None
        return socket.getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(fetcher, "resolver", resolve)


def run_check_sources():
    out = StringIO()
    call_command("check_sources", "--all", stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.parametrize(
    ("reached", "unreached", "canary_failed", "known_offline", "offline"),
    [
        (0, 6, False, False, True),  # nothing answers: offline
        (9, 1, False, False, False),  # one dead host among many: online
        (2, 6, False, False, True),  # most hosts silent
        (5, 5, False, False, False),  # half: not "most"
        (8, 0, True, False, True),  # the canary page fails: offline whatever else
        (0, 1, False, False, False),  # one silent host, nothing known: it counts
        (0, 1, False, True, True),  # one silent host during a known outage
        (1, 1, False, True, False),  # something answered: the network is back
    ],
)
def test_the_outage_rule(reached, unreached, canary_failed, known_offline, offline):
    assert (
        checker_is_offline(
            reached=reached,
            unreached=unreached,
            canary_failed=canary_failed,
            known_offline=known_offline,
        )
        is offline
    )


def test_when_no_host_resolves_nothing_is_marked_broken(settings):
    cited = []
    for n in range(6):
        source = SourceFactory(
            url=f"https://news{n}.invalid/story", health=SourceHealth.OK, consecutive_failures=2
        )
        CitationFactory(source=source)
        cited.append(source)

    out = run_check_sources()

    assert ["unreachable", "6"] in [line.split() for line in out.splitlines()]
    for source in cited:
        source.refresh_from_db()
        assert (source.health, source.consecutive_failures) == (SourceHealth.OK, 2)
        assert source.checks.get().outcome == "unreachable"
        assert source.check_claimed_at is None and source.next_check_at
    assert not ReviewItem.objects.exists()
    status = CheckerStatus.current()
    assert status.offline_since is not None
    assert "6 of 6 hosts" in status.offline_reason


def test_one_host_that_does_not_resolve_among_working_ones_counts(make_site, settings):
    hosts = [f"127.0.0.{n}" for n in range(2, 7)]
    settings.FETCH_ALLOW_HOSTS = hosts
    for host in hosts:
        site = make_site(host)
        site.routes["/story"] = Reply(body=html_page("Forty cameras."))
        SourceFactory(url=site.url("/story"))
    dead = SourceFactory(
        url="https://gone.invalid/story", health=SourceHealth.OK, consecutive_failures=2
    )
    CitationFactory(source=dead)

    run_check_sources()

    dead.refresh_from_db()
    assert dead.health == SourceHealth.BROKEN and dead.consecutive_failures == 3
    assert "cannot resolve gone.invalid" in dead.checks.get().error
    assert ReviewItem.objects.get().source == dead
    status = CheckerStatus.current()
    assert status.offline_since is None and status.last_online_at


def test_a_failing_canary_marks_the_checker_offline(make_site, settings):
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    site = make_site("127.0.0.1")
    site.routes["/story"] = Reply(body=html_page("fine"))
    settings.FETCH_CANARY_URL = "https://canary.invalid/"
    working = SourceFactory(url=site.url("/story"))
    dead = SourceFactory(url="https://gone.invalid/", consecutive_failures=2)
    run_check_sources()
    dead.refresh_from_db()
    working.refresh_from_db()
    assert dead.checks.get().outcome == "unreachable" and dead.consecutive_failures == 2
    assert working.health == SourceHealth.OK
    assert CheckerStatus.current().offline_since is not None


def test_the_moderation_page_says_the_checker_is_offline(client, django_user_model):
    SourceFactory(url="https://a.invalid/", consecutive_failures=0)
    for n in range(4):
        SourceFactory(url=f"https://b{n}.invalid/")
    run_check_sources()
    moderator = django_user_model.objects.create_user("mod", password="x")
    role_grant(user=moderator, role=Role.MODERATOR)
    client.force_login(moderator)
    page = client.get("/moderation/sources/").content.decode()
    assert "Checker offline since" in page
