"""Load India's 28 states and 8 union territories (fixtures/states.json)."""

from django.db import migrations


def load_states(apps, schema_editor):
    from tracker.ingest.reference import states_load

    states_load(apps.get_model("tracker", "State"))


class Migration(migrations.Migration):
    dependencies = [("tracker", "0001_initial")]
    operations = [migrations.RunPython(load_states, migrations.RunPython.noop)]
