"""An entry's public history and the site-wide change log.

Only states in which an entry was published are public; each change names who
saved it and who proposed it by their public display name, never more.
"""

from dataclasses import dataclass, field
from datetime import datetime

from ...models import Agency, Deployment, Hotspot, Publication, RTIRequest
from ..links import detail_url

# Fields never shown as "what changed": bookkeeping, not facts.
HISTORY_EXCLUDED_FIELDS = {"updated_at", "created_at", "slug", "is_demo"}


@dataclass
class HistoryEntry:
    """One public change: when, what kind, which fields, why."""

    date: datetime
    kind: str  # "created", "published", "changed"
    fields: list = field(default_factory=list)
    reason: str = ""
    entity: object = None
    entity_label: str = ""
    url: str = ""
    made_by: str = ""  # the public display name of who saved it (an approving moderator)
    proposed_by: str = ""  # ... and of the volunteer who proposed it, if any


def public_name(user):
    """A user's public display name (``first_name``); never the e-mail or username."""
    return (user.first_name or "").strip() if user is not None else ""


# History records with the users a change log names, in the same query.
HISTORY_USERS = ("history_user", "history_contributor")


def _changed_fields(new, old, model):
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
                entries[-1].made_by = public_name(record.history_user)
                entries[-1].proposed_by = public_name(record.history_contributor)
        previous = record
    return entries


def history_entries(obj, *, limit=50):
    """The public change history of one entity, newest first (one query)."""
    records = list(
        obj.history.select_related(*HISTORY_USERS).order_by("history_date", "history_id")
    )
    entries = _entries_from_records(records, type(obj))
    return list(reversed(entries))[:limit]


CHANGE_LOG_MODELS = (Deployment, Agency, Hotspot, RTIRequest)


def recent_changes(*, limit=50, models=CHANGE_LOG_MODELS):
    """Recent public changes to entities that are published now, newest first.

    Two queries per kind of entity: the latest records, then the full
    history of just those entities so each change can name its fields.
    """
    entries = []
    for model in models:
        published_ids = model.objects.published().values("pk")
        recent_ids = list(
            model.history.filter(id__in=published_ids, publication=Publication.PUBLISHED)
            .order_by("-history_date")
            .values_list("id", flat=True)[: limit * 2]
        )
        if not recent_ids:
            continue
        current = {obj.pk: obj for obj in model.objects.filter(pk__in=set(recent_ids))}
        records = (
            model.history.filter(id__in=set(recent_ids))
            .select_related(*HISTORY_USERS)
            .order_by("id", "history_date", "history_id")
        )
        by_id = {}
        for record in records:
            by_id.setdefault(record.id, []).append(record)
        for pk, obj_records in by_id.items():
            obj = current[pk]
            for entry in _entries_from_records(obj_records, model):
                entry.entity = obj
                entry.entity_label = str(model._meta.verbose_name)
                entry.url = detail_url(obj)
                entries.append(entry)
    entries.sort(key=lambda e: e.date, reverse=True)
    return entries[:limit]
