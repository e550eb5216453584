"""The four lists: full-text search, faceted filters with counts, sorting and pages, no JS needed.

Filtering goes through catalogue.filters (the API's FilterSets), so a list and
the API answer the same question with the same rows.
"""

from dataclasses import dataclass, field

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from ..catalogue.filters import AgencyFilter, DeploymentFilter, HotspotFilter
from ..catalogue.geography import state_name_sql
from ..catalogue.selectors import (
    agency_rows,
    deployment_rows,
    facet_counts,
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

    def counts(self, queryset):
        if self.only_published:
            queryset = queryset.filter(public_q(self.only_published))
        label = state_name_sql(self.state) if self.state else self.label_field
        return facet_counts(queryset, self.field, self.choices, label=label, limit=self.limit)


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


def entity_list(request, spec, *, params=None, extra=None):
    """``params`` replaces the page's GET parameters (a fixed view); ``extra`` adds context."""
    filterset = filtered(
        spec.filterset_class,
        request,
        spec.filterset_class.Meta.model.objects.published(),
        params=params,
    )
    matching = filterset.qs
    page = paginate(request, spec.rows(matching))
    facets = [
        {
            "param": facet.param,
            "title": facet.title,
            "values": facet.counts(matching),
            "selected": request.GET.get(facet.param, ""),
        }
        for facet in spec.facets
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
                if key not in {"q", "ordering", "page"} and value
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
