"""The three roles as groups, with the permissions each carries."""

from django.db import migrations

ROLES = {
    "Volunteers": [("moderation", "add_submission")],
    "Moderators": [
        ("moderation", "add_submission"),
        ("moderation", "review_submission"),
        ("moderation", "view_submission"),
    ],
    # Administrators also manage users, roles and every entry in the admin.
    "Administrators": [("moderation", None), ("tracker", None), ("auth", None)],
}


def roles_create(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in grants:
            perms = Permission.objects.filter(content_type__app_label=app_label)
            if codename:
                perms = perms.filter(codename=codename)
            group.permissions.add(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("moderation", "0001_initial"),
        ("tracker", "0004_state_boundaries"),
    ]

    operations = [migrations.RunPython(roles_create, migrations.RunPython.noop)]
