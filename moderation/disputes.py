"""Readers' disputes: "this is wrong" about a claim of a public entry, and the moderators'
outcome, which the entry's public history shows.

Anyone may open one, signed in or not (the form's honeypot and a limit per client
address and per account keep floods out); nothing identifying an anonymous reader
is stored, and no reader's e-mail or address is ever shown. A moderator upholds it
(the entry is corrected: the note says how) or dismisses it (the note says why).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker.catalogue.links import detail_url
from tracker.catalogue.selectors.tombstones import ENTRY_MODELS
from tracker.ingest.normalise import normalise_url
from tracker.models import Claim, Dispute, EntryType, Publication
from tracker.models.base import display_name

from .throttles import dispute_allowed

OUTCOMES = (Dispute.Status.UPHELD, Dispute.Status.DISMISSED)


class DisputeRefused(Exception):
    """Why a dispute was not stored or decided; ``field`` names the input at fault."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def published_entry(*, entity_type, entity_id):
    """The published entry a dispute is about, or None."""
    model = ENTRY_MODELS.get(entity_type)
    if model is None:
        return None
    return model.objects.filter(pk=entity_id, publication=Publication.PUBLISHED).first()


def claims_for(entity_type):
    """The claims a reader may dispute on this kind of entry, besides the entry as a whole."""
    return Claim.choices if entity_type == EntryType.DEPLOYMENT else []


def dispute_open(*, entity_type, entity_id, claim, reason, source_url="", reader=None, client):
    """Store a reader's dispute (the form checked its fields) as a queue item.

    Refused while the entry is not published, for a claim its kind does not have, and
    past the limits per client address and per account (every attempt counts)."""
    entry = published_entry(entity_type=entity_type, entity_id=entity_id)
    if entry is None:
        raise DisputeRefused(_("This entry is not published."))
    if claim and claim not in dict(claims_for(entity_type)):
        raise DisputeRefused(_("Choose a claim of this entry."), field="claim")
    if not dispute_allowed(reader=reader, client=client):
        raise DisputeRefused(
            _("Many reports were sent from your connection recently; try again in an hour.")
        )
    return Dispute.objects.create(
        entity_type=entity_type,
        entity_id=entry.pk,
        claim=claim or "",
        reason=reason.strip(),
        source_url=normalise_url(source_url) if source_url else "",
        reader=reader if reader is not None and reader.is_authenticated else None,
    )


@transaction.atomic
def dispute_resolve(*, dispute_id, moderator, outcome, note):
    """Uphold or dismiss an open dispute, with a public note; once only."""
    if outcome not in OUTCOMES:
        raise DisputeRefused(_("Choose an outcome: upheld or dismissed."), field="outcome")
    note = " ".join((note or "").split())
    if not note:
        raise DisputeRefused(_("Say what was corrected, or why nothing was."), field="note")
    dispute = Dispute.objects.select_for_update().filter(pk=dispute_id).first()
    if dispute is None or dispute.status != Dispute.Status.OPEN:
        raise DisputeRefused(_("This dispute has already been decided."))
    dispute.status = outcome
    dispute.outcome_note = note
    dispute.decided_by = moderator
    dispute.decided_by_name = display_name(moderator)
    dispute.decided_at = timezone.now()
    dispute.save()
    return dispute


def dispute_entry(dispute):
    """(the entry a dispute is about, its public page or ""), for moderators."""
    model = ENTRY_MODELS[dispute.entity_type]
    entry = model._base_manager.filter(pk=dispute.entity_id).first()
    url = detail_url(entry) if entry is not None and entry.is_published else ""
    return entry, url
