"""Where each published entry's page is: one rule, for Python and for SQL.

``detail_url`` gives the page of one object (pages, feeds, e-mails, moderators'
links); ``detail_url_sql`` builds the same address inside a query, for answers
PostgreSQL assembles (the map's GeoJSON).
"""

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse

from ..models import Agency, Deployment, Hotspot, RTIRequest


def detail_url(obj):
    """The public page of a deployment, agency, hotspot or RTI request."""
    name = {
        Deployment: "tracker:deployment-detail",
        Agency: "tracker:agency-detail",
        Hotspot: "tracker:hotspot-detail",
        RTIRequest: "tracker:rti-detail",
    }[type(obj)]
    return reverse(name, kwargs={"pk": obj.pk, "slug": obj.slug or "entry"})


def detail_url_sql(list_url_name):
    """SQL for the detail page URL (``<list>/<id>-<slug>/``) in the current language."""
    return Concat(
        Value(reverse(list_url_name)),
        Cast("id", CharField()),
        Value("-"),
        "slug",
        Value("/"),
        output_field=CharField(),
    )
