"""Inputs the schema fuzzer found: each answers as the schema says, as JSON."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/agencies/5%0A/rti-statistics/",
        "/api/v1/agencies/%0A5/rti-statistics/",
        "/api/v1/deployments/1%0A/",
        "/api/v1/export/deployments.csv%0A",
    ],
)
def test_a_path_with_a_newline_is_a_json_404(client, path, settings):
    settings.DEBUG = True  # as under `make run`: not Django's HTML page either
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


@pytest.mark.parametrize("value", ["2024-01-01\n", " 2024-01-01", "2024-01-01T00:00:00Z\n"])
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/export/deployments.csv",
        "/api/v1/export/deployments.geojson",
        "/api/v1/deployments/",
    ],
)
def test_updated_since_with_whitespace_is_a_400_naming_it(client, path, value):
    response = client.get(path, {"updated_since": value})
    assert response.status_code == 400
    assert "updated_since" in response.json()


def test_a_clean_updated_since_still_works(client):
    response = client.get("/api/v1/export/deployments.csv", {"updated_since": "2024-01-01"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"agency": "\x00h"}, 200),  # a NUL is dropped: names nothing
        ({"vendor": "\x00x"}, 200),
        ({"q": "\x85"}, 200),  # not blank to the schema: read as text
        ({"agency": "\x0b"}, 400),  # blank to both the code and the schema
        ({"agency": " "}, 400),
    ],
)
def test_odd_characters_are_read_as_the_schema_says(client, query, status):
    response = client.get("/api/v1/deployments/", query)
    assert response.status_code == status, response.content
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    (name,) = query
    (parameter,) = [
        p for p in schema["paths"]["/api/v1/deployments/"]["get"]["parameters"] if p["name"] == name
    ]
    assert parameter["schema"]["pattern"] == "[^ \\t\\n\\v\\f\\r]"
