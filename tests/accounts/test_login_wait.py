"""How long a refused sign-in must wait: the attempt that has to expire decides."""

import pytest

from accounts.adapter import rate_wait_seconds

NOW = 1_000_000.0


@pytest.mark.parametrize(
    ("history", "amount", "duration", "wait"),
    [
        ([], 3, 60, 0),
        ([NOW - 10, NOW - 20], 3, 60, 0),  # room for one more
        ([NOW - 10, NOW - 20, NOW - 30], 3, 60, 30),  # the oldest expires in 30 s
        ([NOW - 10, NOW - 20, NOW - 30, NOW - 40], 3, 60, 30),  # the third newest decides
        ([NOW - 10, NOW - 20, NOW - 70], 3, 60, 0),  # one has expired already
        ([NOW - 1, NOW - 2, NOW - 3, NOW - 4, NOW - 5], 5, 300, 295),
    ],
)
def test_rate_wait_seconds(history, amount, duration, wait):
    assert rate_wait_seconds(history, amount=amount, duration=duration, now=NOW) == wait
