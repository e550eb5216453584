"""Fixtures for the operations tests."""

import pytest

from tests.sources.conftest import make_site  # noqa: F401 (a loopback site fixture)

from .servers import production_env, run_manage


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """collectstatic with the production storage, once per test run."""
    static = tmp_path_factory.mktemp("static")
    result = run_manage(
        "collectstatic",
        "--no-input",
        "-v",
        "0",
        env=production_env(STATIC_ROOT=static),
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert (static / "staticfiles.json").exists()
    return static
