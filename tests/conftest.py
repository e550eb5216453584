"""Set-up for every test: the shared fixtures, this process's Redis databases, and what a
test that uses the database gets (an empty cache, the reference data).

Where the rest lives: ``tests/support/__init__.py`` (the index) and docs/architecture.md.
"""

import pytest

# Support modules import each other; their asserts are rewritten all the same.
pytest.register_assert_rewrite("tests.support")

pytest_plugins = [
    "tests.support.browser",
    "tests.support.data",
    "tests.support.pages",
    "tests.support.people",
    "tests.support.servers",
    "tests.support.services",
]

_suite_settings = None


def pytest_configure(config):
    """Before any test: this process's own Redis databases (named, not connected to) and
    a fast password hasher (the suite signs many people up; none tests the hasher)."""
    global _suite_settings
    from django.test.utils import override_settings

    from tests.support.services import redis_use_worker_databases

    redis_use_worker_databases(config)
    _suite_settings = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    _suite_settings.enable()


def pytest_collection_modifyitems(items):
    """The slowest tests first (real Celery workers, faults, then the browser), so that in a
    parallel run they start at once and the quick ones fill in around them."""
    slow = ("celery_worker", "faults", "browser")

    def rank(item):
        marks = {mark.name for mark in item.iter_markers()}
        return next((n for n, name in enumerate(slow) if name in marks), len(slow))

    items.sort(key=rank)


def uses_database(request):
    return "_django_db_helper" in request.fixturenames or bool(
        request.node.get_closest_marker("django_db")
    )


@pytest.fixture(autouse=True)
def redis_for_database_tests(request):
    """A test that uses the database may read cached figures, throttle counters or the
    checker's state in Redis: it gets an empty cache and a broker emptied once per
    session. A test that uses neither never connects to Redis."""
    if uses_database(request):
        request.getfixturevalue("test_broker")
        request.getfixturevalue("fresh_cache")


@pytest.fixture(autouse=True)
def reference_data(request):
    """Transactional tests truncate every table, the migrated states and the roles'
    groups included: put them back for every test that touches the database."""
    if not uses_database(request):
        return
    request.getfixturevalue("_django_db_helper")
    from django.apps import apps
    from django.contrib.auth.models import Group

    from accounts.roles import roles_ensure
    from tracker.ingest.reference import reference_data_load, reference_data_present

    if not reference_data_present():
        reference_data_load()
    if not Group.objects.exists():
        roles_ensure(apps)
