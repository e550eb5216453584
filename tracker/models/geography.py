from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from .vocab import StateKind


class State(models.Model):
    """A state or union territory of India (reference data, loaded by a migration)."""

    code = models.CharField(_("ISO 3166-2 code"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=80, unique=True)
    name_hi = models.CharField(_("name in Hindi"), max_length=80, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=StateKind.choices)
    aliases = models.JSONField(_("other names"), default=list, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("state or union territory")
        verbose_name_plural = _("states and union territories")

    def __str__(self):
        return self.name

    @property
    def slug(self):
        return self.code.lower()


class StateBoundary(models.Model):
    """A state's simplified outline, kept apart so that loading a State never loads it."""

    state = models.OneToOneField(State, models.CASCADE, primary_key=True, related_name="boundary")
    shape = models.MultiPolygonField(_("boundary"), srid=4326)

    class Meta:
        verbose_name = _("state boundary")

    def __str__(self):
        return str(self.state)
