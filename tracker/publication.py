"""Publishing, withdrawing and restoring public entities: the one way to do it.

The admin's actions and change forms, the CSV import, the demo data and moderation all
call these, so a change of publication always lands in the entity's history with
who made it and why (django-simple-history's ``_history_user`` and
``_change_reason``), and webhooks hear of every change the public can see.
Nothing published is ever deleted: it is withdrawn with a reason, and can
be restored.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from .catalogue.datacache import data_changed
from .models import Publication
from .webhooks.events import publication_announce


def _publication_before(entity):
    """The entity's publication as stored (None for a new one)."""
    if entity._state.adding or entity.pk is None:
        return None
    stored = type(entity)._base_manager.filter(pk=entity.pk)
    return stored.values_list("publication", flat=True).first()


def _saved(*, entity, actor, reason):
    """Save with history naming who and why, refresh what is cached, and tell webhooks
    what the public saw change (published, changed, withdrawn), once it commits."""
    before = _publication_before(entity)
    entity._history_user = actor
    entity._change_reason = reason
    entity.save()
    data_changed()  # headline figures, facets, sitemaps and the map show it at once
    publication_announce(entity=entity, before=before)
    return entity


def _publication_set(*, entity, publication, actor, reason, withdrawn_reason=""):
    entity.publication = publication
    entity.withdrawn_reason = withdrawn_reason
    return _saved(entity=entity, actor=actor, reason=reason)


@transaction.atomic
def entity_publish(*, entity, actor=None, reason: str = ""):
    """Make ``entity`` public (a draft, or a withdrawn entry put back)."""
    return _publication_set(
        entity=entity, publication=Publication.PUBLISHED, actor=actor, reason=reason or "Published"
    )


@transaction.atomic
def entities_publish_new(*, entities, actor=None, reason: str = ""):
    """Save new entities published at once, for a trusted import (the CSV import, demo data).

    Each one's history then begins with a single published record, as if it
    had been created public; nothing is ever a draft in between.
    """
    for entity in entities:
        if not entity._state.adding:
            raise ValueError(f"{entity!r} is already saved; use entity_publish")
        _publication_set(
            entity=entity, publication=Publication.PUBLISHED, actor=actor, reason=reason
        )
    return entities


@transaction.atomic
def entity_withdraw(*, entity, reason: str, actor=None):
    """Take ``entity`` off every public page, feed, export and API answer; history keeps it."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the entry is withdrawn."})
    return _publication_set(
        entity=entity,
        publication=Publication.WITHDRAWN,
        actor=actor,
        reason=f"Withdrawn: {reason}",
        withdrawn_reason=reason,
    )


@transaction.atomic
def entity_save(*, entity, actor=None, reason: str = ""):
    """Save an edit made directly (the admin's change form), as any change: recorded in
    history, caches refreshed, and a published entry's change announced."""
    return _saved(entity=entity, actor=actor, reason=reason or "Edited")


@transaction.atomic
def entity_restore(*, entity, actor=None, reason: str = ""):
    """Publish a withdrawn entry again."""
    return entity_publish(entity=entity, actor=actor, reason=reason or "Restored")
