"""The RTI tests ask the deadline endpoint many times, and sign people in by role."""

import pytest

from tests.roles import (  # noqa: F401  (fixtures)
    fresh_rate_limits,
    moderator,
    other_volunteer,
    volunteer,
)


@pytest.fixture(autouse=True)
def _generous_throttle(generous_throttle):
    pass
