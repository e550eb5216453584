"""Load India's 28 states and 8 union territories (fixtures/states.json)."""

import json
from pathlib import Path

from django.db import migrations

STATES_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "states.json"


def load_states(apps, schema_editor):
    State = apps.get_model("tracker", "State")
    for row in json.loads(STATES_FILE.read_text(encoding="utf-8")):
        code = row.pop("code")
        State.objects.update_or_create(code=code, defaults=row)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0001_initial")]
    operations = [migrations.RunPython(load_states, migrations.RunPython.noop)]
