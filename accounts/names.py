"""Public display names: unique whatever the capitals or accents, changed at most once
every 30 days, and copied into each history record when a change is made (so a rename
never rewrites the past: ``tracker.models.base``).

``first_name`` holds the name; ``DisplayName`` its comparison key and when the key last
changed, kept in step with every save of an account (``display_name_sync``), so the
database refuses a duplicate whoever writes it.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import DisplayName, display_name_key

RENAME_EVERY = timedelta(days=30)


def display_name_taken_message():
    return _("This display name is taken (names are compared without capitals or accents).")


def display_name_problem(*, name, user=None, now=None, limit_renames=True):
    """Why ``user`` (None: a new account) may not take ``name``, or None."""
    key = display_name_key(name)
    taken = DisplayName.objects.filter(key=key)
    if user is not None and user.pk:
        taken = taken.exclude(user=user)
    if taken.exists():
        return display_name_taken_message()
    if not limit_renames or user is None or not user.pk:
        return None
    current = DisplayName.objects.filter(user=user).first()
    now = now or timezone.now()
    recently = current is not None and current.changed_at is not None
    if recently and current.key != key and current.changed_at > now - RENAME_EVERY:
        return _("You can change your display name once every 30 days: next on %(day)s.") % {
            "day": timezone.localdate(current.changed_at + RENAME_EVERY).isoformat()
        }
    return None


def display_name_sync(sender, instance, update_fields=None, **kwargs):
    """After any save of an account: its name's key, and when the key last changed (the
    first name chosen is no change; a change of capitals or accents only is the same name
    and does not count)."""
    if update_fields is not None and "first_name" not in update_fields:
        return  # a sign-in (last_login) or the like: the name was not written
    key = display_name_key(instance.first_name or "")
    current = DisplayName.objects.filter(user=instance).first()
    if not key:
        if current is not None:
            current.delete()
        return
    if current is None:
        DisplayName.objects.create(user=instance, key=key, changed_at=None)
    elif current.key != key:
        current.key = key
        current.changed_at = timezone.now()
        current.save(update_fields=["key", "changed_at"])


def display_name_save(*, save):
    """Run ``save`` (which writes a display name) in its own transaction; False when another
    account took the name meanwhile (nothing is then changed)."""
    try:
        with transaction.atomic():
            save()
    except IntegrityError:
        return False
    return True
