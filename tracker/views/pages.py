"""Plain pages: downloads and licence, about."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..middleware import public_page

EXPORTS = ("deployments", "agencies", "hotspots", "rti-requests")


@require_safe
@public_page
def data(request):
    downloads = [
        {
            "name": name,
            "csv": f"/api/v1/export/{name}.csv",
            "geojson": f"/api/v1/export/{name}.geojson" if name != "rti-requests" else "",
        }
        for name in EXPORTS
    ]
    return render(request, "tracker/data.html", {"downloads": downloads})


@require_safe
@public_page
def about(request):
    return render(request, "tracker/about.html")
