"""The site's detail pages: one published entry with everything its page shows
(published related entries only), in a constant number of queries."""

from django.db.models import Prefetch

from ...models import (
    Agency,
    Citation,
    Deployment,
    Hotspot,
    RTIDocument,
    RTIEvent,
    RTIRequest,
    Vendor,
)
from ..osm import hotspot_osm_camera_count
from .rows import without_shapes


def deployment_detail(*, pk):
    """A published deployment with everything its page shows (raises DoesNotExist)."""
    return (
        Deployment.objects.published()
        .select_related("lead_agency", "state")
        .prefetch_related(
            Prefetch("partner_agencies", queryset=Agency.objects.published()),
            Prefetch("vendors", queryset=Vendor.objects.order_by("name")),
            "linked_databases",
            Prefetch("citations", queryset=Citation.objects.select_related("source")),
            Prefetch("hotspots", queryset=Hotspot.objects.published()),
            Prefetch("rti_requests", queryset=RTIRequest.objects.published()),
        )
        .get(pk=pk)
    )


# An agency may lead thousands of deployments and watch tens of thousands of camera
# points: its page lists the first of each and links to the full, filtered list.
RELATED_ROWS = 100


def agency_detail(*, pk):
    def first(queryset):
        return queryset[:RELATED_ROWS]

    recent = without_shapes(Deployment.objects.published(), "state").order_by("-updated_at", "id")
    return (
        Agency.objects.published()
        .select_related("state", "parent")
        .prefetch_related(
            Prefetch("led_deployments", first(recent), to_attr="first_led_deployments"),
            Prefetch("partner_deployments", first(recent), to_attr="first_partner_deployments"),
            Prefetch(
                "children",
                first(without_shapes(Agency.objects.published())),
                to_attr="first_children",
            ),
            Prefetch(
                "hotspots",
                first(without_shapes(Hotspot.objects.published()).order_by("name", "id")),
                to_attr="first_hotspots",
            ),
            Prefetch(
                "rti_requests", first(RTIRequest.objects.published()), to_attr="first_rti_requests"
            ),
            Prefetch("citations", queryset=Citation.objects.select_related("source")),
        )
        .get(pk=pk)
    )


def hotspot_detail(*, pk):
    return (
        Hotspot.objects.published()
        .annotate(osm_camera_count=hotspot_osm_camera_count())
        .select_related("state", "agency")
        .prefetch_related(
            Prefetch(
                "deployments", queryset=Deployment.objects.published().select_related("state")
            ),
            Prefetch("citations", queryset=Citation.objects.select_related("source")),
        )
        .get(pk=pk)
    )


def rti_request_detail(*, pk):
    return (
        RTIRequest.objects.published()
        .select_related("authority", "campaign")
        .prefetch_related(
            Prefetch("events", queryset=RTIEvent.objects.order_by("date", "id")),
            Prefetch(
                "documents",
                queryset=RTIDocument.objects.filter(published_at__isnull=False).select_related(
                    "event"
                ),
            ),
            Prefetch("deployments", queryset=Deployment.objects.published()),
            Prefetch("agencies", queryset=Agency.objects.published()),
            Prefetch("citations", queryset=Citation.objects.select_related("source")),
        )
        .get(pk=pk)
    )
