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

from tracker.models import Agency, Deployment, Hotspot, RTIEvent, RTIRequest

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

# The fields a volunteer proposes, per kind of entry, in the order forms and diffs show them.
PROPOSABLE_FIELDS = {
    EntityType.DEPLOYMENT: [
        "title",
        "lead_agency",
        "technology",
        "purpose_class",
        "status",
        "state",
        "district",
        "city",
        "location",
        "location_precision",
        "camera_count",
        "cost_inr",
        "announced_on",
        "summary",
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
        "notes",
    ],
    EntityType.AGENCY: [
        "name",
        "short_name",
        "kind",
        "level",
        "state",
        "city",
        "website",
        "wikidata_id",
        "location",
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
        "application_text",
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


def entity_model(entity_type):
    return ENTITY_MODELS[EntityType(entity_type)]


def field_to_json(field, value):
    """One model value as JSON (None for empty)."""
    if value is None:
        return None
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
        field = meta.get_field(name)
        value = getattr(entity, field.attname)
        data[name] = field_to_json(field, value)
    return data


def entity_apply(entity, data: dict):
    """Set the proposed values on ``entity`` (not saved); unknown keys are ignored."""
    meta = type(entity)._meta
    for name, value in data.items():
        try:
            field = meta.get_field(name)
        except FieldDoesNotExist:  # a key this version does not know
            continue
        python = field_from_json(field, value)
        if python is None and not field.null:
            python = "" if isinstance(field, models.CharField | models.TextField) else python
        setattr(entity, field.attname, python)
    return entity


def data_changes(current: dict, proposed: dict) -> dict:
    """The proposed values that differ from the current ones (a correction keeps only these).

    Empty strings and None count as the same "nothing".
    """

    def norm(value):
        return None if value in ("", None, []) else value

    return {
        name: value for name, value in proposed.items() if norm(value) != norm(current.get(name))
    }
