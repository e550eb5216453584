"""The outcome rules and the schedule, as pure functions."""

from datetime import UTC, datetime, timedelta

import pytest

from tracker.checking.outcomes import Fetched, next_check_after, source_check_outcome
from tracker.models import SourceHealth as S

URL = "https://news.example.org/story"
OK = Fetched(status=200, final_url=URL, fingerprint="b" * 64)


@pytest.mark.parametrize(
    ("health", "failures", "fetched", "outcome", "after", "reason"),
    [
        (S.UNCHECKED, 0, OK, S.OK, S.OK, None),
        (S.OK, 0, Fetched(status=200, final_url=URL, fingerprint="a" * 64), S.OK, S.OK, None),
        (S.OK, 0, OK, S.CHANGED, S.CHANGED, "changed"),
        (S.CHANGED, 0, Fetched(status=304, final_url=URL), S.OK, S.CHANGED, None),
        (S.OK, 0, Fetched(status=404, final_url=URL), S.BROKEN, S.BROKEN, "broken"),
        (S.BROKEN, 4, Fetched(status=410, final_url=URL), S.BROKEN, S.BROKEN, None),
        (S.OK, 0, Fetched(status=503, final_url=URL), S.OK, S.OK, None),
        (S.OK, 2, Fetched(error="timed out"), S.BROKEN, S.BROKEN, "broken"),
        (S.BROKEN, 5, Fetched(status=200, final_url=URL, fingerprint="a" * 64), S.OK, S.OK, None),
        (S.OK, 0, Fetched(blocked=True, error="forbidden"), S.BLOCKED, S.BLOCKED, "blocked"),
        (
            S.OK, 0, Fetched(status=200, final_url="https://elsewhere.example.com/"),
            S.REDIRECTED, S.REDIRECTED, "redirected",
        ),
        # The check could not judge the source: health, failures and baseline stay.
        (S.BROKEN, 2, Fetched(check_error=True, error="x"), "error", S.BROKEN, None),
        # The checker was offline: a host it could not reach says nothing.
        (S.OK, 2, Fetched(network_failure=True, offline=True), "unreachable", S.OK, None),
        # Online, a host that does not answer is that source failing.
        (S.OK, 2, Fetched(network_failure=True), S.BROKEN, S.BROKEN, "broken"),
        # Offline, an answer that did arrive (a 404) still counts.
        (S.OK, 0, Fetched(status=404, final_url=URL, offline=True), S.BROKEN, S.BROKEN, "broken"),
        (
            S.OK, 0, Fetched(status=200, final_url="https://www.news.example.org/x",
                             fingerprint="a" * 64),
            S.OK, S.OK, None,
        ),
    ],
)  # fmt: skip
def test_outcome_rules(health, failures, fetched, outcome, after, reason):
    previous = "" if health == S.UNCHECKED else "a" * 64  # never fetched: no fingerprint yet
    decision = source_check_outcome(
        url=URL, health=health, fingerprint=previous, consecutive_failures=failures, fetched=fetched
    )
    assert (decision.outcome, decision.health, decision.review_reason) == (outcome, after, reason)


def test_failures_count_up_and_reset():
    failing = source_check_outcome(
        url=URL, health=S.OK, fingerprint="", consecutive_failures=1, fetched=Fetched(error="x")
    )
    assert failing.consecutive_failures == 2
    recovered = source_check_outcome(
        url=URL, health=S.BROKEN, fingerprint="", consecutive_failures=7, fetched=OK
    )
    assert recovered.consecutive_failures == 0


def test_broken_sources_back_off_exponentially_up_to_a_week(settings):
    settings.SOURCE_CHECK_INTERVAL = timedelta(hours=6)
    start = datetime(2026, 1, 1, tzinfo=UTC)

    def delay(health, failures):
        return next_check_after(round_started=start, health=health, consecutive_failures=failures)

    assert delay(S.OK, 0) - start == timedelta(hours=6)
    assert delay(S.BROKEN, 1) - start == timedelta(hours=6)
    assert delay(S.BROKEN, 3) - start == timedelta(hours=24)
    assert delay(S.BROKEN, 5) - start == timedelta(hours=96)
    assert delay(S.BROKEN, 30) - start == timedelta(days=7)
