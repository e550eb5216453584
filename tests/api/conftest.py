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


def pytest_itemcollected(item):
    """Each operation of the schema test (``test_schema.py``) under its own id.

    schemathesis names them ``test_api_conforms_to_its_schema[GET /api/v1/...]``, but under
    pytest 9.2 every one gets the id of the bare function; pytest-xdist hands out tests by
    id, so a parallel run would keep the first operation and silently drop the others."""
    label = getattr(item, "operation_label", None)
    if label and item.id.params is None:
        item._id = item.id.with_params(label)
