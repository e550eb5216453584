"""Template helpers for the public site."""

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.encoding import escape_uri_path
from django.utils.html import json_script
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..catalogue import geography, links, osm
from ..catalogue.paging import PAGING_PARAMS, SEEK_PARAMS
from ..catalogue.visibility import public_or_none
from ..checking.archive import source_archived_copy
from ..forms import error_summary
from ..markup import markdown_html
from ..models import PurposeTag, SourceHealth
from ..rti.deadlines import DEADLINE_LABELS, DEADLINE_PARTIES

register = template.Library()

# The four badges readers see; redirected and blocked sources read as "changed" and "broken".
SOURCE_HEALTH = {
    SourceHealth.OK: ("ok", _("Link OK")),
    SourceHealth.CHANGED: ("changed", _("Page changed since cited")),
    SourceHealth.REDIRECTED: ("changed", _("Moved to another address")),
    SourceHealth.BROKEN: ("broken", _("Link broken")),
    SourceHealth.BLOCKED: ("broken", _("Link cannot be checked")),
    SourceHealth.UNCHECKED: ("unchecked", _("Not checked yet")),
}


# Sources whose entries offer this site's own archived copy.
ARCHIVE_OFFERED = frozenset(
    {SourceHealth.CHANGED, SourceHealth.REDIRECTED, SourceHealth.BROKEN, SourceHealth.BLOCKED}
)


@register.filter
def language_links(request):
    """The current page in every interface language: a URL-prefix switcher needs no cookie."""
    current = get_language()
    params = request.GET.copy()
    for seek_param in SEEK_PARAMS:  # a list's seek key is for its own path: leave it behind
        params.pop(seek_param, None)
    path = escape_uri_path(request.path) + (f"?{params.urlencode()}" if params else "")
    return [
        {
            "code": code,
            "name": name,
            "url": translate_url(path, code),
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]


@register.simple_tag
def record_lang():
    """` lang="en"` on pages in another language: records are written in English, and a
    screen reader should read their titles, names and summaries as English."""
    return mark_safe(' lang="en"') if get_language() != "en" else ""


@register.filter
def detail_url(obj):
    """The public page of a deployment, agency, hotspot or RTI request."""
    return links.detail_url(obj)


@register.filter
def if_published(obj):
    """The related entity when it is published, else None (unpublished ones never show)."""
    return public_or_none(obj)


@register.filter
def state_name(state):
    """A state's name in the interface language."""
    return "" if state is None else geography.state_name(state.name, state.name_hi)


@register.filter
def source_health_label(source):
    """Plain words for a source's health badge: ok, changed, broken or unchecked."""
    return SOURCE_HEALTH[source.health][1]


@register.filter
def own_archived_copy(source, request):
    """This site's latest archived copy of a changed or broken source, when the reader may
    see it (moderators always, the public with ARCHIVE_PUBLIC); else None."""
    if source.health not in ARCHIVE_OFFERED or request is None:
        return None
    from ..views.archive import archived_copy_visible

    if not archived_copy_visible(request, source):
        return None
    return source_archived_copy(source)


@register.filter
def source_health_class(source):
    return SOURCE_HEALTH[source.health][0]


@register.simple_tag(takes_context=True)
def with_param(context, name, value=None):
    """The current query string with ``name`` set to ``value`` (removed if None), page reset
    (with the page's seek key: it belongs to the list before the change)."""
    params = context["request"].GET.copy()
    for paging_param in PAGING_PARAMS:
        params.pop(paging_param, None)
    if value is None or value == "":
        params.pop(name, None)
    else:
        params[name] = str(value)
    return "?" + params.urlencode() if params else "?"


@register.filter
def markdown(text):
    """Summary Markdown as sanitised HTML (``tracker.markup``, shared with the feeds)."""
    return markdown_html(text)


@register.filter
def rupees(amount):
    """An amount in INR with Indian digit grouping (12,34,56,789)."""
    if amount is None:
        return ""
    digits = str(int(amount))
    if len(digits) <= 3:
        return "₹" + digits
    head, tail = digits[:-3], digits[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return "₹" + ",".join(groups) + "," + tail


@register.filter
def precise_date(value, precision):
    """A date shown only as precisely as it is known (day, month or year)."""
    from django.utils.formats import date_format

    if not value:
        return ""
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return date_format(value, "F Y")
    return date_format(value, "j F Y")


@register.simple_tag
def basemap():
    """What draws the maps' background: the operator's PMTiles archive or tile server, or
    (both empty) the site's own states and place names (static/js/map.js)."""
    return {
        "pmtiles_url": reverse("map-pmtiles") if settings.MAP_PMTILES else "",
        "tiles_url": "" if settings.MAP_PMTILES else settings.MAP_TILES_URL,
        "attribution": settings.MAP_TILES_ATTRIBUTION,
    }


# The maps' words, for static/js/map.js and place_search.js (a JSON script on each map page).
MAP_STRINGS = {
    "deployments": _("Deployments"),
    "hotspots": _("Hotspots"),
    "agency": _("Agency"),
    "cameras": _("Cameras"),
    "cluster_deployments_one": _("%(count)s deployment, zoom in"),
    "cluster_deployments_other": _("%(count)s deployments, zoom in"),
    "cluster_hotspots_one": _("%(count)s hotspot, zoom in"),
    "cluster_hotspots_other": _("%(count)s hotspots, zoom in"),
    "stack_deployments_one": _("%(count)s deployment at this spot"),
    "stack_deployments_other": _("%(count)s deployments at this spot"),
    "stack_hotspots_one": _("%(count)s hotspot at this spot"),
    "stack_hotspots_other": _("%(count)s hotspots at this spot"),
    "hotspot_named": _("Hotspot: %(name)s"),
    "close_popup": _("Close this box"),
    "zoom_in": _("Zoom in"),
    "zoom_out": _("Zoom out"),
    "attribution_places": _("Place names: GeoNames (CC BY 4.0)"),
    "places_found_one": _("%(count)s place found"),
    "places_found_other": _("%(count)s places found"),
    "places_none": _("No place found"),
    "place_shown": _("The map shows %(name)s"),
    "state_or_territory": _("state or union territory"),
    "osm_cameras": _("OpenStreetMap cameras"),
    "osm_camera": _("Camera mapped in OpenStreetMap"),
    "osm_see": _("See it on OpenStreetMap"),
    "osm_camera_type": _("Camera type"),
    "osm_zone": _("Watching"),
    "osm_operator": _("Operator (as mapped)"),
    "cluster_osm_one": _("%(count)s OpenStreetMap camera, zoom in"),
    "cluster_osm_other": _("%(count)s OpenStreetMap cameras, zoom in"),
    "stack_osm_one": _("%(count)s OpenStreetMap camera at this spot"),
    "stack_osm_other": _("%(count)s OpenStreetMap cameras at this spot"),
}


@register.simple_tag
def osm_layer():
    """The OpenStreetMap camera layer's summary (``catalogue.osm``), or None before any
    import: maps show the layer, and pages its count, only once there is one."""
    return osm.osm_layer_summary()


@register.simple_tag
def map_strings():
    """The maps' words in the page's language, as the JSON script #map-strings."""
    return json_script({key: str(text) for key, text in MAP_STRINGS.items()}, "map-strings")


@register.simple_tag
def form_error_summary(form):
    """The error summary's items for the page's ``form`` (none when it has no errors)."""
    return error_summary(form)


@register.simple_tag
def contact_email():
    """The address the pages give for "contact us" (``CONTACT_EMAIL``)."""
    return settings.CONTACT_EMAIL


@register.filter
def purpose_tag_labels(tags):
    """Purpose tag codes as their labels."""
    labels = dict(PurposeTag.choices)
    return [str(labels.get(tag, tag)) for tag in tags or []]


@register.simple_tag
def bar_chart(rows, title, chart_id):
    """A horizontal bar chart as inline SVG, drawn on the server: no script, no external service.

    The same numbers are shown in a table next to it, for screen readers and copying.
    """
    from django.utils.html import format_html, format_html_join

    # Each label sits above its bar, so the chart stays narrow enough to read on a phone.
    width, row_height, bar_height, count_room = 400, 42, 14, 48
    top = max((row["count"] for row in rows), default=0) or 1
    height = max(len(rows), 1) * row_height

    def bar_length(count):
        return max(1, round((width - count_room) * count / top))

    bars = format_html_join(
        "",
        '<g transform="translate(0,{})"><text x="0" y="13">{}</text>'
        '<rect class="bar" x="0" y="19" width="{}" height="{}"></rect>'
        '<text x="{}" y="31">{}</text></g>',
        (
            (
                i * row_height,
                _truncate(str(row["label"]), 56),
                bar_length(row["count"]),
                bar_height,
                bar_length(row["count"]) + 6,
                row["count"],
            )
            for i, row in enumerate(rows)
        ),
    )
    return format_html(
        '<svg class="chart" role="img" aria-labelledby="{}-title" viewBox="0 0 {} {}" '
        'width="{}" height="{}" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title>{}</svg>',
        chart_id,
        width,
        height,
        width,
        height,
        chart_id,
        title,
        bars,
    )


def _truncate(text, length):
    return text if len(text) <= length else text[: length - 1] + "…"


@register.filter
def deadline_label(key):
    """The line for a deadline key, naming whose deadline it is."""
    return DEADLINE_LABELS.get(key, "")


@register.filter
def deadline_party(key):
    """Who owes the deadline ``key`` (a short column heading's value)."""
    return DEADLINE_PARTIES.get(key, "")
