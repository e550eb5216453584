"""Finding 10: var/local.env never switches an instance to development mode."""

from pathlib import Path

from config.settings import local_services
from tests.support.servers import production_env, run_manage

ROOT = Path(__file__).resolve().parents[2]


def test_only_service_addresses_are_read_from_the_file(tmp_path):
    recorded = tmp_path / "local.env"
    recorded.write_text(
        "DATABASE_URL=postgis://postgres@/panoptic?host=/x\n"
        "CELERY_BROKER_URL=redis+socket:///x/redis.sock\n"
        "PANOPTIC_DEV=1\nDEBUG=true\nSECRET_KEY=from-the-file\nSECRET_KEY_FILE=/etc/passwd\n"
    )
    assert local_services(recorded) == {
        "DATABASE_URL": "postgis://postgres@/panoptic?host=/x",
        "CELERY_BROKER_URL": "redis+socket:///x/redis.sock",
    }
    assert local_services(tmp_path / "absent.env") == {}


def test_a_production_instance_with_the_file_present_stays_production():
    """No PANOPTIC_DEV and no key in its environment: it refuses to start, file or not."""
    assert (ROOT / "var" / "local.env").exists()  # make setup wrote it
    env = production_env()
    for name in ("PANOPTIC_DEV", "DEBUG", "SECRET_KEY", "SECRET_KEY_FILE"):
        env.pop(name, None)
    result = run_manage("check", env=env, check=False)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    env["SECRET_KEY"] = "a-production-key-" + "x" * 40
    shown = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.DEBUG)", env=env
    )
    assert shown.stdout.strip().splitlines()[-1] == "False"
