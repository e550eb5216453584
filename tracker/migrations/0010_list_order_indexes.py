"""Indexes for the lists' default orders and per-agency counts at scale."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tracker', '0009_map_cells'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='deployment',
            index=models.Index(models.OrderBy(models.F('updated_at'), descending=True), models.F('id'), condition=models.Q(('publication', 'published')), name='deployment_published_recent'),
        ),
        migrations.AddIndex(
            model_name='deployment',
            index=models.Index(condition=models.Q(('publication', 'published')), fields=['lead_agency'], name='deployment_published_lead'),
        ),
        migrations.AddIndex(
            model_name='hotspot',
            index=models.Index(condition=models.Q(('publication', 'published')), fields=['name', 'id'], name='hotspot_published_name'),
        ),
        migrations.AddIndex(
            model_name='hotspot',
            index=models.Index(condition=models.Q(('publication', 'published')), fields=['state', 'name', 'id'], name='hotspot_published_state_name'),
        ),
    ]
