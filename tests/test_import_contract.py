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


LAYERS = "tracker's layers"


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        # (Leaves of the apps: an app module importing tracker would also break the layers.)
        ("tracker/catalogue/leak.py", "import api.renderers", "tracker never imports"),
        ("tracker/views/leak.py", "from accounts import models", "tracker never imports"),
        ("tracker/models/leak.py", "import moderation.diff", "tracker never imports"),
        # A capability never imports the pages...
        ("tracker/exports/leak.py", "from tracker.views import home", LAYERS),
        ("tracker/ingest/leak.py", "from ..views import lists", LAYERS),
        ("tracker/checking/leak.py", "import tracker.views.feeds", LAYERS),
        ("tracker/rti/leak.py", "from tracker.views import details", LAYERS),
        # ...nor a layer above it: the catalogue never reads the exports back,
        ("tracker/catalogue/leak.py", "from tracker.exports import datasets", LAYERS),
        ("tracker/catalogue/leak.py", "from ..publication import entity_publish", LAYERS),
        ("tracker/sql/leak.py", "from ..catalogue import filters", LAYERS),
        ("tracker/models/leak.py", "from tracker.sql.columns import select_sql", LAYERS),
        ("tracker/models/leak.py", "from tracker.catalogue import visibility", LAYERS),
        ("tracker/rti/leak.py", "from tracker.ingest import demo", LAYERS),
        # ...and siblings stay apart.
        ("tracker/checking/leak.py", "from tracker.rti import laws", LAYERS),
        ("tracker/exports/leak.py", "from ..rti import laws", LAYERS),
        ("tracker/checking/leak.py", "from ..webhooks import events", LAYERS),
        # A new module of tracker must be given a layer.
        ("tracker/unplaced.py", "import django", LAYERS),
        ("api/leak.py", "from tracker.views.common import filtered", "never import tracker.views"),
        ("moderation/leak.py", "from tracker.views import common", "never import tracker.views"),
        ("accounts/leak.py", "import tracker.views.archive", "never import tracker.views"),
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
