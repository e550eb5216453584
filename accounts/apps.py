from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from . import signals  # noqa: F401  (confirmed e-mail -> volunteer role)

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
