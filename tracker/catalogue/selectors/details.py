"""The site's detail pages: one published entry with everything its page shows
(published related entries only), in a constant number of queries."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from ...models import (
    Agency,
    Citation,
    Claim,
    Deployment,
    Evidence,
    Hotspot,
    RTIDocument,
    RTIEvent,
    RTIRequest,
    Vendor,
    VerificationLevel,
)
from ...models.evidence import claim_levels
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
            Prefetch(
                "citations",
                queryset=Citation.objects.select_related("source").prefetch_related(
                    Prefetch("evidence", queryset=Evidence.objects.order_by("claim", "id"))
                ),
            ),
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


@dataclass
class Note:
    """A numbered note on a claim: the source it cites (its number in the page's list of
    sources) and what that source says for it."""

    number: int
    citation: Citation
    evidence: Evidence

    @property
    def source(self):
        return self.citation.source


@dataclass
class ClaimEvidence:
    """One claim of an entry: its level and its notes (none: "no source given")."""

    claim: str
    level: str = VerificationLevel.UNVERIFIED
    notes: list = field(default_factory=list)

    @property
    def label(self):
        return Claim(self.claim).label

    @property
    def level_label(self):
        return VerificationLevel(self.level).label


def deployment_claims(deployment, citations) -> dict:
    """{claim code: ClaimEvidence} for every claim of a deployment, its notes numbered as
    the page lists ``citations`` (one query, for the levels)."""
    claims = {code: ClaimEvidence(code) for code in Claim.values}
    for number, citation in enumerate(citations, start=1):
        for evidence in citation.evidence.all():
            claims[evidence.claim].notes.append(Note(number, citation, evidence))
    for (_pk, code), level in claim_levels([deployment.pk]).items():
        claims[code].level = level
    return claims
