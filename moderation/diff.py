"""The moderator's diff: proposed values against what is published, field by field."""

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: object
    new: object


def _empty(value):
    return value in ("", None, [])


def field_changes(*, fields, current: dict, proposed: dict) -> list[FieldChange]:
    """Changes in ``fields`` order; a field the proposal leaves out is unchanged.

    ``current`` is empty for a new entry, so every value given is a change.
    """
    changes = []
    for name in fields:
        if name not in proposed:
            continue
        old, new = current.get(name), proposed[name]
        if _empty(old) and _empty(new):
            continue
        if old != new:
            changes.append(FieldChange(name, None if _empty(old) else old, new))
    return changes
