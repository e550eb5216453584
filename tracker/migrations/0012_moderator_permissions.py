"""The permissions moderators hold for sources and RTI reminders (tracker/permissions.py);
the roles grant them (accounts/roles.py)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('tracker', '0011_order_indexes_for_every_sort'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='rtirequest',
            options={'ordering': ['-filed_on', 'id'], 'permissions': [('follow_rtirequest', "Is reminded of every RTI request's deadlines")], 'verbose_name': 'RTI request', 'verbose_name_plural': 'RTI requests'},
        ),
        migrations.AlterModelOptions(
            name='source',
            options={'ordering': ['id'], 'permissions': [('review_source', 'Can review sources that changed or broke')], 'verbose_name': 'source'},
        ),
    ]
