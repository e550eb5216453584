"""OpenAPI details drf-spectacular cannot infer from tracker's filters.

tracker/ knows nothing of the API; the types of its custom parameters are
declared here instead (loaded by ``ApiConfig.ready``).
"""

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
                if "pattern" not in schema and "enum" not in schema:
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
