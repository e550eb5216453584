"""Fixtures for the operations tests."""

import fcntl
import hashlib
import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

from tests.support.servers import TempRedis, production_env, run_manage

# What the collected files depend on: the project's own static files, the storage that
# hashes and compresses them, and the installed packages (their static files: the admin,
# the API's schema pages, Leaflet).
STATIC_INPUTS = ("static", "config/storage.py", "config/settings.py", "requirements.lock")


def static_inputs_digest():
    digest = hashlib.sha256()
    for name in STATIC_INPUTS:
        path = Path(settings.BASE_DIR) / name
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if file.is_file():
                digest.update(str(file.relative_to(settings.BASE_DIR)).encode() + b"\0")
                digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def static_root():
    """collectstatic with the production storage, once per change of what it collects: the
    first test process to need it collects into ``var/test-static/<digest of the inputs>``,
    under a lock, and every later process and run reads the same files (nothing writes to
    them afterwards). Compressing every file at brotli's best level was a tenth of a
    quick run's CPU; a change to a static file, the storage or a package collects anew."""
    cache = Path(settings.BASE_DIR) / "var" / "test-static"
    cache.mkdir(parents=True, exist_ok=True)
    static = cache / static_inputs_digest()
    with open(cache / "collect.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (static / "staticfiles.json").exists():
            for old in cache.iterdir():  # earlier collections, and a broken one
                if old.is_dir():
                    shutil.rmtree(old)
            collecting = Path(tempfile.mkdtemp(dir=cache, prefix="collecting-"))
            result = run_manage(
                "collectstatic",
                "--no-input",
                "-v",
                "0",
                env=production_env(STATIC_ROOT=collecting),
                check=False,
            )
            assert result.returncode == 0, result.stderr[-3000:]
            assert (collecting / "staticfiles.json").exists()
            collecting.rename(static)  # whole, or not at all
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
