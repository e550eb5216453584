"""Property-based testing of the API against its own OpenAPI schema (schemathesis).

Every check schemathesis has runs on generated requests, valid ones and
invalid ones (negative cases): no server error, every status code, content
type, header and body as documented, invalid input refused and valid input
accepted (except contradictory RTI facts, see below). ``API_FUZZ_EXAMPLES``
(default 100) examples per operation, the same ones on every run;
``API_FUZZ_RANDOM=1`` explores new ones.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test.utils import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from config.wsgi import application


def schema_load():
    """The schema through the real endpoint, once, while the tests are collected. That one
    request gets a throw-away in-memory cache (its throttle counters), so collecting the
    suite needs neither Redis nor the database; every case below uses the real ones."""
    memory = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with override_settings(CACHES=memory):
        return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


schema = schema_load()


@pytest.fixture
def wsgi_keeps_test_connection():
    """Like Django's test client: the WSGI app must not close the test transaction's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("API_FUZZ_EXAMPLES", "100")),
    deadline=None,
    # The same examples on every run, so CI is repeatable; API_FUZZ_RANDOM=1
    # explores new ones (add --hypothesis-seed=N to replay a run).
    derandomize=not os.environ.get("API_FUZZ_RANDOM"),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(case, world, wsgi_keeps_test_connection):
    excluded = []
    if case.path == "/api/v1/rti/deadlines/":
        # Facts that contradict each other (a reply before receipt) or predate the RTI Act
        # are each schema-valid yet refused with a 400 naming the parameter, which OpenAPI
        # cannot express; tests/rti/test_deadlines_endpoint.py covers every refusal.
        excluded.append(positive_data_acceptance)
    case.call_and_validate(excluded_checks=excluded)  # every other check schemathesis has
