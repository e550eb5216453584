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
    """Before any test: the reference data put back whenever a transactional test has
    emptied the tables (``reference_data_after_flush``), this process's own Redis
    databases (named, not connected to), a fast password hasher (the suite signs many
    people up; none tests the hasher), and WhiteNoise finding a static file when it is
    asked for, as in development: every test client builds the middleware anew, and
    listing every static file each time cost the suite more than a minute (production's
    static files are tested through gunicorn)."""
    global _suite_settings
    from django.apps import apps
    from django.db.models.signals import post_migrate
    from django.test.utils import override_settings

    from tests.support.data import reference_data_after_flush
    from tests.support.fuzz import fuzz_seed_choose
    from tests.support.services import redis_use_worker_databases

    post_migrate.connect(
        reference_data_after_flush,
        sender=apps.get_app_config("tracker"),
        dispatch_uid="tests.reference_data_after_flush",
    )
    fuzz_seed_choose()
    redis_use_worker_databases(config)
    _suite_settings = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        WHITENOISE_AUTOREFRESH=True,
    )
    _suite_settings.enable()


def pytest_terminal_summary(terminalreporter):
    """The schema fuzz's seed, after a run that had it (even with ``-q``), for replaying."""
    from tests.support.fuzz import PHASES, fuzz_phases, fuzz_seed

    ran = any(
        "test_api_conforms_to_its_schema" in report.nodeid
        for reports in terminalreporter.stats.values()
        for report in reports
        if hasattr(report, "nodeid")
    )
    if ran:
        seed = fuzz_seed()
        terminalreporter.write_line(f"API schema fuzz seed: {seed} (replay: API_FUZZ_SEED={seed})")
        if (phases := fuzz_phases()) != PHASES:
            terminalreporter.write_line(f"API schema fuzz phases: {', '.join(phases)} only")


@pytest.hookimpl(trylast=True)  # after -m and -k have deselected
def pytest_collection_modifyitems(items):
    """The slowest tests first (real Celery workers, faults, the browser, a costly set-up,
    then a module slow whatever its size), so that in a parallel run they start at once
    and the quick ones fill in around them; among the rest, the modules with more tests
    first. A parallel run hands out whole modules in this order (``--no-loadscope-reorder``,
    Makefile): a long module handed out last would leave the other processes idle until it
    ends.

    In each module, the tests that use a data set built once for the module (a fixture
    named ``*_once``, ``tests/support/data.py``) come last: its rows stay in the database
    until the module's last test, and no other test may see them."""
    slow = ("celery_worker", "faults", "browser", "slow_setup", "slow")
    ranks, sizes, modules = {}, {}, {}
    for item in items:
        module = item.nodeid.split("::")[0]
        marks = {mark.name for mark in item.iter_markers()}
        rank = next((n for n, name in enumerate(slow) if name in marks), len(slow))
        ranks[module] = min(ranks.get(module, rank), rank)
        sizes[module] = sizes.get(module, 0) + 1
        modules.setdefault(module, len(modules))

    def key(item):
        module = item.nodeid.split("::")[0]
        shares = any(name.endswith("_once") for name in item.fixturenames)
        return ranks[module], -sizes[module], modules[module], shares

    items.sort(key=key)


def uses_database(request):
    return "_django_db_helper" in request.fixturenames or bool(
        request.node.get_closest_marker("django_db")
    )


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's default language: a request to a /hi/ page leaves
    Hindi active in the thread until the next request, so a later test's reverse() would
    build /hi/ URLs and its pages would answer in Hindi."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


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
    groups included: they are put back, committed, as each such test ends
    (``reference_data_after_flush``), and here for any test that finds them gone.

    A transactional test must commit: it cannot run while a data set built once for its
    module (``world``, ``long_lists_once``...) holds that module's transaction open."""
    if not uses_database(request):
        return
    request.getfixturevalue("_django_db_helper")
    from django.db import connection

    from tests.support.data import reference_data_ensure

    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or bool(
        marker and marker.kwargs.get("transaction")
    )
    if transactional and connection.in_atomic_block:
        pytest.fail(
            "a transactional test cannot share its module with a data set built once per "
            "module: move it to a module of its own"
        )
    reference_data_ensure()
