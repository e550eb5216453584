"""An entry's public history and the site-wide change log.

Only states in which an entry was published are public; each change names who
saved it and who proposed it by their public display name, never more.
"""

from dataclasses import dataclass, field
from datetime import datetime

from ...models import Agency, Deployment, Dispute, Hotspot, Publication, RTIRequest
from ..links import detail_url
from .tombstones import TITLE_FIELD, entry_type_of

# Fields never shown as "what changed": bookkeeping, not facts.
HISTORY_EXCLUDED_FIELDS = {"updated_at", "created_at", "slug", "is_demo"}


@dataclass
class HistoryEntry:
    """One public change: when, what kind, which fields, why."""

    date: datetime
    kind: str  # "created", "published", "changed", "withdrawn", "restored", "disputed"
    fields: list = field(default_factory=list)
    reason: str = ""
    entity: object = None
    entity_label: str = ""
    url: str = ""
    made_by: str = ""  # the public display name of who saved it (the approving moderators)
    proposed_by: str = ""  # ... and of the volunteer who proposed it, if any
    title: str = ""  # the entry's title as last published (the change log's link)
    dispute: object = None  # a decided dispute ("disputed"): its claim and outcome


def _changed_fields(new, old, model):
    # (Fields no form edits, such as the derived verification level, are never diffed.)
    delta = new.diff_against(old, excluded_fields=HISTORY_EXCLUDED_FIELDS)
    return [str(model._meta.get_field(change.field).verbose_name) for change in delta.changes]


def _entries_from_records(records, model):
    """Turn one object's history records (oldest first) into its public change entries.

    Only states in which the entry was published are public: edits made while
    it was a draft, and anything after it was withdrawn, stay private.
    """
    entries, previous = [], None
    for record in records:
        if record.publication == Publication.PUBLISHED:
            if previous is None:
                entries.append(HistoryEntry(record.history_date, "created"))
            elif previous.publication == Publication.WITHDRAWN:
                entries.append(HistoryEntry(record.history_date, "restored"))
            elif previous.publication != Publication.PUBLISHED:
                entries.append(HistoryEntry(record.history_date, "published"))
            else:
                changed = _changed_fields(record, previous, model)
                # A change kept in other rows (an entry's vendors, its links) leaves no
                # field changed here; the reason given for it still says what happened.
                if changed or record.history_change_reason:
                    entries.append(HistoryEntry(record.history_date, "changed", changed))
            if entries and entries[-1].date == record.history_date:
                entries[-1].reason = record.history_change_reason or ""
                _credit(entries[-1], record)
        elif (
            record.publication == Publication.WITHDRAWN
            and previous is not None
            and previous.publication == Publication.PUBLISHED
        ):
            # The public reason only: nothing the record says besides is public now.
            entry = HistoryEntry(record.history_date, "withdrawn", reason=record.withdrawn_reason)
            entries.append(_credit(entry, record))
        previous = record
    return entries


def _credit(entry, record):
    """Who made the change and who proposed it: the names they had then (copied into the
    record), never who they are now."""
    entry.made_by = record.history_user_name
    entry.proposed_by = record.history_contributor_name
    return entry


def history_entries(obj, *, limit=50):
    """The public change history of one entity, with the outcomes of readers' disputes
    about it, newest first (two queries)."""
    records = list(obj.history.order_by("history_date", "history_id"))
    entries = _entries_from_records(records, type(obj)) + _dispute_outcomes(obj)
    entries.sort(key=lambda entry: entry.date)
    return list(reversed(entries))[:limit]


def _dispute_outcomes(obj):
    """Decided disputes as history entries: the claim, upheld or dismissed, the moderator's
    public note and name (never the reader, nor their reason)."""
    decided = Dispute.objects.filter(
        entity_type=entry_type_of(type(obj)), entity_id=obj.pk, decided_at__isnull=False
    ).exclude(status=Dispute.Status.OPEN)
    return [
        HistoryEntry(
            dispute.decided_at,
            "disputed",
            reason=dispute.outcome_note,
            made_by=dispute.decided_by_name,
            dispute=dispute,
        )
        for dispute in decided.only(
            "claim", "status", "outcome_note", "decided_at", "decided_by_name"
        )
    ]


CHANGE_LOG_MODELS = (Deployment, Agency, Hotspot, RTIRequest)


def recent_changes(*, limit=50, models=CHANGE_LOG_MODELS):
    """Recent public changes to entries that are published now, and withdrawals of entries
    that were (each under the title it had when last published), newest first.

    Two queries per kind of entity: the latest records, then the full
    history of just those entities so each change can name its fields.
    """
    entries = []
    for model in models:
        visible_ids = model.objects.filter(
            publication__in=(Publication.PUBLISHED, Publication.WITHDRAWN)
        ).values("pk")
        recent_ids = list(
            model.history.filter(
                id__in=visible_ids,
                publication__in=(Publication.PUBLISHED, Publication.WITHDRAWN),
            )
            .order_by("-history_date")
            .values_list("id", flat=True)[: limit * 2]
        )
        if not recent_ids:
            continue
        current = {obj.pk: obj for obj in model.objects.filter(pk__in=set(recent_ids))}
        records = model.history.filter(id__in=set(recent_ids)).order_by(
            "id", "history_date", "history_id"
        )
        by_id = {}
        for record in records:
            by_id.setdefault(record.id, []).append(record)
        for pk, obj_records in by_id.items():
            obj = current[pk]
            published = [r for r in obj_records if r.publication == Publication.PUBLISHED]
            if not published:
                continue  # withdrawn before it was ever public
            for entry in _entries_from_records(obj_records, model):
                entry.entity = obj
                entry.title = getattr(published[-1], TITLE_FIELD[model])
                entry.entity_label = str(model._meta.verbose_name)
                entry.url = detail_url(obj)
                entries.append(entry)
    entries.sort(key=lambda e: e.date, reverse=True)
    return entries[:limit]
