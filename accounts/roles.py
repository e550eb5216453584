"""Roles are groups (created by a migration): volunteer, moderator, administrator.

A role is checked through the permission its group carries, so a superuser
holds every role; moderators are not staff and never need the admin.
"""

from enum import StrEnum
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied


class Role(StrEnum):
    VOLUNTEER = "Volunteers"
    MODERATOR = "Moderators"  # the name tracker's source-review page also checks
    ADMINISTRATOR = "Administrators"


SUBMIT_PERMISSION = "moderation.add_submission"
REVIEW_PERMISSION = "moderation.review_submission"

# Each role's permissions as (app label, codename); a codename of None means the whole app.
ROLE_GRANTS = {
    Role.VOLUNTEER: [("moderation", "add_submission")],
    Role.MODERATOR: [
        ("moderation", "add_submission"),
        ("moderation", "review_submission"),
        ("moderation", "view_submission"),
    ],
    # Administrators also manage users, roles and every entry in the admin.
    Role.ADMINISTRATOR: [("moderation", None), ("tracker", None), ("auth", None)],
}


def roles_ensure(apps):
    """Create the role groups with their permissions; idempotent.

    Run by the accounts migration (with its historical ``apps``), and by tests
    after a flush has emptied the tables.
    """
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; the roles need them now.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = models_module
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, grants in ROLE_GRANTS.items():
        group, _ = group_model.objects.get_or_create(name=str(role))
        for app_label, codename in grants:
            perms = permission_model.objects.filter(content_type__app_label=app_label)
            if codename:
                perms = perms.filter(codename=codename)
            group.permissions.add(*perms)


def role_grant(*, user, role: Role):
    """Give ``user`` a role (administrators become staff too: see signals)."""
    user.groups.add(Group.objects.get(name=role))
    # Django caches permissions on the user object.
    for cache in ("_perm_cache", "_group_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(cache, None)


def is_volunteer(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(SUBMIT_PERMISSION)


def is_moderator(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(REVIEW_PERMISSION)


def _role_required(check):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# Anonymous visitors are sent to sign in; signed-in users without the role get a 403.
volunteer_required = _role_required(is_volunteer)
moderator_required = _role_required(is_moderator)


def public_name(user) -> str:
    """The name the public sees: the chosen display name, never the e-mail."""
    return (user.first_name or "").strip() if user else ""
