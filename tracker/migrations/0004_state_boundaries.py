"""Store each state's simplified boundary, for the "is this point in the named state?" check."""

from django.db import migrations


def load_boundaries(apps, schema_editor):
    from tracker.reference import states_load

    states_load(apps.get_model("tracker", "State"))


class Migration(migrations.Migration):
    dependencies = [("tracker", "0003_review_items")]
    operations = [migrations.RunPython(load_boundaries, migrations.RunPython.noop)]
