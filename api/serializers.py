"""Read-only JSON shapes of the public entities, with nested summaries.

Related entities appear as small summaries (id, slug, name) and only when
published (``tracker.catalogue.visibility``). Related sets are read from
``prefetched_<name>`` attributes, which the catalogue's ``*_records`` selectors
fill (Prefetch with ``to_attr``: much cheaper per row than a related manager).
Every field carries a description: the export column dictionary
(``tracker.exports.datasets``) documents the fields the flat exports share, the
``descriptions`` below document the rest, and the OpenAPI schema shows them.
"""

import json
from operator import attrgetter

from django.contrib.gis.db import models as gis_models
from django.contrib.gis.geos import Point
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import get_language
from rest_framework import serializers
from rest_framework.fields import Field, SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework_gis.fields import GeometryField

from tracker.catalogue.visibility import public_or_none
from tracker.exports.datasets import coded, column_descriptions
from tracker.models import (
    Agency,
    Citation,
    Claim,
    DatePrecision,
    Deployment,
    Evidence,
    Hotspot,
    LinkedDatabase,
    RTIEvent,
    RTIEventKind,
    RTIRequest,
    RTIStatus,
    Source,
    SourceHealth,
    State,
    Vendor,
    VerificationLevel,
)
from tracker.models.evidence import claim_levels
from tracker.rti.deadlines import schedule_as_dict
from tracker.rti.lifecycle import rti_request_schedule

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


# ModelSerializer works out each model field's serializer field (class and arguments)
# from the model on every instance, and a list page makes a dozen instances: a sixth
# of its time. The answer depends only on the class, the field and the language
# (labels), so it is worked out once per process.
_BUILT_FIELDS = {}


# (The docstring below is every schema component's description: keep it as it is.
# Rows are written by a leaner loop than DRF's, ``to_representation``, that gives
# the same answer: a page of 50 deployments is some 3,000 field values.)
class DescribedSerializer(serializers.ModelSerializer):
    """Fills each field's description from the export dictionary and ``Meta.descriptions``."""

    export_name = None
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        gis_models.PointField: GeoJSONGeometryField,
        gis_models.MultiPolygonField: GeoJSONGeometryField,
    }

    @classmethod
    def field_descriptions(cls):
        docs = {**COMMON_DESCRIPTIONS}
        if cls.export_name:
            docs.update(column_descriptions(cls.export_name))
        docs.update(getattr(cls.Meta, "descriptions", {}))
        return docs

    def get_fields(self):
        fields = super().get_fields()
        docs = self.field_descriptions()
        for name, field in fields.items():
            if not field.help_text and name in docs:
                field.help_text = docs[name]
        return fields

    def build_field(self, field_name, info, model_class, nested_depth):
        key = (type(self), field_name, get_language())
        built = _BUILT_FIELDS.get(key)
        if built is None:
            built = super().build_field(field_name, info, model_class, nested_depth)
            _BUILT_FIELDS[key] = built
        field_class, field_kwargs = built
        return field_class, dict(field_kwargs)  # the caller changes its copy

    @cached_property
    def _row_plan(self):
        """Per readable field: its name, a plain attribute reader when DRF's
        ``get_attribute`` would only read one attribute (else None), and the field."""
        plan = []
        for field in self._readable_fields:
            own_reader = type(field).get_attribute is not Field.get_attribute
            plain = not own_reader and len(field.source_attrs) == 1
            plan.append((field.field_name, attrgetter(field.source) if plain else None, field))
        return plan

    def to_representation(self, instance):
        """DRF's ``Serializer.to_representation`` without its per-value overhead.

        A plain attribute is read directly; anything DRF would treat specially
        (a read that fails, a callable, a custom ``get_attribute``) goes through
        the field's own ``get_attribute``, so the output is the same.
        """
        row = {}
        for name, read, field in self._row_plan:
            try:
                if read is None:
                    value = field.get_attribute(instance)
                else:
                    try:
                        value = read(instance)
                    except Exception:  # DRF's own reading decides (None, skip or raise)
                        value = field.get_attribute(instance)
                    else:
                        if callable(value):
                            value = field.get_attribute(instance)
            except SkipField:
                continue
            if value is None or (isinstance(value, PKOnlyObject) and value.pk is None):
                row[name] = None
            else:
                row[name] = field.to_representation(value)
        return row


class StateSerializer(DescribedSerializer):
    class Meta:
        model = State
        fields = ["code", "name"]
        descriptions = {"code": "ISO 3166-2 code, e.g. IN-UP.", "name": "Name in English."}


class PublishedOnly:
    """Shows a related entity only if it is published; otherwise null."""

    def get_attribute(self, instance):
        return public_or_none(super().get_attribute(instance))


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


class EvidenceSerializer(DescribedSerializer):
    claim = serializers.ChoiceField(choices=Claim.choices)

    class Meta:
        model = Evidence
        fields = ["claim", "quote", "page"]
        descriptions = {
            "claim": coded("The claim of the deployment this source supports", Claim),
            "quote": "The words of the source that support it.",
            "page": "The page of the source where it says so.",
        }


class DeploymentCitationSerializer(CitationSerializer):
    evidence = EvidenceSerializer(
        many=True,
        source="prefetched_evidence",
        help_text="The claims of the deployment this source supports.",
    )

    class Meta(CitationSerializer.Meta):
        fields = [*CitationSerializer.Meta.fields, "evidence"]


class ClaimLevelsField(serializers.DictField):
    """Each claim's verification level, from the sources cited for it. The viewset reads
    the levels of a whole page at once (``claim_levels`` in the context)."""

    def __init__(self, **kwargs):
        child = serializers.ChoiceField(choices=VerificationLevel.choices)
        super().__init__(child=child, source="*", **kwargs)

    def get_attribute(self, instance):
        levels = self.context.get("claim_levels")
        if levels is None:
            levels = claim_levels([instance.pk])
        unverified = VerificationLevel.UNVERIFIED
        return {code: levels.get((instance.pk, code), unverified) for code in Claim.values}


class VendorSerializer(DescribedSerializer):
    class Meta:
        model = Vendor
        fields = ["id", "name", "country", "website", "wikidata_id"]
        descriptions = {
            "id": "Vendor id (usable as vendor=).",
            "name": "Vendor's name.",
            "country": "Country.",
            "website": "Website.",
            "wikidata_id": "Wikidata item id (Q followed by a number); empty if none.",
        }


class LinkedDatabaseSerializer(DescribedSerializer):
    class Meta:
        model = LinkedDatabase
        fields = ["name", "is_public", "storage"]
        descriptions = {
            "name": "Name of the database, e.g. CCTNS.",
            "is_public": "Whether it is a public database; null if unknown.",
            "storage": coded("How it keeps data", LinkedDatabase.Storage),
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
    citations = DeploymentCitationSerializer(many=True, source="prefetched_citations")
    purpose_tags = serializers.ListField(
        child=serializers.CharField(), help_text="Purpose tag codes."
    )
    claims = ClaimLevelsField(
        help_text="Each claim's verification level (" + ", ".join(Claim.values) + "), from the "
        "sources cited for it: " + ", ".join(VerificationLevel.values) + "."
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
            "claims",
            "last_verified_on",
            "citations",
            "is_demo",
            "created_at",
            "updated_at",
        ]
        descriptions = {
            f"{field}_precision": coded(f"Precision of {date}", DatePrecision)
            for field, date in (
                ("tender_published", "tender_published_on"),
                ("in_use_since", "in_use_since"),
                ("last_reported_use", "last_reported_use"),
            )
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
            "wikidata_id",
            "location",
            "pio_address",
            "rti_portal_url",
            "appellate_authority",
            "description",
            "deployment_count",
            "citations",
            "is_demo",
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
            "is_demo",
            "created_at",
            "updated_at",
        ]


class RTIEventSerializer(DescribedSerializer):
    class Meta:
        model = RTIEvent
        fields = ["kind", "date", "note", "outcome", "exemption_sections", "amount"]
        descriptions = {
            "kind": coded("What happened", RTIEventKind),
            "date": "When it happened.",
            "note": "Note.",
            "outcome": "For a reply: what the PIO decided (outcome code), else empty.",
            "exemption_sections": "For a refusal: the exemption sections cited.",
            "amount": "For a fee asked for or paid: the amount in rupees, else null.",
        }


class RTIDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Stable id of the document.")
    name = serializers.CharField(
        source="public_name",
        help_text="File name (for a redacted copy a neutral one: rti-<request>-document-<id>).",
    )
    content_type = serializers.CharField(source="public_content_type", help_text="MIME type.")
    redacted = serializers.SerializerMethodField(
        help_text="True when this is a copy with the applicant's details removed."
    )
    event = serializers.SerializerMethodField(help_text="The event it came with (kind), or null.")
    url = serializers.SerializerMethodField(help_text="Where to download it.")

    def get_redacted(self, document) -> bool:
        return bool(document.redacted_file)

    def get_event(self, document) -> str | None:
        return document.event.kind if document.event_id else None

    def get_url(self, document) -> str:
        path = reverse("tracker:rti-document", args=[document.rti_request_id, document.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


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
    documents = RTIDocumentSerializer(
        many=True,
        source="prefetched_documents",
        help_text="Documents a moderator published (a redacted copy where one was made).",
    )
    status = serializers.ChoiceField(choices=RTIStatus.choices, read_only=True)
    decision_due = serializers.DateField(
        source="decision_due_on",
        allow_null=True,
        help_text="When the PIO's decision is due under s.7 (null while receipt is unknown "
        "or a further fee is unpaid).",
    )
    overdue = serializers.BooleanField(
        help_text="As of now (India): the public authority owes a decision whose deadline has "
        "passed. The same rule as the `overdue` filter."
    )
    deemed_refused = serializers.BooleanField(
        help_text="As of now: no reply came within the PIO's deadline (s.7(2))."
    )
    first_appeal_window = serializers.CharField(
        source="first_appeal_state",
        allow_null=True,
        help_text="The applicant's first-appeal deadline as of today: pending (open), "
        "expired, met, late, closed; null when it does not apply yet.",
    )
    next_deadline = serializers.SerializerMethodField(
        help_text="The earliest deadline still open: key, label, party, due (ISO 8601), section."
    )
    deadlines = serializers.SerializerMethodField(
        help_text="Every deadline of the RTI Act that applies, derived from the events: "
        "key, due, section, party, state (as in /api/v1/rti/deadlines/)."
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
            "security_org",
            "status",
            "outcome",
            "exemption_sections",
            "decision_due",
            "overdue",
            "deemed_refused",
            "first_appeal_window",
            "next_deadline",
            "deadlines",
            "events",
            "documents",
            "deployments",
            "agencies",
            "application_text",
            "citations",
            "is_demo",
            "created_at",
            "updated_at",
        ]

    def _schedule(self, rti_request):
        """Derived once per request from its prefetched events, at the clock reading of
        the query that computed ``status`` and ``overdue``."""
        if not hasattr(rti_request, "_schedule"):
            rti_request._schedule = schedule_as_dict(
                rti_request_schedule(
                    rti_request, events=rti_request.prefetched_events, now=rti_request.read_at
                )
            )
        return rti_request._schedule

    def get_next_deadline(self, rti_request) -> dict | None:
        key = rti_request.next_deadline
        return next(
            (
                {name: d[name] for name in ("key", "label", "party", "due", "section")}
                for d in self._schedule(rti_request)["deadlines"]
                if d["key"] == key
            ),
            None,
        )

    def get_deadlines(self, rti_request) -> list:
        return self._schedule(rti_request)["deadlines"]


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
            "is_demo",
            "created_at",
            "updated_at",
        ]
