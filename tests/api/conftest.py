"""Every API test makes many requests, through DRF's client; the data is ``world``
(tests/support/data.py)."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _generous_throttle(generous_throttle):
    pass


@pytest.fixture
def client():
    return APIClient()
