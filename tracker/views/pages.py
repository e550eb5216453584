"""Plain pages: downloads, data dictionary and licence; about."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from ..exports.datasets import EXPORTS
from ..middleware import public_page


@require_safe
@public_page
def data(request):
    """Links to the API's bulk exports, and each export's columns as the data dictionary."""
    downloads = [
        {
            "name": name,
            "title": export.title,
            "description": export.description,
            "columns": export.columns,
            "csv": reverse(f"api:export-{name}-csv"),
            "csv_excel": reverse(f"api:export-{name}-csv") + "?excel=1",
            "geojson": reverse(f"api:export-{name}-geojson") if export.geometry else "",
        }
        for name, export in EXPORTS.items()
    ]
    return render(request, "tracker/data.html", {"downloads": downloads})


@require_safe
@public_page
def about(request):
    return render(request, "tracker/about.html")
