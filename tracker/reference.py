"""Reference data every installation has: India's states and union territories."""

import json
from pathlib import Path

STATES_FILE = Path(__file__).resolve().parents[1] / "fixtures" / "states.json"


def states_load(state_model=None):
    """Create or update the 36 states and union territories from fixtures/states.json.

    Takes the model class so that the data migration can pass its historical model.
    """
    if state_model is None:
        from .models import State as state_model
    rows = json.loads(STATES_FILE.read_text(encoding="utf-8"))
    for row in rows:
        row = dict(row)
        code = row.pop("code")
        state_model.objects.update_or_create(code=code, defaults=row)
    return len(rows)


def states_present():
    from .models import State

    return State.objects.count() == len(json.loads(STATES_FILE.read_text(encoding="utf-8")))
