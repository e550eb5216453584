"""Sitemaps by the protocol: an index at /sitemap.xml pointing at files of at most
``SITEMAP_URL_LIMIT`` URLs each, with ``lastmod`` from ``updated_at``.

Entity files cover fixed ranges of ids (file *n* of deployments lists the
published ones with ``n * limit <= id < (n + 1) * limit``), so every file is
one index range scan however deep it is, never an OFFSET over a million rows;
a range with drafts in it simply lists fewer URLs. The XML is written
by PostgreSQL (a template per URL took seconds at 50,000 URLs) and each file
is cached, gzipped, until the data changes. Slugs are ``[-a-z0-9_]`` and ids
numbers, so only the site prefix needs XML escaping.
"""

from xml.sax.saxutils import escape

from django.db import connection
from django.db.models import F, Max, Min
from django.http import Http404
from django.urls import reverse
from django.views.decorators.http import require_safe

from ..middleware import public_page
from ..models import Agency, Deployment, Hotspot, RTIRequest, State
from .common import cached_document

SITEMAP_URL_LIMIT = 50_000  # the protocol's maximum per file
XML_TYPE = "application/xml"

ENTITY_SECTIONS = {
    "deployments": (Deployment, "tracker:deployment-list"),
    "agencies": (Agency, "tracker:agency-list"),
    "hotspots": (Hotspot, "tracker:hotspot-list"),
    "rti": (RTIRequest, "tracker:rti-list"),
}
FIXED_PAGES = [
    "tracker:home",
    "tracker:deployment-list",
    "tracker:agency-list",
    "tracker:hotspot-list",
    "tracker:rti-list",
    "tracker:state-list",
    "tracker:stats",
    "tracker:changes",
    "tracker:data",
    "tracker:about",
]


def _file_numbers(model):
    """The id ranges holding published rows of ``model``: two quick index lookups."""
    bounds = model.objects.published().aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return range(0)
    return range(bounds["low"] // SITEMAP_URL_LIMIT, bounds["high"] // SITEMAP_URL_LIMIT + 1)


def _urlset(entries):
    """``<urlset>`` from (absolute URL, lastmod datetime or None) pairs."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    lines.append('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
    for loc, lastmod in entries:
        if lastmod is None:
            lines.append(f"<url><loc>{escape(loc)}</loc></url>")
        else:
            stamp = lastmod.strftime("%Y-%m-%dT%H:%M:%SZ")
            lines.append(f"<url><loc>{escape(loc)}</loc><lastmod>{stamp}</lastmod></url>")
    lines.append("</urlset>")
    return "\n".join(lines)


def _urlset_in_database(rows, prefix):
    """The ``<urlset>`` of ``rows`` written by PostgreSQL in one value: 50,000 URLs
    cost a string_agg, not 50,000 Python objects."""
    columns = {"_id": F("pk"), "_slug": F("slug"), "_updated": F("updated_at")}
    inner, params = rows.order_by().values(**columns).query.sql_with_params()
    sql = (
        "SELECT coalesce(string_agg(format('<url><loc>%%s%%s-%%s/</loc>"
        "<lastmod>%%s</lastmod></url>', %s::text, r._id, "
        "coalesce(nullif(r._slug, ''), 'entry'), "
        "to_char(r._updated AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')), "
        "E'\\n' ORDER BY r._id), '') "
        f"FROM ({inner}) AS r"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (escape(prefix), *params))
        body = cursor.fetchone()[0]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + (body + "\n" if body else "")
        + "</urlset>"
    )


def _site(request):
    return f"{request.scheme}://{request.get_host()}"


@require_safe
@public_page
def sitemap_index(request):
    site = _site(request)

    def build():
        names = ["pages-0", "states-0"] + [
            f"{section}-{number}"
            for section, (model, _list) in ENTITY_SECTIONS.items()
            for number in _file_numbers(model)
        ]
        lines = ['<?xml version="1.0" encoding="UTF-8"?>']
        lines.append('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
        for name in names:
            loc = site + reverse("tracker:sitemap-file", kwargs={"name": name})
            lines.append(f"<sitemap><loc>{escape(loc)}</loc></sitemap>")
        lines.append("</sitemapindex>")
        return "\n".join(lines)

    return cached_document(
        request, name="sitemap-index", vary=[site], build=build, content_type=XML_TYPE
    )


@require_safe
@public_page
def sitemap_file(request, name):
    section, _dash, number = name.rpartition("-")
    if not number.isdigit() or len(number) > 9:
        raise Http404("no such sitemap file")
    number = int(number)
    site = _site(request)
    if section == "pages" and number == 0:

        def build():
            return _urlset((site + reverse(page), None) for page in FIXED_PAGES)

    elif section == "states" and number == 0:

        def build():
            codes = State.objects.order_by("code").values_list("code", flat=True)
            return _urlset(
                (site + reverse("tracker:state-detail", kwargs={"code": code.lower()}), None)
                for code in codes
            )

    elif section in ENTITY_SECTIONS:
        model, list_name = ENTITY_SECTIONS[section]
        prefix = site + reverse(list_name)

        def build():
            rows = model.objects.published().filter(
                pk__gte=number * SITEMAP_URL_LIMIT, pk__lt=(number + 1) * SITEMAP_URL_LIMIT
            )
            return _urlset_in_database(rows, prefix)

    else:
        raise Http404("no such sitemap file")
    return cached_document(
        request, name=f"sitemap-{name}", vary=[site], build=build, content_type=XML_TYPE
    )
