"""Read-only JSON shapes of the public entities, with nested summaries.

Related entities appear as small summaries (id, slug, name) and only when
published. Related sets are read from ``prefetched_<name>`` attributes, which the
querysets of ``api.views`` fill (Prefetch with ``to_attr``: much cheaper per row
than a related manager). Every field carries a description: the export column dictionary
(``tracker.export``) documents the fields the flat exports share, the
``descriptions`` below document the rest, and the OpenAPI schema shows them.
"""

import json

from django.contrib.gis.db import models as gis_models
from django.contrib.gis.geos import Point
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField

from tracker.exports.datasets import column_descriptions
from tracker.models import (
    Agency,
    Citation,
    Deployment,
    Hotspot,
    LinkedDatabase,
    Publication,
    RTIEvent,
    RTIRequest,
    Source,
    SourceHealth,
    State,
    Vendor,
)
from tracker.rti import deadlines as rti

COMMON_DESCRIPTIONS = {
    "id": "Stable id; never reused.",
    "slug": "Readable identifier used in page addresses.",
    "name": "Name.",
    "title": "Title.",
    "state": "State or union territory; null for national scope.",
    "location": "Location as a GeoJSON Point (longitude, latitude; WGS 84); null if unknown.",
    "area": "Area covered, as a GeoJSON MultiPolygon; null if not mapped.",
    "citations": "Sources supporting the entry, with the claim each supports and its health.",
    "created_at": "When the entry was created.",
    "updated_at": "When the entry last changed; use with updated_since to sync.",
}


class GeoJSONGeometryField(GeometryField):
    """GeoJSON geometry; points are written directly, skipping a round trip through GDAL
    that took a third of a list page's serializing time."""

    def to_representation(self, value):
        if isinstance(value, Point):
            return {"type": "Point", "coordinates": [value.x, value.y]}
        if value is None or isinstance(value, dict):
            return value
        return json.loads(value.json)


class DescribedSerializer(serializers.ModelSerializer):
    """Fills each field's description from the export dictionary and ``Meta.descriptions``."""

    export_name = None
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        gis_models.PointField: GeoJSONGeometryField,
        gis_models.MultiPolygonField: GeoJSONGeometryField,
    }

    def get_fields(self):
        fields = super().get_fields()
        docs = {**COMMON_DESCRIPTIONS}
        if self.export_name:
            docs.update(column_descriptions(self.export_name))
        docs.update(getattr(self.Meta, "descriptions", {}))
        for name, field in fields.items():
            if not field.help_text and name in docs:
                field.help_text = docs[name]
        return fields


class StateSerializer(DescribedSerializer):
    class Meta:
        model = State
        fields = ["code", "name"]
        descriptions = {"code": "ISO 3166-2 code, e.g. IN-UP.", "name": "Name in English."}


class PublishedOnly:
    """Shows a related entity only if it is published; otherwise null."""

    def get_attribute(self, instance):
        related = super().get_attribute(instance)
        if related is not None and related.publication != Publication.PUBLISHED:
            return None
        return related


class AgencySummarySerializer(DescribedSerializer):
    class Meta:
        model = Agency
        fields = ["id", "slug", "name"]


class PublishedAgencySerializer(PublishedOnly, AgencySummarySerializer):
    pass


class DeploymentSummarySerializer(DescribedSerializer):
    class Meta:
        model = Deployment
        fields = ["id", "slug", "title"]


class SourceSummarySerializer(DescribedSerializer):
    export_name = "sources"
    health = serializers.ChoiceField(choices=SourceHealth.choices)

    class Meta:
        model = Source
        fields = ["id", "url", "title", "publisher", "health", "last_checked_at", "http_status"]


class CitationSerializer(DescribedSerializer):
    source = SourceSummarySerializer(help_text="The cited source and its health.")

    class Meta:
        model = Citation
        fields = ["source", "claim", "quote"]
        descriptions = {
            "claim": "The claim the source supports.",
            "quote": "A quotation from the source.",
        }


class VendorSerializer(DescribedSerializer):
    class Meta:
        model = Vendor
        fields = ["id", "name", "country", "website"]
        descriptions = {
            "id": "Vendor id (usable as vendor=).",
            "name": "Vendor's name.",
            "country": "Country.",
            "website": "Website.",
        }


class LinkedDatabaseSerializer(DescribedSerializer):
    class Meta:
        model = LinkedDatabase
        fields = ["name", "is_public", "storage"]
        descriptions = {
            "name": "Name of the database, e.g. CCTNS.",
            "is_public": "Whether it is a public database; null if unknown.",
            "storage": "permanent, temporary or unknown storage.",
        }


class DeploymentSerializer(DescribedSerializer):
    export_name = "deployments"
    lead_agency = PublishedAgencySerializer(
        allow_null=True, help_text="The lead agency; null if it is not published."
    )
    partner_agencies = AgencySummarySerializer(
        many=True, source="prefetched_partner_agencies", help_text="Published partner agencies."
    )
    state = StateSerializer(allow_null=True)
    vendors = VendorSerializer(
        many=True, source="prefetched_vendors", help_text="Vendors supplying the system."
    )
    linked_databases = LinkedDatabaseSerializer(
        many=True,
        source="prefetched_linked_databases",
        help_text="Databases it matches against or feeds.",
    )
    citations = CitationSerializer(many=True, source="prefetched_citations")
    purpose_tags = serializers.ListField(
        child=serializers.CharField(), help_text="Purpose tag codes."
    )

    class Meta:
        model = Deployment
        fields = [
            "id",
            "slug",
            "title",
            "lead_agency",
            "partner_agencies",
            "technology",
            "purpose_class",
            "purpose_tags",
            "status",
            "announced_on",
            "announced_precision",
            "tender_published_on",
            "tender_published_precision",
            "in_use_since",
            "in_use_since_precision",
            "last_reported_use",
            "last_reported_use_precision",
            "state",
            "district",
            "city",
            "location",
            "area",
            "location_precision",
            "camera_count",
            "cost_inr",
            "cost_covers",
            "funding_source",
            "vendors",
            "linked_databases",
            "legal_basis",
            "legal_basis_url",
            "court_cases",
            "data_retention",
            "accuracy_claims",
            "summary",
            "confidence",
            "last_verified_on",
            "citations",
            "created_at",
            "updated_at",
        ]
        descriptions = {
            "tender_published_precision": "Precision of tender_published_on: day, month, year.",
            "in_use_since_precision": "Precision of in_use_since: day, month or year.",
            "last_reported_use_precision": "Precision of last_reported_use: day, month or year.",
        }


class AgencySerializer(DescribedSerializer):
    export_name = "agencies"
    state = StateSerializer(allow_null=True)
    parent = PublishedAgencySerializer(
        allow_null=True, help_text="The parent agency; null if none or not published."
    )
    aliases = serializers.ListField(child=serializers.CharField(), help_text="Other names.")
    deployment_count = serializers.IntegerField(
        help_text="Number of published deployments it leads."
    )
    citations = CitationSerializer(many=True, source="prefetched_citations")

    class Meta:
        model = Agency
        fields = [
            "id",
            "slug",
            "name",
            "short_name",
            "aliases",
            "kind",
            "level",
            "state",
            "city",
            "parent",
            "website",
            "location",
            "pio_address",
            "rti_portal_url",
            "appellate_authority",
            "description",
            "deployment_count",
            "citations",
            "created_at",
            "updated_at",
        ]


class HotspotSerializer(DescribedSerializer):
    export_name = "hotspots"
    state = StateSerializer(allow_null=True)
    agency = PublishedAgencySerializer(
        allow_null=True, help_text="The responsible agency; null if none or not published."
    )
    deployments = DeploymentSummarySerializer(
        many=True, source="prefetched_deployments", help_text="Published deployments covering it."
    )
    citations = CitationSerializer(many=True, source="prefetched_citations")

    class Meta:
        model = Hotspot
        fields = [
            "id",
            "slug",
            "name",
            "kind",
            "city",
            "state",
            "location",
            "area",
            "camera_count",
            "agency",
            "deployments",
            "identified_on",
            "notes",
            "citations",
            "created_at",
            "updated_at",
        ]


class RTIEventSerializer(DescribedSerializer):
    class Meta:
        model = RTIEvent
        fields = ["kind", "date", "note"]
        descriptions = {
            "kind": "What happened: transferred, fee_requested, reply_received, ...",
            "date": "When it happened.",
            "note": "Note.",
        }


class RTIRequestSerializer(DescribedSerializer):
    export_name = "rti-requests"
    authority = PublishedAgencySerializer(
        allow_null=True, help_text="The public authority; null if it is not published."
    )
    agencies = AgencySummarySerializer(
        many=True, source="prefetched_agencies", help_text="Related published agencies."
    )
    deployments = DeploymentSummarySerializer(
        many=True, source="prefetched_deployments", help_text="Related published deployments."
    )
    events = RTIEventSerializer(
        many=True, source="prefetched_events", help_text="What happened, in date order."
    )
    decision_due = serializers.SerializerMethodField(
        help_text="When the PIO's decision is due under s.7 (null while receipt is unknown)."
    )
    citations = CitationSerializer(many=True, source="prefetched_citations")

    class Meta:
        model = RTIRequest
        fields = [
            "id",
            "slug",
            "title",
            "reference_number",
            "authority",
            "filed_by",
            "filed_on",
            "received_on",
            "route",
            "life_or_liberty",
            "third_party",
            "status",
            "outcome",
            "exemption_sections",
            "decision_due",
            "events",
            "deployments",
            "agencies",
            "application_text",
            "citations",
            "created_at",
            "updated_at",
        ]

    def get_decision_due(self, request) -> str | None:
        due = rti.request_decision_due(request)
        return due.isoformat() if due else None


class SourceSerializer(DescribedSerializer):
    export_name = "sources"
    health = serializers.ChoiceField(choices=SourceHealth.choices)

    class Meta:
        model = Source
        fields = [
            "id",
            "url",
            "title",
            "publisher",
            "kind",
            "language",
            "published_on",
            "archive_url",
            "health",
            "last_checked_at",
            "http_status",
            "final_url",
            "last_changed_at",
            "created_at",
            "updated_at",
        ]
