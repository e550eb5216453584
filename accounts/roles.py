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


def role_grant(*, user, role: Role):
    """Give ``user`` a role; administrators also become staff so they can use the admin."""
    user.groups.add(Group.objects.get(name=role))
    if role == Role.ADMINISTRATOR and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
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
