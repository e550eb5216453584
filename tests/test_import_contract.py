"""The layering of docs/architecture.md holds: import-linter's contracts (pyproject.toml) pass,
and each contract fails as soon as one import breaks it."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = ROOT / ".venv" / "bin" / "lint-imports"


def lint_imports(cwd):
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
    )


def test_the_import_contracts_are_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("tracker/catalogue/leak.py", "import api.views", "tracker never imports"),
        ("tracker/leak.py", "from accounts import models", "tracker never imports"),
        ("tracker/models/leak.py", "import moderation.services", "tracker never imports"),
        ("tracker/exports/leak.py", "from tracker.views import home", "tracker.views"),
        ("tracker/ingest/leak.py", "from ..views import lists", "tracker.views"),
        ("tracker/checking/leak.py", "import tracker.views.feeds", "tracker.views"),
        ("tracker/rti/leak.py", "from tracker.views import details", "tracker.views"),
        ("api/leak.py", "from tracker.views.common import filtered", "api never imports"),
    ],
)
def test_one_forbidden_import_breaks_its_contract(tmp_path, module, line, contract):
    for package in ("tracker", "api", "config", "accounts", "moderation"):
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / module).write_text(line + "\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0, result.stdout
    broken = [row for row in result.stdout.splitlines() if row.endswith("BROKEN")]
    assert len(broken) == 1 and contract in broken[0], result.stdout
