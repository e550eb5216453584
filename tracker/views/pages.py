"""Plain pages: downloads, data dictionary and licence, dataset releases; about."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from ..exports.datasets import EXPORTS
from ..exports.releases import release_get, releases
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


@require_safe
@public_page
def data_releases(request):
    """Every dataset release, newest first, with its size, checksum and changes."""
    listed = []
    for release in releases():
        rows = release.manifest["rows"]
        changes = [
            # The export's title is English in the files; the page shows it translated.
            {"entity": gettext(EXPORTS[entity].title), "rows": rows[entity], **counts}
            for entity, counts in release.manifest["changes"].items()
            if entity in EXPORTS
        ]
        as_of = parse_datetime(release.manifest["data_as_of"])
        listed.append({"release": release, "changes": changes, "as_of": as_of})
    return render(request, "tracker/data_releases.html", {"releases": listed})


def _release_file(name, path_of, content_type, *, download):
    release = release_get(name)
    if release is None:
        raise Http404("No such release.")
    path = path_of(release)
    response = FileResponse(path.open("rb"), content_type=content_type, as_attachment=download)
    response["Cache-Control"] = "public, max-age=86400, immutable"  # releases never change
    return response


@require_safe
@public_page
def data_release_zip(request, name):
    return _release_file(name, lambda release: release.zip_path, "application/zip", download=True)


@require_safe
@public_page
def data_release_changes(request, name):
    return _release_file(
        name, lambda release: release.changes_path, "application/json", download=False
    )
