from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from . import signals  # noqa: F401  (confirmed e-mail -> volunteer role)
        from .names import display_name_sync

        post_save.connect(
            display_name_sync, sender=get_user_model(), dispatch_uid="accounts.display_name"
        )

        post_migrate.connect(_roles_after_migrate, dispatch_uid="accounts.roles_after_migrate")


def _roles_after_migrate(sender, **kwargs):
    """After every migrate (and a test database's flush), the roles hold their grants.

    post_migrate is sent once per app, and Django creates each app's permissions on it:
    the grants wait for the last app, when every permission exists.
    """
    from django.apps import apps as global_apps

    from .roles import roles_grant

    with_models = [config for config in global_apps.get_app_configs() if config.models_module]
    if sender is with_models[-1]:
        roles_grant(kwargs.get("apps") or global_apps)
