"""The "Share / embed" control and the oEmbed discovery link, from ``views.embeds.embed_for``."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html

from ..models import State
from ..views.embeds import embed_for, iframe_html

register = template.Library()


@register.inclusion_tag("tracker/includes/share.html", takes_context=True)
def share_control(context, obj):
    """The page's link and the ``<iframe>`` code of its embed (``obj``: an entry, a state,
    or ``"map"`` for the home map). On a live map the code follows the view: the
    filters and the box shown (static/js/share.js)."""
    request = context["request"]
    embed = embed_for(obj, request.GET if obj == "map" else None)
    if embed is None:
        return {"embed": None}
    return {
        "embed": embed,
        "page_url": request.build_absolute_uri(),
        "iframe": iframe_html(request, embed),
        "follows_view": obj == "map" or isinstance(obj, State),
        "embed_map_url": request.build_absolute_uri(reverse("tracker:embed-map")),
    }


@register.simple_tag(takes_context=True)
def oembed_link(context, obj):
    """``<link rel="alternate" type="application/json+oembed">`` for this page, so a CMS
    given its address finds the embed (none when the page has no embed)."""
    request = context["request"]
    embed = embed_for(obj)
    if embed is None:
        return ""
    page = request.build_absolute_uri(request.path)
    href = (
        request.build_absolute_uri(reverse("tracker:oembed"))
        + "?"
        + urlencode({"url": page, "format": "json"})
    )
    return format_html(
        '<link rel="alternate" type="application/json+oembed" href="{}" title="{}">',
        href,
        embed.title,
    )
