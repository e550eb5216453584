"""Accounts use Django's User: ``first_name`` holds the public display name.

The public change log (tracker) copies that name into each history record when
the change is made, so renaming an account never rewrites the past; the e-mail
address is never shown publicly. ``DisplayName`` keeps each name's comparison
key unique (so no one can take a moderator's name with other capitals or
accents) and when it last changed (renames are limited).
"""

import unicodedata

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def display_name_key(name: str) -> str:
    """What two display names are compared by: without accents, case or extra spaces
    ("Asha  Rāo" and "asha rao" are the same name)."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


class DisplayName(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, primary_key=True, related_name="display_name"
    )
    key = models.CharField(max_length=200, unique=True)
    # When the name last changed: None while it is the one chosen at sign-up.
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("display name")

    def __str__(self):
        return self.key
