"""The body of the API's 400 answers, in one place: how a write's errors are shaped
(``indexed``) and how the schema documents them (``FIELD_ERRORS`` for writes,
``PARAMETER_ERRORS`` for a read's query parameters), so the documentation cannot
drift from what the endpoints send.

Every key names what is wrong: a field of the body (or of the form behind it), a query
parameter, ``non_field_errors`` for the whole, ``payload`` for a multipart body whose
JSON cannot be read. Its value is one of:

- a list of messages: ``{"title": ["This field is required."]}``; the evidence of a
  proposal checked against its sources reads ``{"evidence": ["item 1, source: ..."]}``,
  each message saying which item (counted from 1, as a person counts) and which field;
- the items of a list that are wrong, keyed by their index in the list sent (counted
  from 0): ``{"sources": {"1": ["Enter a valid URL."]}}``, or, when the item's own
  fields are named, ``{"sources": {"1": {"url": ["This field is required."]}}}``.

Beside the errors: ``pending_uploads``, the files of this send that passed their checks
(send their keys instead of the files), and ``detail``, alone, for a body that is not
JSON at all.
"""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse

MESSAGES = {"type": "array", "items": {"type": "string"}, "description": "Its messages."}
ITEMS = {
    "type": "object",
    "description": "The items that are wrong, by their index in the list sent (from 0).",
    "additionalProperties": {
        "oneOf": [
            MESSAGES,
            {
                "type": "object",
                "description": "The item's fields that are wrong.",
                "additionalProperties": MESSAGES,
            },
        ]
    },
}
FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "The body could not be read as JSON."},
        "non_field_errors": MESSAGES,
        "pending_uploads": {
            "type": "array",
            "description": "Files of this send that passed their checks: send their keys "
            "in pending_uploads instead of the files.",
            "items": {
                "type": "object",
                "properties": {
                    "key": {"type": "string"},
                    "name": {"type": "string"},
                    "size": {"type": "integer"},
                },
                "required": ["key", "name", "size"],
            },
        },
    },
    "additionalProperties": {"oneOf": [MESSAGES, ITEMS]},
}

FIELD_ERRORS = OpenApiResponse(
    response=FIELD_ERRORS_SCHEMA,
    description=(
        "What is wrong, by the name of the field or query parameter (`non_field_errors`: "
        "the whole; `payload`: a multipart body's JSON). Each value is a list of messages, "
        "or, for a list sent, the items that are wrong keyed by their index in it (from 0): "
        '`{"sources": {"1": ["Enter a valid URL."]}}`, or with the item\'s fields: '
        '`{"evidence": {"0": {"claim": ["\\"x\\" is not a valid choice."]}}}`. Evidence '
        "that does not fit the proposal's sources is a list of messages naming the item "
        '(from 1) and its field: `{"evidence": ["item 1, source: ..."]}`. Files that passed '
        "their checks are kept and listed under `pending_uploads` (key, name, size): send "
        'their keys instead of the files. A body that is not JSON: `{"detail": ...}`.'
    ),
    examples=[
        OpenApiExample(
            "A field and a source",
            value={"title": ["This field is required."], "sources": {"1": ["Enter a valid URL."]}},
            response_only=True,
        ),
        OpenApiExample(
            "Evidence",
            value={"evidence": ["item 1, source: Evidence can only point at a source ..."]},
            response_only=True,
        ),
    ],
)


PARAMETER_ERRORS = OpenApiResponse(
    response={"type": "object", "additionalProperties": MESSAGES},
    description=(
        "A query parameter is invalid, empty, contradicts another, or is not one the "
        "endpoint takes: each parameter's name maps to its messages "
        '(`{"sate": ["Unknown parameter. This endpoint takes: ..."]}`).'
    ),
)


def indexed(errors):
    """DRF's error lists for lists of objects ([{}, {"url": [...]}]) as objects keyed by
    the index of the item that is wrong ({"1": {"url": [...]}})."""
    if isinstance(errors, dict):
        return {key: indexed(value) for key, value in errors.items()}
    if isinstance(errors, list) and any(isinstance(item, dict) for item in errors):
        return {str(n): indexed(item) for n, item in enumerate(errors) if item}
    return errors
