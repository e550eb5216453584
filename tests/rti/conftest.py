"""The RTI tests ask the deadline endpoint many times."""

import pytest


@pytest.fixture(autouse=True)
def _generous_throttle(generous_throttle):
    pass
