"""The maps' background, served by the site itself: state outlines and names, place labels
for each view, place search (all from ``catalogue.places``), and the operator's PMTiles
archive (``MAP_PMTILES``) with HTTP range requests. No tile server is ever contacted
unless the operator configures one.
"""

import json
import os

from django import forms
from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from werkzeug.http import parse_range_header

from ..catalogue import places
from ..catalogue.filters import BBoxField
from ..middleware import public_page
from .common import cached_document, no_control_characters, reference_document
from .map import DEFAULT_ZOOM, GEOJSON_TYPE, INDIA_BOX, MapViewForm

JSON_TYPE = "application/json"


def _compact(data):
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _errors(form):
    return JsonResponse(
        {
            field: [e["message"] for e in messages]
            for field, messages in form.errors.get_json_data().items()
        },
        status=400,
    )


@require_safe
@public_page
def state_outlines_layer(request):
    """Every state's outline, name (in the page's language) and label point."""
    return cached_document(
        request,
        name="basemap-states",
        vary=[],
        build=lambda: _compact(places.state_outlines(language=get_language())),
        content_type=GEOJSON_TYPE,
    )


@require_safe
@public_page
def place_labels_layer(request):
    """The place names a map draws for one view (``bbox``, ``zoom``)."""
    view = MapViewForm(request.GET)
    if not view.is_valid():
        return _errors(view)
    bbox = view.cleaned_data["bbox"] or BBoxField().clean(INDIA_BOX)
    zoom = view.cleaned_data["zoom"]
    zoom = DEFAULT_ZOOM if zoom is None else zoom
    labels = places.place_labels(bbox=bbox.extent, zoom=zoom, language=get_language())
    return reference_document(
        request, body=_compact({"zoom": zoom, "labels": labels}), content_type=JSON_TYPE
    )


class PlaceSearchForm(forms.Form):
    q = forms.CharField(
        max_length=places.MAX_QUERY_LENGTH,
        required=False,
        validators=[no_control_characters],
        error_messages={"max_length": _("A place name is at most %(limit_value)d characters.")},
    )


@require_safe
@public_page
def place_search(request):
    """Places and states whose name starts with ``q`` (English or Hindi), best first."""
    form = PlaceSearchForm(request.GET)
    if not form.is_valid():
        return _errors(form)
    results = places.place_search(form.cleaned_data["q"], language=get_language())
    return reference_document(request, body=_compact({"results": results}), content_type=JSON_TYPE)


CHUNK_BYTES = 64 * 1024


def _file_part(path, start, length):
    with open(path, "rb") as archive:
        archive.seek(start)
        while length > 0:
            chunk = archive.read(min(CHUNK_BYTES, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk


def _not_satisfiable(size, reason):
    response = HttpResponse(reason, status=416, content_type="text/plain; charset=utf-8")
    response["Content-Range"] = f"bytes */{size}"
    return response


@require_safe
@public_page
def pmtiles_file(request):
    """The operator's PMTiles archive, a range at a time.

    One range per request (what PMTiles readers send) is a 206; a malformed
    range, several ranges (overlapping or not) or one past the end is a 416,
    so a bad header never makes the site send a whole archive of gigabytes.
    Conditional requests (``If-None-Match``, ``If-Match``...) are Django's.
    """
    path = settings.MAP_PMTILES
    if not path:
        raise Http404("no MAP_PMTILES configured")
    try:
        stat = os.stat(path)
    except OSError as error:
        raise Http404("the MAP_PMTILES archive is gone") from error
    size = stat.st_size
    etag = f'"{size:x}-{stat.st_mtime_ns:x}"'
    conditional = get_conditional_response(request, etag=etag, last_modified=int(stat.st_mtime))
    if conditional is not None:
        return conditional
    header = request.headers.get("Range")
    if header is None:
        response = StreamingHttpResponse(_file_part(path, 0, size), status=200)
        length = size
    else:
        ranges = parse_range_header(header)
        if ranges is None:
            return _not_satisfiable(size, "Malformed or overlapping byte ranges.")
        if len(ranges.ranges) != 1:
            return _not_satisfiable(size, "One byte range per request.")
        found = ranges.range_for_length(size)
        if found is None:
            return _not_satisfiable(size, "The range lies outside the file.")
        start, stop = found
        length = stop - start
        response = StreamingHttpResponse(_file_part(path, start, length), status=206)
        response["Content-Range"] = f"bytes {start}-{stop - 1}/{size}"
    response["Content-Type"] = "application/vnd.pmtiles"
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stat.st_mtime)
    response["Cache-Control"] = "public, no-cache"
    return response
