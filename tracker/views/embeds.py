"""Embeds: the map and an entry's card, small pages for other sites' ``<iframe>``s, and oEmbed.

``/embed/map/`` takes the home map's filters (state, technology, status,
purpose, agency, year) and a first view (``bbox``); ``/embed/deployments/<id>/``
shows one entry's card. These two are the only pages other sites may frame
(``framed_by``: ``EMBED_ALLOWED_ORIGINS``, or any site); they set no cookie,
load nothing from elsewhere, open every link in a new tab (the site's other
pages refuse framing) and fit any width from 300 px.

``embed_for`` says what embeds a page of the site (a deployment's card, or the
map filtered to a state, an agency or around a hotspot): the "Share / embed"
control, the ``<link rel="alternate" type="application/json+oembed">`` of pages
and ``/oembed/`` all ask it, so they always offer the same thing.
"""

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django import forms
from django.conf import settings
from django.http import Http404, JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ..catalogue.filters import BBoxField, DeploymentFilter
from ..catalogue.geography import state_extents, state_name
from ..catalogue.links import detail_url
from ..catalogue.selectors import details
from ..catalogue.selectors.tombstones import tombstone
from ..middleware import framed_by, public_page
from ..models import Agency, Deployment, Hotspot, State

# The home map's filters, which the embedded map takes (and its first view).
MAP_FILTERS = ("state", "technology", "status", "purpose", "agency", "year")
MAP_HEIGHT, CARD_HEIGHT = 450, 560
# oEmbed's answer when the consumer gives no maximum.
OEMBED_WIDTH = 640
# Around a hotspot, the embedded map shows about a kilometre each way.
HOTSPOT_BOX_DEGREES = 0.01


def embed_ancestors():
    """Who may frame an embed: ``EMBED_ALLOWED_ORIGINS``, or any site."""
    return settings.EMBED_ALLOWED_ORIGINS or ["*"]


@dataclass(frozen=True)
class Embed:
    path: str  # the embed's URL on this site, with its query
    title: str
    height: int


def map_embed(query, title):
    """The embedded map for ``query`` (a dict of filters and bbox)."""
    path = reverse("tracker:embed-map")
    text = urlencode({k: v for k, v in query.items() if v not in (None, "")}, safe=",")
    return Embed(path + (f"?{text}" if text else ""), title, MAP_HEIGHT)


def embed_for(obj, query=None):
    """What embeds the page of ``obj``: a published deployment, agency, hotspot or a
    state, or ``"map"`` (the home map with ``query``'s filters); None when nothing does."""
    if obj == "map":
        query = query or {}
        return map_embed(
            {k: query.get(k) for k in (*MAP_FILTERS, "bbox")},
            _("Face-recognition and AI cameras in India"),
        )
    if isinstance(obj, State):
        name = state_name(obj.name, obj.name_hi)
        return map_embed(
            {"state": obj.code}, _("Face-recognition and AI cameras in %(place)s") % {"place": name}
        )
    if not getattr(obj, "is_published", False):
        return None
    if isinstance(obj, Deployment):
        return Embed(reverse("tracker:embed-deployment", args=[obj.pk]), obj.title, CARD_HEIGHT)
    if isinstance(obj, Agency):
        return map_embed(
            {"agency": obj.pk}, _("Deployments led by %(agency)s") % {"agency": obj.name}
        )
    if isinstance(obj, Hotspot):
        x, y, d = obj.location.x, obj.location.y, HOTSPOT_BOX_DEGREES
        box = ",".join(f"{v:.5f}" for v in (x - d, y - d, x + d, y + d))
        return map_embed({"bbox": box}, _("Cameras around %(place)s") % {"place": obj.name})
    return None


def iframe_html(request, embed, *, width=None, height=None):
    """The ``<iframe>`` code for ``embed``: full width of its column unless ``width``."""
    return format_html(
        '<iframe src="{}" title="{}" width="{}" height="{}" style="border:0;max-width:100%" '
        'loading="lazy"></iframe>',
        request.build_absolute_uri(embed.path),
        embed.title,
        width or "100%",
        height or embed.height,
    )


# ---------- the embedded pages ----------


class EmbedMapForm(forms.Form):
    bbox = BBoxField(required=False)


def _embed_error(request, problems):
    return render(request, "tracker/embed/error.html", {"problems": problems}, status=400)


@require_safe
@framed_by(embed_ancestors)
@public_page
def embed_map(request):
    """The live map with the home map's filters, its first view ``bbox`` (else the
    state's box, else India)."""
    unknown = sorted(set(request.GET) - {*MAP_FILTERS, "bbox"})
    if unknown:
        return _embed_error(
            request, [_("Unknown parameter: %(name)s") % {"name": name} for name in unknown]
        )
    view = EmbedMapForm(request.GET)
    filters = QueryDict(mutable=True)
    for key in MAP_FILTERS:
        if request.GET.get(key):
            filters[key] = request.GET[key]
    filterset = DeploymentFilter(filters, queryset=Deployment.objects.published(), request=request)
    if not view.is_valid() or not filterset.is_valid():
        errors = {**view.errors, **filterset.errors}
        return _embed_error(
            request, [f"{name}: {' '.join(messages)}" for name, messages in errors.items()]
        )
    bbox = view.cleaned_data["bbox"]
    extent = list(bbox.extent) if bbox else state_extents().get(filters.get("state"))
    query = filters.urlencode()
    context = {
        "query": query,
        "extent": extent,
        "full_url": reverse("tracker:home") + (f"?{query}" if query else ""),
        "embed": embed_for("map", request.GET),
    }
    return render(request, "tracker/embed/map.html", context)


@require_safe
@framed_by(embed_ancestors)
@public_page
def embed_deployment(request, pk):
    """One deployment's card: what, who, where, its verification level and sources."""
    try:
        deployment = details.deployment_detail(pk=pk)
    except Deployment.DoesNotExist:
        gone = tombstone(Deployment, pk)
        if gone is None:
            raise Http404(f"no published deployment {pk}") from None
        context = {"title": gone.title, "reason": gone.reason, "on": gone.withdrawn_at}
        return render(request, "tracker/embed/tombstone.html", context, status=410)
    context = {
        "object": deployment,
        "citations": list(deployment.citations.all()),
        "full_url": detail_url(deployment),
    }
    return render(request, "tracker/embed/deployment.html", context)


# ---------- oEmbed ----------


class OEmbedForm(forms.Form):
    url = forms.CharField(max_length=2000)
    format = forms.ChoiceField(choices=[("json", "json"), ("xml", "xml")], required=False)
    maxwidth = forms.IntegerField(min_value=1, max_value=10_000, required=False)
    maxheight = forms.IntegerField(min_value=1, max_value=10_000, required=False)


def _our_page(request, url):
    """(resolver match, language) for ``url`` when it is a page of this site, else None."""
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed IPv6 literal
        return None
    ours = {request.get_host().lower(), urlsplit(settings.SITE_URL).netloc.lower()}
    if parts.scheme not in ("http", "https") or parts.netloc.lower() not in ours:
        return None
    path = parts.path or "/"
    language = settings.LANGUAGE_CODE
    for code, _name in settings.LANGUAGES:
        if path == f"/{code}/" or path.startswith(f"/{code}/"):
            language = code
    with translation.override(language):
        try:
            return resolve(path), language, QueryDict(parts.query)
        except Resolver404:
            return None


def _embed_of_page(match, query):
    name, kwargs = match.view_name, match.kwargs
    if name in ("tracker:home", "tracker:embed-map"):
        return embed_for("map", query)
    if name in (
        "tracker:deployment-detail",
        "tracker:deployment-detail-id",
        "tracker:embed-deployment",
    ):
        return embed_for(Deployment.objects.published().filter(pk=kwargs["pk"]).first())
    if name in ("tracker:agency-detail", "tracker:agency-detail-id"):
        return embed_for(Agency.objects.published().filter(pk=kwargs["pk"]).first())
    if name in ("tracker:hotspot-detail", "tracker:hotspot-detail-id"):
        return embed_for(Hotspot.objects.published().filter(pk=kwargs["pk"]).first())
    if name == "tracker:state-detail":
        return embed_for(State.objects.filter(code__iexact=kwargs["code"]).first())
    return None


def _oembed_error(message, status):
    return JsonResponse({"error": message}, status=status)


@require_safe
@public_page
def oembed(request):
    """oEmbed 1.0 (JSON): the embed of one of our pages, for CMSs that embed by URL.
    Not ours, not a page with an embed, or not published: 404."""
    form = OEmbedForm(request.GET)
    if not form.is_valid():
        first = next(iter(form.errors.items()))
        return _oembed_error(f"{first[0]}: {' '.join(first[1])}", 400)
    if form.cleaned_data["format"] == "xml":
        return _oembed_error("format: only json is offered", 501)
    found = _our_page(request, form.cleaned_data["url"])
    if found is None:
        return _oembed_error("url: not a page of this site", 404)
    match, language, query = found
    with translation.override(language):
        embed = _embed_of_page(match, query)
    if embed is None:
        return _oembed_error("url: no published entry or map there", 404)
    width = min(form.cleaned_data["maxwidth"] or OEMBED_WIDTH, OEMBED_WIDTH)
    height = min(form.cleaned_data["maxheight"] or embed.height, embed.height)
    return JsonResponse(
        {
            "version": "1.0",
            "type": "rich",
            "title": embed.title,
            "provider_name": _("Panoptic Tracker"),
            "provider_url": request.build_absolute_uri("/"),
            "html": iframe_html(request, embed, width=width, height=height),
            "width": width,
            "height": height,
            "cache_age": 3600,
        },
        json_dumps_params={"ensure_ascii": False},
    )
