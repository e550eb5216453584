"""docs/architecture.md names every app, every tracker sub-package and every tracker module,
so the map of the code cannot silently fall behind the folders."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
NOT_MAPPED = {"__init__.py", "apps.py", "__pycache__"}


def test_every_app_and_tracker_part_is_on_the_map():
    apps = [p for p in ROOT.iterdir() if (p / "__init__.py").exists() and p.name != "tests"]
    tracker = ROOT / "tracker"
    parts = [
        p
        for p in tracker.iterdir()
        if p.name not in NOT_MAPPED and (p.suffix == ".py" or (p / "__init__.py").exists())
    ]
    named = [f"`{p.name}/`" for p in apps]  # an app: its own row
    named += [f"`{p.relative_to(ROOT)}{'/' if p.is_dir() else '`'}" for p in parts]
    missing = [name for name in named if name not in DOC]
    assert not missing, f"add these to docs/architecture.md: {missing}"
    assert {"config", "tracker", "api"} <= {p.name for p in apps}
