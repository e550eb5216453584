"""What a volunteer may propose for each kind of entry, and how proposed data maps to models.

A submission keeps its proposal as JSON (``Submission.data``): foreign keys as
ids, dates as ISO strings, a point as ``[longitude, latitude]``, an area as
GeoJSON. The same conversion reads a published entry, so a correction can keep
only what differs and a moderator sees a diff of like with like.
"""

import datetime
import decimal
import json

from django.contrib.gis.db import models as gis_models
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from tracker.models import (
    Agency,
    Deployment,
    Hotspot,
    LinkedDatabase,
    RTIEvent,
    RTIRequest,
    Vendor,
)

from .models import EntityType

ENTITY_MODELS = {
    EntityType.DEPLOYMENT: Deployment,
    EntityType.AGENCY: Agency,
    EntityType.HOTSPOT: Hotspot,
    EntityType.RTI_REQUEST: RTIRequest,
    EntityType.RTI_EVENT: RTIEvent,
}
# Entries a volunteer proposes on their own and a moderator publishes or withdraws; an RTI
# event is proposed from its request's page (moderation/rti_events.py).
PUBLIC_ENTITY_TYPES = [
    EntityType.DEPLOYMENT,
    EntityType.AGENCY,
    EntityType.HOTSPOT,
    EntityType.RTI_REQUEST,
]

# A new deployment may propose its lead agency in the same submission (its fields as
# an agency's proposal, under this key); approving the deployment publishes both.
NEW_AGENCY_KEY = "new_agency"

DATE_PRECISIONS = {
    "announced_on": "announced_precision",
    "tender_published_on": "tender_published_precision",
    "in_use_since": "in_use_since_precision",
    "last_reported_use": "last_reported_use_precision",
}

# The fields a volunteer proposes, per kind of entry, in the order forms and diffs show them:
# every fact the entry's public page shows (what is derived, such as a verification level
# or an RTI request's status, comes from elsewhere).
PROPOSABLE_FIELDS = {
    EntityType.DEPLOYMENT: [
        "title",
        "technology",
        "purpose_class",
        "purpose_tags",
        "status",
        "summary",
        "lead_agency",
        "partner_agencies",
        "vendors",
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
        "location_precision",
        "camera_count",
        "cost_inr",
        "cost_covers",
        "funding_source",
        "legal_basis",
        "legal_basis_url",
        "court_cases",
        "data_retention",
        "accuracy_claims",
        "linked_databases",
    ],
    EntityType.HOTSPOT: [
        "name",
        "kind",
        "state",
        "city",
        "location",
        "area",
        "camera_count",
        "agency",
        "deployments",
        "identified_on",
        "notes",
    ],
    EntityType.AGENCY: [
        "name",
        "short_name",
        "aliases",
        "kind",
        "level",
        "parent",
        "state",
        "city",
        "website",
        "wikidata_id",
        "location",
        "pio_address",
        "rti_portal_url",
        "appellate_authority",
        "description",
    ],
    EntityType.RTI_REQUEST: [
        "title",
        "authority",
        "reference_number",
        "filed_by",
        "filed_on",
        "received_on",
        "route",
        "life_or_liberty",
        "third_party",
        "security_org",
        "application_text",
        "deployments",
        "agencies",
    ],
    EntityType.RTI_EVENT: [
        "rti_request",
        "kind",
        "date",
        "outcome",
        "exemption_sections",
        "amount",
        "note",
    ],
}


class Related:
    """A proposable fact kept in other rows than the entry's own (many-to-many links,
    vendors by name, linked databases): read from a saved entry, written after it is
    saved, compared and shown as sorted JSON lists."""

    def __init__(self, read, write):
        self.read, self.write = read, write


def _ids_read(name):
    return lambda entity: sorted(getattr(entity, name).values_list("pk", flat=True))


def _ids_write(name):
    return lambda entity, value: getattr(entity, name).set(value or [])


def _vendors_read(entity):
    return sorted(entity.vendors.values_list("name", flat=True), key=str.casefold)


def _vendors_write(entity, value, new_vendors=()):
    """Vendors by name: an existing one (any case) or a new one, with the details the
    proposal gave for it."""
    details = {item["name"].casefold(): item for item in new_vendors or []}
    vendors = []
    for name in value or []:
        vendor = Vendor.objects.filter(name__iexact=name).first()
        if vendor is None:
            extra = details.get(name.casefold(), {})
            vendor = Vendor.objects.create(
                name=name, country=extra.get("country", ""), website=extra.get("website", "")
            )
        vendors.append(vendor)
    entity.vendors.set(vendors)


def _databases_read(entity):
    return sorted(
        (
            {"name": db.name, "is_public": db.is_public, "storage": db.storage}
            for db in entity.linked_databases.all()
        ),
        key=lambda item: item["name"].casefold(),
    )


def _databases_write(entity, value):
    wanted = {item["name"]: item for item in value or []}
    entity.linked_databases.exclude(name__in=list(wanted)).delete()
    for name, item in wanted.items():
        LinkedDatabase.objects.update_or_create(
            deployment=entity,
            name=name,
            defaults={"is_public": item.get("is_public"), "storage": item.get("storage")},
        )


RELATED = {
    "partner_agencies": Related(_ids_read("partner_agencies"), _ids_write("partner_agencies")),
    "vendors": Related(_vendors_read, _vendors_write),
    "linked_databases": Related(_databases_read, _databases_write),
    "deployments": Related(_ids_read("deployments"), _ids_write("deployments")),
    "agencies": Related(_ids_read("agencies"), _ids_write("agencies")),
}
NEW_VENDORS_KEY = "new_vendors"  # details of proposed vendors not yet on the site


def entity_model(entity_type):
    return ENTITY_MODELS[EntityType(entity_type)]


def field_to_json(field, value):
    """One model value as JSON (None for empty)."""
    if value is None:
        return None
    if isinstance(field, models.ManyToManyField):
        return sorted(obj.pk if isinstance(obj, models.Model) else obj for obj in value)
    if isinstance(field, gis_models.PointField):
        return [round(value.x, 7), round(value.y, 7)]
    if isinstance(field, gis_models.MultiPolygonField):
        return value.geojson
    if isinstance(field, models.ForeignKey):
        return value.pk if isinstance(value, models.Model) else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def field_from_json(field, value):
    """The model value for one JSON value."""
    if value is None:
        return None
    if isinstance(field, gis_models.PointField):
        return Point(float(value[0]), float(value[1]), srid=4326)
    if isinstance(field, gis_models.MultiPolygonField):
        shape = GEOSGeometry(value if isinstance(value, str) else json.dumps(value), srid=4326)
        return shape if isinstance(shape, MultiPolygon) else MultiPolygon(shape, srid=4326)
    if isinstance(field, models.DateField):
        return datetime.date.fromisoformat(value)
    return value


def entity_data(entity, entity_type) -> dict:
    """A published entry's proposable fields as JSON, for diffs and correction forms."""
    meta = type(entity)._meta
    data = {}
    for name in PROPOSABLE_FIELDS[EntityType(entity_type)]:
        if name in RELATED:
            data[name] = RELATED[name].read(entity)
            continue
        field = meta.get_field(name)
        value = getattr(entity, field.attname)
        data[name] = field_to_json(field, value)
    return data


def entity_apply(entity, data: dict):
    """Set the proposed values on ``entity`` (not saved); unknown keys, and facts kept in
    other rows (``entity_relations_apply``, once it is saved), are left."""
    meta = type(entity)._meta
    for name, value in data.items():
        try:
            field = meta.get_field(name)
        except FieldDoesNotExist:  # a key this version does not know
            continue
        if name in RELATED or field.many_to_many or field.one_to_many:
            continue
        python = field_from_json(field, value)
        if python is None and not field.null:
            python = "" if isinstance(field, models.CharField | models.TextField) else python
        setattr(entity, field.attname, python)
    return entity


def entity_relations_apply(entity, data: dict):
    """Write the proposed facts kept in other rows of a saved ``entity``."""
    for name, value in data.items():
        if name not in RELATED or not hasattr(entity, name):
            continue
        if name == "vendors":
            _vendors_write(entity, value, data.get(NEW_VENDORS_KEY))
        else:
            RELATED[name].write(entity, value)


def data_changes(current: dict, proposed: dict) -> dict:
    """The proposed values that differ from the current ones (a correction keeps only these).

    Empty strings and None count as the same "nothing".
    """

    def norm(value):
        return None if value in ("", None, []) else value

    return {
        name: value for name, value in proposed.items() if norm(value) != norm(current.get(name))
    }
