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
