"""The four lists: full-text search, faceted filters with counts, sorting and pages, no JS needed.

Filtering goes through catalogue.filters (the API's FilterSets), so a list and
the API answer the same question with the same rows.
"""

from dataclasses import dataclass, field

from django.db.models import Case, F, When
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from ..catalogue.datacache import cached
from ..catalogue.filters import AgencyFilter, DeploymentFilter, HotspotFilter
from ..catalogue.paging import PAGING_PARAMS, rows_in_order
from ..catalogue.selectors.rows import (
    agency_rows,
    counted_facets,
    deployment_rows,
    hotspot_rows,
)
from ..catalogue.visibility import public_q
from ..middleware import public_page
from ..models import (
    AgencyKind,
    AgencyLevel,
    DeploymentStatus,
    HotspotKind,
    PurposeClass,
    Technology,
)
from .common import filtered, paginate


@dataclass(frozen=True)
class Facet:
    """A filter parameter offered as a list of values with their counts."""

    param: str
    title: str
    field: str
    choices: tuple = ()
    label_field: str | None = None
    state: str | None = None  # path of a state, labelled with its name in the reader's language
    only_published: str | None = None  # relation that must be published to be offered
    limit: int | None = None

    def spec(self):
        """(expression, choices, label field, limit) for ``selectors.rows.counted_facets``."""
        expression = F(self.field)
        if self.only_published:
            expression = Case(When(public_q(self.only_published), then=F(self.field)))
        # A state's label is its name in the reader's language (selectors.rows.counted_facets).
        label_field = f"{self.state}__name" if self.state else self.label_field
        return (expression, self.choices, label_field, self.limit)


STATE_FACET = Facet("state", _("State or union territory"), "state_id", state="state")


@dataclass(frozen=True)
class EntityList:
    """How one list page filters, counts, sorts and shows its rows."""

    filterset_class: type
    rows: object
    template: str
    title: str
    facets: list = field(default_factory=list)
    sort_options: tuple = ()
    # What the counts depend on besides the data and the query (the RTI clock's key).
    varies_with: object = None


DEPLOYMENTS = EntityList(
    filterset_class=DeploymentFilter,
    rows=deployment_rows,
    template="tracker/deployment_list.html",
    title=_("Deployments"),
    facets=[
        STATE_FACET,
        Facet("technology", _("Technology"), "technology", tuple(Technology.choices)),
        Facet("status", _("Status"), "status", tuple(DeploymentStatus.choices)),
        Facet("purpose", _("Purpose"), "purpose_class", tuple(PurposeClass.choices)),
        Facet(
            "agency",
            _("Lead agency"),
            "lead_agency_id",
            label_field="lead_agency__name",
            only_published="lead_agency",
            limit=15,
        ),
    ],
    sort_options=(
        ("", _("Recently updated")),
        ("title", _("Title, A to Z")),
        ("-announced_on", _("Newest announcement first")),
        ("announced_on", _("Oldest announcement first")),
        ("-camera_count", _("Most cameras first")),
    ),
)

AGENCIES = EntityList(
    filterset_class=AgencyFilter,
    rows=agency_rows,
    template="tracker/agency_list.html",
    title=_("Agencies"),
    facets=[
        STATE_FACET,
        Facet("kind", _("Kind"), "kind", tuple(AgencyKind.choices)),
        Facet("level", _("Level"), "level", tuple(AgencyLevel.choices)),
    ],
    sort_options=(("", _("Name, A to Z")), ("-updated_at", _("Recently updated"))),
)

HOTSPOTS = EntityList(
    filterset_class=HotspotFilter,
    rows=hotspot_rows,
    template="tracker/hotspot_list.html",
    title=_("Hotspots"),
    facets=[
        STATE_FACET,
        Facet("kind", _("Kind of place"), "kind", tuple(HotspotKind.choices)),
        Facet(
            "agency",
            _("Agency"),
            "agency_id",
            label_field="agency__name",
            only_published="agency",
            limit=15,
        ),
    ],
    sort_options=(
        ("", _("Name, A to Z")),
        ("-camera_count", _("Most cameras first")),
        ("-updated_at", _("Recently updated")),
    ),
)


def _list_summary(params, spec, matching):
    """The number of matching rows and the facet counts: one query for the facets, and
    cached per query until the data changes, so every page of a list reuses them."""

    def compute():
        count, facets = counted_facets(matching, [facet.spec() for facet in spec.facets])
        return {"count": count, "facets": facets}

    query = sorted(
        (key, value)
        for key, values in params.lists()
        if key not in {*PAGING_PARAMS, "ordering"}
        for value in values
    )
    vary = spec.varies_with() if spec.varies_with else ""
    return cached("list-summary", compute, spec.template, get_language(), vary, query)


def entity_list(request, spec, *, params=None, extra=None):
    """``params`` replaces the page's GET parameters (a fixed view); ``extra`` adds context."""
    filterset = filtered(
        spec.filterset_class,
        request,
        spec.filterset_class.Meta.model.objects.published(),
        params=params,
    )
    matching = filterset.qs
    summary = _list_summary(request.GET if params is None else params, spec, matching)
    # The page's ids come from the order's index alone (a deep page skips index entries,
    # not whole rows); only its own rows are then read, with what a row shows.
    page = paginate(
        request,
        matching,
        count=summary["count"],
        load=lambda ids: rows_in_order(spec.rows(), ids),
        seek=True,
    )
    facets = [
        {
            "param": facet.param,
            "title": facet.title,
            "values": values,
            "selected": request.GET.get(facet.param, ""),
        }
        for facet, values in zip(spec.facets, summary["facets"], strict=True)
    ]
    return render(
        request,
        spec.template,
        {
            "title": spec.title,
            "filterset": filterset,
            "page": page,
            "rows": page.object_list,
            "facets": facets,
            "sort_options": spec.sort_options,
            "q": request.GET.get("q", ""),
            "ordering": request.GET.get("ordering", ""),
            "hidden_params": [
                (key, value)
                for key, value in request.GET.items()
                if key not in {"q", "ordering", *PAGING_PARAMS} and value
            ],
            **(extra or {}),
        },
    )


@require_safe
@public_page
def deployment_list(request):
    return entity_list(request, DEPLOYMENTS)


@require_safe
@public_page
def agency_list(request):
    return entity_list(request, AGENCIES)


@require_safe
@public_page
def hotspot_list(request):
    return entity_list(request, HOTSPOTS)
