"""Property-based testing of the API against its own OpenAPI schema (schemathesis).

Every check schemathesis has runs on generated requests, valid ones and
invalid ones (negative cases): no server error, every status code, content
type, header and body as documented, invalid input refused and valid input
accepted. ``API_FUZZ_EXAMPLES`` (default 100) examples per operation, from the
seed ``API_FUZZ_SEED`` (default ours, tests/support/fuzz.py); ``API_FUZZ_RANDOM=1`` draws a
new seed, which the run's summary prints so a failure can be replayed. ``API_FUZZ_PHASES``
picks schemathesis's phases (default all; ``make test-fast`` leaves out ``coverage``).

The rules between parameters that OpenAPI cannot state (a reply not before the
request, say) are stated in the operation's ``x-`` extensions; a valid case is
brought within them here before it is sent, so "valid data accepted" holds them
to the schema's word too.
"""

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test.utils import override_settings
from hypothesis import HealthCheck, seed, settings
from schemathesis import GenerationMode

from config.wsgi import application
from tests.support.fuzz import PHASES, fuzz_phases, fuzz_seed


def schema_load():
    """The schema through the real endpoint, once, while the tests are collected. That one
    request gets a throw-away in-memory cache (its throttle counters), so collecting the
    suite needs neither Redis nor the database; every case below uses the real ones."""
    memory = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with override_settings(CACHES=memory):
        return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


schema = schema_load()
_phases = fuzz_phases()
for phase in PHASES:
    schema.config.phases.get_by_name(name=phase).enabled = phase in _phases


@pytest.fixture
def wsgi_keeps_test_connection():
    """Like Django's test client: the WSGI app must not close the test transaction's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _day(value):
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def within_rules(query, rules):
    """``query`` with the parameters that break the operation's stated rules between
    parameters left out (and the required-one-of filled in), so it is valid as a whole."""
    query = dict(query)
    for same in rules.get("x-same-day", []):
        moment, day = query.get(same["moment"]), same["day"]
        try:
            moment = datetime.fromisoformat(moment)
        except (TypeError, ValueError):
            continue
        zone = ZoneInfo(same["time_zone"])
        local = moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)
        if day in query and _day(query[day]) != local.date():
            del query[day]
    for names in rules.get("x-required-one-of", []):
        if not any(name in query for name in names):
            query[names[0]] = "2024-01-10"
    changed = True
    while changed:
        changed = False
        days = {name: _day(value) for name, value in query.items()}
        for same in rules.get("x-same-day", []):
            if days.get(same["day"]) is None and same["moment"] in query:
                moment = datetime.fromisoformat(query[same["moment"]])
                zone = ZoneInfo(same["time_zone"])
                days[same["day"]] = (
                    moment.astimezone(zone).date() if moment.tzinfo else moment.date()
                )
        for rule in rules.get("x-not-before", []):
            later, earlier = days.get(rule["parameter"]), days.get(rule["not_before"])
            if later and earlier and later < earlier:
                del query[rule["parameter"]]
                changed = True
                break
        for rule in rules.get("x-requires", []):
            if rule["parameter"] in query and rule["requires"] not in query:
                del query[rule["parameter"]]
                changed = True
                break
    return query


@schema.parametrize()
@seed(fuzz_seed())
@settings(
    max_examples=int(os.environ.get("API_FUZZ_EXAMPLES", "100")),
    deadline=None,
    derandomize=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(case, world, wsgi_keeps_test_connection):
    rules = {k: v for k, v in case.operation.definition.raw.items() if k.startswith("x-")}
    if rules and case.query is not None and case.meta.generation.mode == GenerationMode.POSITIVE:
        case.query = within_rules(case.query, rules)
    case.call_and_validate()  # every check schemathesis has, none left out


def test_every_operation_is_a_test_of_its_own(request):
    """A parallel run hands out tests by id (tests/api/conftest.py): two operations under
    one id would run as one."""
    ids = [
        item.nodeid
        for item in request.session.items
        if getattr(item, "originalname", None) == test_api_conforms_to_its_schema.__name__
    ]
    assert len(ids) == len(set(ids)), "operations of the schema test share an id"


def test_the_environment_picks_the_phases(monkeypatch):
    monkeypatch.delenv("API_FUZZ_PHASES", raising=False)
    assert fuzz_phases() == ("examples", "coverage", "fuzzing")
    monkeypatch.setenv("API_FUZZ_PHASES", "fuzzing, examples")
    assert fuzz_phases() == ("examples", "fuzzing")
    monkeypatch.setenv("API_FUZZ_PHASES", "fuzzing,stateful")
    with pytest.raises(ValueError, match=r"^API_FUZZ_PHASES: no phase 'stateful' \(choose from"):
        fuzz_phases()


def test_the_schema_runs_the_phases_asked_for():
    enabled = tuple(p for p in PHASES if schema.config.phases.get_by_name(name=p).enabled)
    assert enabled == fuzz_phases()
