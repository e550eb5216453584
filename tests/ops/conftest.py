"""Fixtures for the operations tests."""

import pytest

from tests.support.servers import TempRedis, production_env, run_manage


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


@pytest.fixture
def own_redis(settings):
    """The cache and broker on a Redis of the test's own, which it may stop and start."""
    redis = TempRedis().start()
    settings.CELERY_BROKER_URL = redis.url
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"unix://{redis.socket}?db=1",
        }
    }
    yield redis
    redis.cleanup()
