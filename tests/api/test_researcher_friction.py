"""What researchers meet first: the docs lead back to the site, public operations carry no
padlock, the submission schema names each kind's fields, and the CSV opens in Excel."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_docs_link_back_to_the_site(client, world):
    html = client.get("/api/v1/docs/").content.decode()
    assert '<a href="/">Back to Panoptic Tracker</a>' in html
    assert '<a href="/data/">' in html
    schema = client.get("/api/v1/schema/?format=json").json()
    assert "[the Panoptic Tracker site](/)" in schema["info"]["description"]


def test_only_operations_that_need_a_token_show_a_padlock(client, world):
    schema = client.get("/api/v1/schema/?format=json").json()
    locked = {
        (path, method)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if operation.get("security")
    }
    # A volunteer's submissions, an RTI request's events (its owner proposes, a moderator
    # records) and an account's webhooks; everything else is public.
    assert {path for path, _method in locked} == {
        "/api/v1/submissions/",
        "/api/v1/rti-requests/{id}/events/",
        "/api/v1/webhooks/",
        "/api/v1/webhooks/{id}/",
        "/api/v1/webhooks/{id}/deliveries/",
    }
    assert ("/api/v1/submissions/", "post") in locked
    assert ("/api/v1/rti-requests/{id}/events/", "post") in locked
    assert ("/api/v1/deployments/", "get") not in locked


def test_the_submission_schema_documents_each_kinds_fields(client, world):
    schema = client.get("/api/v1/schema/?format=json").json()
    body = schema["paths"]["/api/v1/submissions/"]["post"]["requestBody"]["content"]
    envelope, kinds = body["application/json"]["schema"]["allOf"]
    assert envelope == {"$ref": "#/components/schemas/SubmissionIn"}
    assert "fields" not in schema["components"]["schemas"]["SubmissionIn"]["properties"]
    by_kind = {
        kind["properties"]["entity_type"]["enum"][0]: kind["properties"]["fields"]
        for kind in kinds["oneOf"]
    }
    assert set(by_kind) == {"deployment", "agency", "hotspot", "rti_request"}
    deployment = by_kind["deployment"]
    assert {"title", "technology", "purpose_class", "status"} <= set(deployment["required"])
    properties = deployment["properties"]
    assert properties["purpose_tags"]["type"] == "array"
    assert "womens_safety" in properties["purpose_tags"]["items"]["enum"]
    assert properties["vendors"] == {
        "description": properties["vendors"]["description"],
        "type": "array",
        "items": {"type": "string"},
    }
    assert properties["announced_precision"]["enum"] == ["day", "month", "year"]
    assert properties["camera_count"]["minimum"] == 0
    assert properties["latitude"]["maximum"] == 90
    assert properties["state"]["type"] == "string"
    assert "Markdown" in properties["summary"]["description"]
    assert "Required for a correction" in properties["why"]["description"]
    assert "fax_number" not in properties and "source_url_1" not in properties
    assert by_kind["agency"]["properties"]["aliases"]["type"] == "array"
    assert by_kind["hotspot"]["properties"]["deployments"]["items"]["type"] == "integer"
    assert "additionalProp1" not in str(schema["paths"]["/api/v1/submissions/"])


def test_csv_for_excel_starts_with_a_byte_order_mark(client, world):
    plain = b"".join(client.get("/api/v1/export/deployments.csv").streaming_content)
    excel = b"".join(client.get("/api/v1/export/deployments.csv?excel=1").streaming_content)
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert excel == b"\xef\xbb\xbf" + plain
    assert excel.decode("utf-8-sig").startswith("id,")
    assert client.get("/api/v1/export/deployments.csv?excel=0").status_code == 200
    response = client.get("/api/v1/export/deployments.csv?excel=maybe")
    assert response.status_code == 400 and "excel" in response.json()
    # GeoJSON has no such option: it is an unknown parameter there.
    assert client.get("/api/v1/export/deployments.geojson?excel=1").status_code == 400


def test_the_data_page_offers_both_files(client, world):
    page = client.get("/data/").content.decode()
    assert 'href="/api/v1/export/deployments.csv"' in page
    assert 'href="/api/v1/export/deployments.csv?excel=1"' in page
    assert "CSV for Excel" in page
