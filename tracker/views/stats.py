"""/stats/: charts drawn as server-side SVG (no external service), each with its numbers."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from ..catalogue import stats as counts
from ..catalogue.geography import state_name
from ..clock import rti_today
from ..middleware import public_page
from ..rti.statistics import rti_statistics_by_authority


def _state_label(row):
    if not row["code"]:
        return _("National scope")
    return state_name(row["label"], row["label_hi"])


@require_safe
@public_page
def stats(request):
    figures = counts.published_figures()
    headline = figures["headline"]
    charts = [
        {
            "id": "by-state",
            "title": _("Deployments by state or union territory"),
            "rows": [{**row, "label": _state_label(row)} for row in headline["by_state"]],
        },
        {
            "id": "by-technology",
            "title": _("Deployments by technology"),
            "rows": headline["by_technology"],
        },
        {"id": "by-status", "title": _("Deployments by status"), "rows": headline["by_status"]},
        {
            "id": "by-year",
            "title": _("Deployments by year announced"),
            "rows": figures["by_year"],
        },
        {
            "id": "rti-outcomes",
            "title": _("RTI requests by outcome"),
            "rows": figures["rti_outcomes"],
        },
    ]
    return render(
        request,
        "tracker/stats.html",
        {
            "headline": headline,
            "charts": charts,
            "rti_by_agency": rti_statistics_by_authority(today=rti_today()),
        },
    )
