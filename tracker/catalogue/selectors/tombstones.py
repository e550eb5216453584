"""Tombstones: what stays public of a withdrawn entry, and the sync of withdrawals.

A withdrawn entry that was once published answers 410 Gone on its page and in the
API, with the title it had when last published, the public reason and the date;
the API lists withdrawals since a time so a mirror can delete them. Nothing else
of it is public: not what was edited while it was withdrawn (the title shown is
the last published one), and nothing of an entry that was never published (a
withdrawn draft is simply not found).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import CharField, Exists, OuterRef, Value

from ...models import Agency, Deployment, EntryType, Hotspot, Publication, RTIRequest

ENTRY_MODELS = {
    EntryType.DEPLOYMENT: Deployment,
    EntryType.AGENCY: Agency,
    EntryType.HOTSPOT: Hotspot,
    EntryType.RTI_REQUEST: RTIRequest,
}
TITLE_FIELD = {Deployment: "title", Agency: "name", Hotspot: "name", RTIRequest: "title"}


@dataclass(frozen=True)
class Tombstone:
    entry_type: str
    id: int
    title: str
    reason: str
    withdrawn_at: datetime
    slug: str

    def as_json(self):
        """The API's 410 body."""
        return {"id": self.id, "withdrawn_at": self.withdrawn_at, "reason": self.reason}


def entry_type_of(model) -> str:
    return next(code for code, entry_model in ENTRY_MODELS.items() if entry_model is model)


def was_published(model):
    """SQL: the row was published at some time (its history says so)."""
    return Exists(
        model.history.filter(id=OuterRef("pk"), publication=Publication.PUBLISHED).values("pk")
    )


def public_titles(model, ids) -> dict:
    """{id: the title each entry had when it was last published}, in one query."""
    field = TITLE_FIELD[model]
    rows = (
        model.history.filter(id__in=list(ids), publication=Publication.PUBLISHED)
        .order_by("id", "-history_date", "-history_id")
        .distinct("id")
        .values_list("id", field)
    )
    return dict(rows)


def tombstone(model, pk) -> Tombstone | None:
    """The tombstone of a withdrawn entry that was once published, else None."""
    row = (
        model._base_manager.filter(pk=pk, publication=Publication.WITHDRAWN)
        .values("pk", "slug", "withdrawn_reason", "withdrawn_at", "updated_at")
        .first()
    )
    if row is None:
        return None
    title = public_titles(model, [pk]).get(pk)
    if title is None:  # never public: nothing to say about it
        return None
    return Tombstone(
        entry_type=entry_type_of(model),
        id=pk,
        title=title,
        reason=row["withdrawn_reason"],
        withdrawn_at=row["withdrawn_at"] or row["updated_at"],
        slug=row["slug"],
    )


def withdrawals(*, since=None, entry_type=None):
    """Withdrawn entries that were once published, withdrawn at or after ``since``: rows of
    ``type``, ``id``, ``withdrawn_at`` and ``reason``, oldest withdrawal first (one query)."""
    parts = []
    for code, model in ENTRY_MODELS.items():
        if entry_type and code != entry_type:
            continue
        rows = model._base_manager.filter(publication=Publication.WITHDRAWN).filter(
            was_published(model)
        )
        if since is not None:
            rows = rows.filter(withdrawn_at__gte=since)
        parts.append(
            rows.annotate(type=Value(str(code), output_field=CharField()))
            .values("type", "id", "withdrawn_at", "withdrawn_reason")
            .order_by()
        )
    first, *others = parts
    return first.union(*others, all=True).order_by("withdrawn_at", "type", "id")
