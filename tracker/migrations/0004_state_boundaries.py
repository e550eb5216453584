"""State boundaries move to their own table (never loaded with a State) and are filled in."""

import django.contrib.gis.db.models.fields
import django.db.models.deletion
from django.db import migrations, models


def load_boundaries(apps, schema_editor):
    from tracker.ingest.reference import state_boundaries_load

    state_boundaries_load(apps.get_model("tracker", "StateBoundary"))


class Migration(migrations.Migration):

    dependencies = [
        ('tracker', '0003_review_items'),
    ]

    operations = [
        migrations.CreateModel(
            name='StateBoundary',
            fields=[
                ('state', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='boundary', serialize=False, to='tracker.state')),
                ('shape', django.contrib.gis.db.models.fields.MultiPolygonField(srid=4326, verbose_name='boundary')),
            ],
            options={
                'verbose_name': 'state boundary',
            },
        ),
        migrations.RemoveField(
            model_name='state',
            name='boundary',
        ),
        migrations.RunPython(load_boundaries, migrations.RunPython.noop),
    ]
