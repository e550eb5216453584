"""The migrated test database a parallel run keeps for the next one
(``tests/support/services.py``): used again only while nothing it was built from has
changed, and never when its build was cut short."""

import secrets
import shutil

import pytest
from django.db import connection

from tests.support.services import (
    ROOT,
    TEMPLATE_FILES,
    TEMPLATE_INPUTS,
    template_digest,
    template_kept,
    template_mark,
)


@pytest.fixture
def tree(tmp_path):
    """A copy of what the template is built from."""
    for folder in TEMPLATE_INPUTS:
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("*.pyc"))
    for name in TEMPLATE_FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


@pytest.mark.parametrize(
    "change",
    [
        "tracker/migrations/0001_initial.py",
        "accounts/roles.py",
        "fixtures/states.json",
        "config/settings.py",
        "tests/support/data.py",
        "requirements.lock",
    ],
)
def test_a_change_to_anything_it_is_built_from_builds_it_again(tree, change):
    before = template_digest(tree)
    assert template_digest(tree) == before
    with open(tree / change, "a") as file:
        file.write("\n")
    assert template_digest(tree) != before


def test_a_new_migration_builds_it_again_and_compiled_files_do_not(tree):
    before = template_digest(tree)
    (tree / "tracker/__pycache__").mkdir(exist_ok=True)
    (tree / "tracker/__pycache__/anything.cpython-311.pyc").write_bytes(b"\0")
    assert template_digest(tree) == before
    (tree / "tracker/migrations/9999_new.py").write_text("")
    assert template_digest(tree) != before


@pytest.fixture
def database():
    name = f"test_kept_probe_{secrets.token_hex(4)}"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    yield name
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")


def mark(name, comment):
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"COMMENT ON DATABASE {name} IS %s", [comment])


@pytest.mark.django_db
def test_only_a_finished_build_of_the_same_inputs_is_used_again(database):
    current = template_mark(connection)
    assert not template_kept(connection, database, current)  # cut short: never marked
    mark(database, current.replace("template ", "template 0", 1))
    assert not template_kept(connection, database, current)  # built from something else
    mark(database, current)
    assert template_kept(connection, database, current)
    assert not template_kept(connection, f"{database}_gone", current)
