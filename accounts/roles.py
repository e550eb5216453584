"""Roles are groups: volunteer, moderator, administrator. A role is the set of
permissions its group carries (``ROLE_GRANTS``).

Every check asks ``user.has_perm(...)`` for the permission it needs, never a
group's name nor ``is_staff``. Administrators hold every permission through
their role, so nothing depends on ``is_superuser`` alone (an active superuser
still passes every check, as Django decides). Moderators are not staff and
never need the admin.
"""

from enum import StrEnum
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from tracker import permissions as tracker_permissions


class Role(StrEnum):
    VOLUNTEER = "Volunteers"
    MODERATOR = "Moderators"
    ADMINISTRATOR = "Administrators"


# The moderation app's permissions; tracker's are named in tracker/permissions.py.
SUBMIT_PERMISSION = "moderation.add_submission"
REVIEW_PERMISSION = "moderation.review_submission"
EVERY_PERMISSION = "*"

# Each role's permissions, as "app_label.codename".
ROLE_GRANTS = {
    Role.VOLUNTEER: [SUBMIT_PERMISSION],
    Role.MODERATOR: [
        SUBMIT_PERMISSION,
        REVIEW_PERMISSION,
        "moderation.view_submission",
        tracker_permissions.SOURCE_REVIEW,
        tracker_permissions.ARCHIVE_READ,
        tracker_permissions.RTI_REMINDERS,
        tracker_permissions.RTI_EVENT_RECORD,
        tracker_permissions.RTI_DOCUMENT_PUBLISH,
        tracker_permissions.RTI_CAMPAIGN_CREATE,
    ],
    # Administrators also manage users, roles and every entry in the admin.
    Role.ADMINISTRATOR: [EVERY_PERMISSION],
}


def roles_ensure(apps):
    """Create the role groups, with the permissions ``ROLE_GRANTS`` names; idempotent.

    Run by the accounts migration (with its historical ``apps``), before Django has
    created any permission, and by tests after a flush has emptied the tables.
    """
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; the roles need them now.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = models_module
    roles_grant(apps)


def roles_grant(apps):
    """Create the role groups and add the permissions ``ROLE_GRANTS`` names, in a few
    queries. It only adds: a permission an administrator gave a group by hand stays.

    Also run after every ``migrate`` (accounts/apps.py), so a permission added to a role
    reaches the groups of a running site.
    """
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    every = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in permission_model.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    through = group_model.permissions.through
    rows = []
    for role, grants in ROLE_GRANTS.items():
        group, _ = group_model.objects.get_or_create(name=str(role))
        wanted = every.values() if EVERY_PERMISSION in grants else map(every.get, grants)
        rows += [through(group_id=group.pk, permission_id=pk) for pk in wanted if pk]
    through.objects.bulk_create(rows, ignore_conflicts=True)


def role_grant(*, user, role: Role):
    """Give ``user`` a role (administrators become staff too: see signals)."""
    user.groups.add(Group.objects.get(name=role))
    # Django caches permissions on the user object.
    for cache in ("_perm_cache", "_group_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(cache, None)


def is_volunteer(user) -> bool:
    return user.has_perm(SUBMIT_PERMISSION)


def is_moderator(user) -> bool:
    return user.has_perm(REVIEW_PERMISSION)


def permission_required(permission):
    """A page for holders of ``permission``: anonymous visitors are sent to sign in,
    signed-in people without it get a 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


volunteer_required = permission_required(SUBMIT_PERMISSION)
moderator_required = permission_required(REVIEW_PERMISSION)
