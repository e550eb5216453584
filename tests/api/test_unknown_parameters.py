"""Every API endpoint refuses a query parameter it does not take, naming it; what it
documents (and format, limit, offset) it takes. The endpoints are read from the schema,
so one added later is covered by this test as it is by the rule."""

import re

import pytest

pytestmark = pytest.mark.django_db


def schema_operations(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def concrete(path, world):
    """A documented path with its {id} filled in with a published entry's id."""
    ids = {
        "agencies": world.lucknow_police.pk,
        "deployments": world.lucknow.pk,
    }
    resource = path.split("/")[3]
    return re.sub(r"\{[^}]+\}", str(ids.get(resource, world.lucknow_police.pk)), path)


def test_a_typo_in_a_filter_is_a_400_naming_it(client, world):
    response = client.get("/api/v1/deployments/?sate=IN-UP")
    assert response.status_code == 400
    (message,) = response.json()["sate"]
    assert message.startswith("Unknown parameter.")
    assert " state, " in message  # says what the endpoint takes


def test_every_documented_operation_refuses_an_unknown_parameter(client, world):
    checked = []
    for path, method, _operation in schema_operations(client):
        url = concrete(path, world) + "?zzz_unknown=1&format=json&limit=1"
        response = client.generic(method.upper(), url)
        assert response.status_code == 400, (method, url, response.status_code)
        assert list(response.json()) == ["zzz_unknown"], (method, url, response.json())
        checked.append(path)
    assert "/api/v1/deployments/" in checked and "/api/v1/submissions/" in checked


def test_every_documented_parameter_is_taken(client, world):
    """No documented query parameter, given a plausible value, is refused as unknown."""
    for path, method, operation in schema_operations(client):
        if method != "get":
            continue
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            url = concrete(path, world)
            response = client.get(url, {parameter["name"]: "1"})
            if response.status_code != 400:
                continue  # taken (a 400 is the only way to refuse it)
            messages = response.json().get(parameter["name"], [])
            assert not any(str(m).startswith("Unknown parameter") for m in messages), (
                url,
                parameter["name"],
            )


def test_exports_document_and_take_their_list_filters(client, world):
    response = client.get("/api/v1/export/deployments.csv?state=IN-UP")
    assert response.status_code == 200
    assert client.get("/api/v1/export/deployments.csv?sate=IN-UP").status_code == 400


def test_views_outside_the_schema(client, world):
    assert client.get("/api/v1/?format=json").status_code == 200
    assert list(client.get("/api/v1/?x=1").json()) == ["x"]
    assert client.get("/api/v1/schema/?format=json&lang=hi").status_code == 200
    assert client.get("/api/v1/docs/?script=").status_code == 200
    # An unknown path stays a 404 whatever it is asked.
    assert client.get("/api/v1/nothing-here/?x=1").status_code == 404
    for method in (client.post, client.patch, client.delete):
        assert method("/api/v1/webhooks/null,null/").status_code == 404


def test_preflights_and_undeclared_methods_are_left_to_the_view(client, world):
    assert client.options("/api/v1/deployments/?sate=IN-UP").status_code == 200
    # The view answers as it would without the parameter: it has no DELETE.
    response = client.delete("/api/v1/deployments/?sate=IN-UP")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD, OPTIONS"
