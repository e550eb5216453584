"""Full-text search shared by the public lists and the API's ``q``."""

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import F, OuterRef, Subquery, TextField, Value
from django.db.models.functions import Coalesce

from .visibility import public_q, public_value

SEARCH_CONFIG = "english"


def _names_of(through, owner_field, name_path, only=None):
    """A subquery joining the names of a many-to-many relation into one string."""
    rows = through.objects.filter(**{owner_field: OuterRef("pk")})
    if only is not None:
        rows = rows.filter(only)
    return Coalesce(
        Subquery(
            rows.values(owner_field).annotate(names=StringAgg(name_path, " ")).values("names")[:1]
        ),
        Value(""),
        output_field=TextField(),
    )


def _if_published(relation, field):
    """A related entity's text, only while that entity is published: drafts stay unsearchable."""
    return public_value(relation, field, default="", output_field=TextField())


def search_vector(model):
    """The weighted document searched for each kind of entity."""
    from ..models import Agency, Deployment, Hotspot, RTIRequest, Source

    def vec(*fields, weight):
        return SearchVector(*fields, weight=weight, config=SEARCH_CONFIG)

    if model is Deployment:
        vendors = _names_of(Deployment.vendors.through, "deployment", "vendor__name")
        partners = _names_of(
            Deployment.partner_agencies.through,
            "deployment",
            "agency__name",
            public_q("agency"),
        )
        return (
            vec("title", weight="A")
            + vec(
                _if_published("lead_agency", "name"),
                _if_published("lead_agency", "short_name"),
                partners,
                vendors,
                weight="B",
            )
            + vec("summary", "city", "district", weight="C")
        )
    if model is Agency:
        return vec("name", "short_name", weight="A") + vec("description", "city", weight="C")
    if model is Hotspot:
        return vec("name", weight="A") + vec(
            "city", "notes", _if_published("agency", "name"), weight="C"
        )
    if model is RTIRequest:
        return (
            vec("title", "reference_number", weight="A")
            + vec(_if_published("authority", "name"), weight="B")
            + vec("application_text", weight="C")
        )
    if model is Source:
        return vec("title", weight="A") + vec("publisher", "url", weight="C")
    raise ValueError(f"no search document for {model.__name__}")


def search(queryset, q):
    """Rows matching the words in ``q`` (web-search syntax), best first."""
    q = (q or "").strip()
    if not q:
        return queryset
    query = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
    return (
        queryset.annotate(search_document=search_vector(queryset.model))
        .filter(search_document=query)
        .annotate(search_rank=SearchRank(F("search_document"), query))
        .order_by("-search_rank", "id")
    )
