"""The sitemap: every published entity page, every state page and the fixed pages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from ..catalogue.selectors import detail_url
from ..models import Agency, Deployment, Hotspot, RTIRequest, State


class PublishedSitemap(Sitemap):
    model = None
    changefreq = "weekly"

    def items(self):
        return self.model.objects.published().only("pk", "slug", "updated_at").order_by("pk")

    def location(self, item):
        return detail_url(item)

    def lastmod(self, item):
        return item.updated_at


class DeploymentSitemap(PublishedSitemap):
    model = Deployment
    priority = 0.8


class AgencySitemap(PublishedSitemap):
    model = Agency


class HotspotSitemap(PublishedSitemap):
    model = Hotspot


class RTIRequestSitemap(PublishedSitemap):
    model = RTIRequest


class StateSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return State.objects.order_by("code")

    def location(self, item):
        return reverse("tracker:state-detail", kwargs={"code": item.slug})


class PageSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return [
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

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": PageSitemap,
    "deployments": DeploymentSitemap,
    "agencies": AgencySitemap,
    "hotspots": HotspotSitemap,
    "rti": RTIRequestSitemap,
    "states": StateSitemap,
}
