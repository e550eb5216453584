from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from . import signals  # noqa: F401  (confirmed e-mail -> volunteer role)

        post_migrate.connect(_roles_after_migrate, sender=self)


def _roles_after_migrate(sender, **kwargs):
    """Every migrate (and a test database's flush) leaves the roles with their grants."""
    from django.apps import apps as global_apps

    from .roles import roles_ensure

    roles_ensure(kwargs.get("apps") or global_apps)
