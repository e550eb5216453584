"""What every public entity shares: stable id, slug, timestamps,
publication state, demo flag and full change history."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.dispatch import receiver
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from .vocab import Publication

DISPLAY_NAME_MAX = 60


class PublishedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(publication=Publication.PUBLISHED)


class WithoutDocumentManager(models.Manager):
    """Rows are read without their search document: only the database reads it (the
    triggers write it, ``search`` matches it), and turning a few hundred of them into
    Python strings cost a long page a fifth of its time."""

    def get_queryset(self):
        return super().get_queryset().defer("search_document")


class PublicEntityManager(WithoutDocumentManager.from_queryset(PublishedQuerySet)):
    pass


class ContributedHistory(models.Model):
    """History rows also name who proposed a change (a volunteer), besides who made it.

    ``history_user`` is whoever saved the entity (the approving moderator); set
    ``entity._history_contributor`` before saving to credit the proposer. The
    public change log shows both by their public display name (``first_name``).
    """

    history_contributor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The public display names at the time of the change, copied: renaming an account
    # later never rewrites the record.
    history_user_name = models.CharField(max_length=DISPLAY_NAME_MAX, blank=True)
    history_contributor_name = models.CharField(max_length=DISPLAY_NAME_MAX, blank=True)

    class Meta:
        abstract = True


def display_name(user):
    """A user's public display name (``first_name``); never the e-mail or username."""
    return (user.first_name or "").strip() if user is not None else ""


@receiver(pre_create_historical_record)
def _history_contributor_set(sender, instance, history_instance, **kwargs):
    if hasattr(history_instance, "history_contributor_id"):
        contributor = getattr(instance, "_history_contributor", None)
        history_instance.history_contributor = contributor
        history_instance.history_contributor_name = display_name(contributor)
        # Several approving moderators are named together (four-eyes moderation).
        history_instance.history_user_name = getattr(
            instance, "_history_user_name", None
        ) or display_name(history_instance.history_user)


class ChoiceLabels(models.Model):
    """``get_<field>_display()`` through a table of labels kept per field.

    Django's own rebuilds that table on every call, translating every choice of
    the vocabulary to hash it: a third of a state or agency page's rendering
    time. The labels stay lazy here; only the one shown is translated, in the
    reader's language.
    """

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        labels = field.__dict__.get("_labels_by_value")
        if labels is None:
            labels = {make_hashable(value): label for value, label in field.flatchoices}
            field._labels_by_value = labels
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)


class PublicEntity(ChoiceLabels):
    slug = models.SlugField(_("slug"), max_length=120, unique=True, blank=True)
    publication = models.CharField(
        _("publication"),
        max_length=12,
        choices=Publication.choices,
        default=Publication.DRAFT,
        db_index=True,
    )
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    # Set by tracker.publication when the entry is withdrawn (its tombstone's date).
    withdrawn_at = models.DateTimeField(
        _("withdrawn at"), null=True, blank=True, db_index=True, editable=False
    )
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Sample data loaded by make run.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    # Full-text document, written by database triggers (migration 0008_search_documents)
    # from this row and the names of related published entities; never set it here.
    # Its GIN index is built with fastupdate off: writes are rare, and a pending list
    # would make searches after a bulk load slow until the next vacuum.
    search_document = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(
        inherit=True, bases=[ContributedHistory], excluded_fields=["search_document"]
    )

    objects = PublicEntityManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(type(self), self.slug_source())
        super().save(*args, **kwargs)

    def slug_source(self):
        return str(self)

    @property
    def is_published(self):
        return self.publication == Publication.PUBLISHED


def unique_slug(model, text, max_length=120):
    """A slug for ``text`` not yet used by ``model``: readable URLs that never collide."""
    base = (slugify(text) or model._meta.model_name)[: max_length - 8].strip("-")
    slug, n = base, 2
    while model._base_manager.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug
