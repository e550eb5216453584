"""Do requirements.lock and requirements-dev.lock still match pyproject.toml?

The locks pin every transitive dependency with hashes (``make lock`` writes
them with uv). Each ends with a stamp: the SHA-256 of pyproject.toml's
dependency lists. A lock whose stamp differs was made from other dependencies.

    python scripts/check-lock.py           exit 1 with the fix when a lock is stale
    python scripts/check-lock.py --stamp   write the stamp (``make lock`` does)
"""

import hashlib
import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCKS = {"requirements.lock": [], "requirements-dev.lock": ["dev"]}
STAMP = "# pyproject.toml dependencies sha256: "


def _name(requirement):
    return re.sub(r"[-_.]+", "-", re.split(r"[\[=<>!~; ]", requirement, maxsplit=1)[0]).lower()


def _project(root):
    return tomllib.loads((root / "pyproject.toml").read_text())["project"]


def _wanted(root, extras):
    """The requirements of pyproject.toml for a lock with these extras."""
    project = _project(root)
    deps = list(project["dependencies"])
    for extra in extras:
        deps += project.get("optional-dependencies", {}).get(extra, [])
    return deps


def _digest(root, extras):
    body = {
        "requires-python": _project(root).get("requires-python"),
        "deps": sorted(_wanted(root, extras)),
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _pins(text):
    """{name: version} of a lock's ``name==version`` lines."""
    pins = {}
    for line in text.splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^ ;\\]+)", line)
        if match:
            pins[_name(match.group(1))] = match.group(3)
    return pins


def problems(root=ROOT):
    """One readable line per disagreement between pyproject.toml and the locks."""
    found = []
    for lock, extras in LOCKS.items():
        path = root / lock
        if not path.exists():
            found.append(f"{lock} is missing")
            continue
        text = path.read_text()
        pins = _pins(text)
        for requirement in _wanted(root, extras):
            name = _name(requirement)
            exact = requirement.partition("==")[2].split(";")[0].strip()
            if name not in pins:
                found.append(f"{lock}: {requirement} is not locked")
            elif exact and pins[name] != exact:
                found.append(f"{lock}: pyproject.toml wants {requirement}, locked {pins[name]}")
        if STAMP + _digest(root, extras) not in text:
            found.append(f"{lock} was not made from this pyproject.toml's dependencies")
    return found


def stamp(root=ROOT):
    for lock, extras in LOCKS.items():
        path = root / lock
        lines = [line for line in path.read_text().splitlines() if not line.startswith(STAMP)]
        path.write_text("\n".join(lines) + "\n" + STAMP + _digest(root, extras) + "\n")


if __name__ == "__main__":
    if sys.argv[1:] == ["--stamp"]:
        stamp()
    elif found := problems():
        print("\n".join(found), file=sys.stderr)
        print(
            "The dependency locks disagree with pyproject.toml: run `make lock` "
            "and commit requirements.lock and requirements-dev.lock.",
            file=sys.stderr,
        )
        sys.exit(1)
