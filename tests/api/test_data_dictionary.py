"""The data dictionary lists each vocabulary's codes as the models define them, everywhere:
export columns (CSV, GeoJSON), datapackage.json and the OpenAPI schema."""

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import FieldDoesNotExist

from tracker.exports.datasets import EXPORTS, datapackage


def choice_codes(model, expression):
    """The codes of the vocabulary behind a column, or None when it has none."""
    if not isinstance(expression, str):
        expression = getattr(getattr(expression, "source_expressions", [None])[0], "name", None)
    if not expression:
        return None
    try:
        field = model._meta.get_field(expression)
    except FieldDoesNotExist:
        return None
    if isinstance(field, ArrayField):
        field = field.base_field
    return [code for code, _ in field.choices] if field.choices else None


def vocabulary_columns():
    for export in EXPORTS.values():
        for column in export.columns:
            codes = choice_codes(export.model, column.expression)
            if codes:
                yield export, column, codes


def test_every_vocabulary_column_lists_every_code():
    found = list(vocabulary_columns())
    assert len(found) >= 14  # technology, status, kinds, outcomes, health, ...
    names = {(export.name, column.name) for export, column, _ in found}
    assert {("deployments", "purpose_tags"), ("sources", "health")} <= names
    for export, column, codes in found:
        for code in codes:
            assert code in column.description, (export.name, column.name, code)


def test_datapackage_describes_columns_with_the_same_codes():
    package = datapackage({name: [f"{name}.csv"] for name in EXPORTS})
    described = {
        (resource["name"].removesuffix("-csv"), field["name"]): field["description"]
        for resource in package["resources"]
        for field in resource["schema"]["fields"]
    }
    for export, column, codes in vocabulary_columns():
        assert all(code in described[(export.name, column.name)] for code in codes)


def test_openapi_describes_every_enum_with_its_codes(client, db):
    schema = client.get("/api/v1/schema/?format=json").json()
    enums = {
        name: component["enum"]
        for name, component in schema["components"]["schemas"].items()
        if "enum" in component
    }
    checked = 0
    for name, component in schema["components"]["schemas"].items():
        for field, spec in component.get("properties", {}).items():
            ref = (spec.get("allOf") or spec.get("oneOf") or [spec])[0].get("$ref", "")
            values = enums.get(ref.rsplit("/", 1)[-1]) or spec.get("enum")
            if not values or field in {"type"}:
                continue
            described = spec.get("description", "")
            missing = [v for v in values if v and v not in described]
            assert not missing, (name, field, missing)
            checked += 1
    assert checked >= 15
