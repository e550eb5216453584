"""Fixtures for the operations tests."""

import fcntl

import pytest

from tests.support.servers import TempRedis, production_env, run_manage


@pytest.fixture(scope="session")
def static_root(tmp_path_factory, worker_id):
    """collectstatic with the production storage, once per run: the first test process to
    need it collects, under a lock; the run's other processes wait and read the same files
    (nothing writes to them afterwards)."""
    run_root = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        run_root = run_root.parent  # the folder every worker of this run shares
    static = run_root / "production-static"
    collected = run_root / "production-static.done"
    with open(run_root / "production-static.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not collected.exists():
            result = run_manage(
                "collectstatic",
                "--no-input",
                "--clear",
                "-v",
                "0",
                env=production_env(STATIC_ROOT=static),
                check=False,
            )
            assert result.returncode == 0, result.stderr[-3000:]
            assert (static / "staticfiles.json").exists()
            collected.touch()
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
