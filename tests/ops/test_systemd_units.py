"""systemd accepts the units in deploy/systemd as written: no unknown or misspelt directive,
every command present (tests/ops/test_production_stack.py runs those commands)."""

import shutil
import subprocess

import pytest

from tests.support.stack import APP_FOLDER, DEPLOY, ROOT, replaced

UNITS = {
    "panoptic-web.service": "panoptic-web.service",
    "panoptic-beat.service": "panoptic-beat.service",
    "panoptic-worker@.service": "panoptic-worker@checks-2.service",
}


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd is not installed")
def test_systemd_verifies_the_units(tmp_path):
    paths = []
    for unit, installed_as in UNITS.items():
        text = (DEPLOY / "systemd" / unit).read_text()
        count = text.count(APP_FOLDER)
        (tmp_path / installed_as).write_text(replaced(text, APP_FOLDER, str(ROOT), count))
        paths.append(str(tmp_path / installed_as))
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *paths], capture_output=True, text=True
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, "")
