"""Fixtures for the operations tests."""

import pytest

from tests.support.servers import production_env, run_manage


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """collectstatic with the production storage, once per test process."""
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
