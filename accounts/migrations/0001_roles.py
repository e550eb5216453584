"""The three roles as groups, with the permissions each carries (accounts.roles.ROLE_GRANTS)."""

from django.db import migrations


def roles_create(apps, schema_editor):
    from accounts.roles import roles_ensure

    roles_ensure(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("moderation", "0001_initial"),
        ("tracker", "0004_state_boundaries"),
    ]

    operations = [migrations.RunPython(roles_create, migrations.RunPython.noop)]
