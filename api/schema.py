"""OpenAPI details drf-spectacular cannot infer from tracker's filters.

tracker/ knows nothing of the API; the types of its custom parameters are
declared here instead (loaded by ``ApiConfig.ready``).
"""

from django.utils.html import strip_tags
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from tracker.catalogue import filters

# A parameter's value made only of these (ASCII whitespace) is blank: a 400
# (api.views.NoEmptyParametersMixin). The schema says so with NOT_BLANK, a pattern
# both Python and the schema's (ECMAScript) regular expressions read alike.
BLANK_CHARACTERS = " \t\n\v\f\r"
NOT_BLANK = "[^ \\t\\n\\v\\f\\r]"


def is_blank(value: str) -> bool:
    return all(character in BLANK_CHARACTERS for character in value)


STATE_CODE = {"type": "string", "pattern": "^[A-Za-z]{2}-[A-Za-z]{2,3}$", "example": "IN-UP"}
TIMESTAMP = {
    "anyOf": [
        {"type": "string", "format": "date-time"},
        {"type": "string", "format": "date"},
    ],
    "example": "2024-01-31T00:00:00Z",
}
BBOX = {"type": "string", "pattern": filters.BBOX_PATTERN, "example": "72.8,18.9,73.0,19.3"}
POINT = {"type": "string", "pattern": filters.POINT_PATTERN, "example": "80.95,26.85"}

extend_schema_field(STATE_CODE)(filters.StateFilter)
# An id or a name; a NUL character in it is dropped (the filter's field), so any text.
extend_schema_field(OpenApiTypes.STR)(filters.AgencyRefFilter)
extend_schema_field(OpenApiTypes.STR)(filters.VendorRefFilter)
extend_schema_field(TIMESTAMP)(filters.TimestampFilter)
extend_schema_field(BBOX)(filters.BBoxFilter)
extend_schema_field(POINT)(filters.PointFilter)
extend_schema_field({"type": "integer", "minimum": 1, "maximum": filters.MAX_ID})(filters.IdFilter)


class DescribedFilterExtension(DjangoFilterExtension):
    """django-filter parameters, each described by its filter's help text."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        help_text = filter_field.extra.get("help_text")
        bounds = {"minimum": "min_value", "maximum": "max_value"}
        for parameter in parameters:
            if help_text and not parameter.get("description"):
                parameter["description"] = str(help_text)
            schema = parameter.get("schema", {})
            for keyword, option in bounds.items():
                if filter_field.extra.get(option) is not None:
                    schema[keyword] = filter_field.extra[option]
            # An empty or blank value is a 400 (api.views.NoEmptyParametersMixin).
            if schema.get("type") == "string":
                schema["minLength"] = 1
                if not {"pattern", "enum", "format"} & schema.keys():
                    schema["pattern"] = NOT_BLANK
            elif schema.get("type") == "array":
                schema["minItems"] = 1
        return parameters


class FilteredFileSchema(AutoSchema):
    """A whole-file download (an export) documents the filters of its FilterSet, as the list
    it mirrors does: drf-spectacular only looks for filters on list views."""

    def get_filter_backends(self):
        return getattr(self.view, "filter_backends", [])


FEATURE_COLLECTION = {
    "type": "object",
    "description": "A GeoJSON FeatureCollection (RFC 7946, longitude-latitude order).",
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "id": {"type": "integer"},
                    "geometry": {"type": "object"},
                    "properties": {"type": "object"},
                },
                "required": ["type", "geometry", "properties"],
            },
        },
    },
    "required": ["type", "features"],
}
GEOJSON = "application/geo+json"

FORMAT_DESCRIPTION = (
    "json (default) or geojson: a GeoJSON FeatureCollection (RFC 7946) of the rows that "
    "have a location, properties as in the CSV export."
)


def describe_format_parameter(result, generator, request, public):
    """Post-processing hook: document DRF's ``format`` parameter and its GeoJSON answers.

    drf-spectacular would wrap the GeoJSON body of a list in the JSON page envelope
    and offer errors as GeoJSON; a GeoJSON answer is a bare FeatureCollection and
    errors are always JSON.
    """
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if GEOJSON in content:
                    if status.startswith("2"):
                        content[GEOJSON]["schema"] = FEATURE_COLLECTION
                    elif len(content) > 1:
                        del content[GEOJSON]
            for parameter in operation.get("parameters", []):
                if parameter["name"] == "format" and not parameter.get("description"):
                    parameter["description"] = FORMAT_DESCRIPTION
    return result


# ---------------------------------------------------------------- the submission forms


def form_field_schema(field) -> dict:
    """One field of a submission form as JSON Schema, with its label and help text."""
    from django import forms

    from moderation.forms import EntryIdsField, LinesField

    description = ". ".join(
        str(text).rstrip(".")
        for text in (field.label, strip_tags(str(field.help_text or "")))
        if text
    )
    schema = {"description": description + "." if description else ""}
    if isinstance(field, forms.ModelMultipleChoiceField):
        key = field.to_field_name or "pk"
        schema |= {"type": "array", "items": _key_type(field.queryset.model, key)}
    elif isinstance(field, forms.MultipleChoiceField):
        items = {"type": "string", "enum": [str(v) for v, _ in field.choices]}
        schema |= {"type": "array", "items": items}
    elif isinstance(field, forms.ModelChoiceField):
        schema |= _key_type(field.queryset.model, field.to_field_name or "pk")
        schema["nullable"] = not field.required
    elif isinstance(field, forms.ChoiceField):
        values = [str(v) for v, _ in field.choices if v != "" or not field.required]
        schema |= {"type": "string", "enum": values}
    elif isinstance(field, forms.BooleanField):
        schema["type"] = "boolean"
    elif isinstance(field, forms.IntegerField):
        schema |= {"type": "integer", **_bounds(field)}
    elif isinstance(field, forms.FloatField):
        schema |= {"type": "number", **_bounds(field)}
    elif isinstance(field, forms.DateField):
        schema |= {"type": "string", "format": "date"}
    elif isinstance(field, EntryIdsField):
        schema |= {"type": "array", "items": {"type": "integer", "minimum": 1}}
    elif isinstance(field, LinesField):
        schema |= {"type": "array", "items": {"type": "string"}}
    elif isinstance(field, forms.URLField):
        schema |= {"type": "string", "format": "uri"}
    else:
        schema["type"] = "string"
    if getattr(field, "max_length", None) and schema.get("type") == "string":
        schema["maxLength"] = field.max_length
    return schema


def _key_type(model, key):
    field = model._meta.pk if key == "pk" else model._meta.get_field(key)
    return (
        {"type": "integer"}
        if field.get_internal_type().endswith("AutoField")
        else {"type": "string"}
    )


def _bounds(field):
    from django.core import validators

    found = {}
    for validator in field.validators:
        if isinstance(validator, validators.MinValueValidator):
            found["minimum"] = validator.limit_value
        elif isinstance(validator, validators.MaxValueValidator):
            found["maximum"] = validator.limit_value
    return found


def proposal_fields_schema(form_class) -> dict:
    """The ``fields`` object of one kind's proposal, from its form (a correction's form,
    so ``why`` is there; the honeypot, files and the sources list are left out)."""
    from accounts.forms import HONEYPOT

    form = form_class(target_id=0)
    properties, required = {}, []
    for name, field in form.fields.items():
        if name in (HONEYPOT, "attachments") or name.startswith("source_"):
            continue
        properties[name] = form_field_schema(field)
        if name == "why":
            properties[name]["description"] += " Required for a correction (target_id)."
        elif field.required:
            required.append(name)
    return {"type": "object", "properties": properties, "required": required}


def document_proposal_fields(result, generator, request, public):
    """Post-processing hook: the submission endpoint's JSON body is the envelope plus,
    for each kind of entry, that kind's ``fields`` (``oneOf``), generated from the same
    forms the site uses."""
    from django.utils import translation

    from moderation.forms import PROPOSAL_FORMS

    operation = result.get("paths", {}).get("/api/v1/submissions/", {}).get("post")
    if not operation:
        return result
    content = operation["requestBody"]["content"]["application/json"]
    with translation.override("en"):
        kinds = [
            {
                "type": "object",
                "title": f"{entity_type.label} proposal",
                "properties": {
                    "entity_type": {"type": "string", "enum": [entity_type.value]},
                    "fields": proposal_fields_schema(form_class),
                },
                "required": ["entity_type", "fields"],
            }
            for entity_type, form_class in PROPOSAL_FORMS.items()
        ]
    # The envelope's ``fields`` is each kind's own: drop the generic one.
    envelope = result["components"]["schemas"][content["schema"]["$ref"].rsplit("/", 1)[1]]
    envelope["properties"].pop("fields", None)
    envelope["required"] = [name for name in envelope.get("required", []) if name != "fields"]
    content["schema"] = {"allOf": [content["schema"], {"oneOf": kinds}]}
    return result


def public_operations_unlocked(result, generator, request, public):
    """Post-processing hook: an operation anyone may call carries no security requirement,
    so the docs draw no padlock on it; only those that need a token keep theirs."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if {} in operation.get("security", []):
                del operation["security"]
    return result
