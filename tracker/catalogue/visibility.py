"""What the public may see: the one rule, for rows, for relations and for loaded objects.

An entity is public while its ``publication`` is "published". One that is not
(a draft, a withdrawn entry) is invisible everywhere, also through a
relation: a published deployment whose lead agency is a draft shows no
agency at all, not even its name in a CSV column, a search match, a map
popup or a statistics table. Every public read (selectors, filters, search,
stats, exports, the API's serializers, the map) asks here, so the rule
cannot drift between them.
"""

from django.db.models import Case, F, Q, Value, When

from ..models import Citation, Evidence, Publication, Source


def is_public(obj) -> bool:
    """Whether a loaded entity may be shown (None is not)."""
    return obj is not None and obj.publication == Publication.PUBLISHED


def public_or_none(obj):
    """``obj`` when it may be shown, else None: for a foreign key a page or answer shows."""
    return obj if is_public(obj) else None


def public_q(relation: str = "") -> Q:
    """Rows that are public themselves, or (with ``relation``) whose related entity is."""
    prefix = f"{relation}__" if relation else ""
    return Q(**{f"{prefix}publication": Publication.PUBLISHED})


def public_value(relation: str, field: str, *, default=None, output_field=None):
    """SQL: the related entity's ``field`` while that entity is public, else ``default``."""
    return Case(
        When(public_q(relation), then=F(f"{relation}__{field}")),
        default=None if default is None else Value(default),
        output_field=output_field,
    )


def public_rows(model):
    """Every row of ``model`` the public may see, before any filter.

    Sources have no publication of their own: a source is public while a
    public entity cites it; evidence is public with the deployment citing it.
    """
    if model is Evidence:
        return Evidence.objects.filter(public_q("citation__deployment"))
    if model is Source:
        cited = Q()
        for target in Citation.TARGETS:
            cited |= public_q(target)
        return Source.objects.filter(
            pk__in=Citation.objects.filter(cited).values("source_id")
        ).order_by("id")
    return model.objects.published()
