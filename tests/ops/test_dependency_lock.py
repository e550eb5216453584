"""The hashed dependency locks must match pyproject.toml (scripts/check-lock.py)."""

import importlib.util
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("check_lock", ROOT / "scripts" / "check-lock.py")
check_lock = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_lock)


def test_locks_match_pyproject():
    assert check_lock.problems() == [], "run `make lock` and commit the lock files"


def test_every_locked_package_has_hashes():
    for lock in check_lock.LOCKS:
        lines = (ROOT / lock).read_text().splitlines()
        pinned = [i for i, line in enumerate(lines) if check_lock._pins(line)]
        assert len(pinned) > 20
        for i in pinned:
            assert lines[i].endswith("\\") and "--hash=sha256:" in lines[i + 1], lines[i]


@pytest.fixture
def project_copy(tmp_path):
    for name in ["pyproject.toml", *check_lock.LOCKS]:
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def test_a_new_dependency_without_a_new_lock_is_reported(project_copy):
    pyproject = project_copy / "pyproject.toml"
    text = pyproject.read_text()
    pyproject.write_text(text.replace('"nh3==0.3.8",', '"nh3==0.3.8",\n    "tablib==3.5.0",'))
    found = check_lock.problems(project_copy)
    assert "requirements.lock: tablib==3.5.0 is not locked" in found
    assert "requirements.lock was not made from this pyproject.toml's dependencies" in found


def test_a_changed_pin_is_reported(project_copy):
    pyproject = project_copy / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("nh3==0.3.8", "nh3==0.3.7"))
    found = check_lock.problems(project_copy)
    assert "requirements.lock: pyproject.toml wants nh3==0.3.7, locked 0.3.8" in found


def test_a_removed_dependency_is_reported(project_copy):
    pyproject = project_copy / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('    "Markdown==3.11.3",\n', ""))
    assert check_lock.problems(project_copy) == [
        "requirements.lock was not made from this pyproject.toml's dependencies",
        "requirements-dev.lock was not made from this pyproject.toml's dependencies",
    ]
