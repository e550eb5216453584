"""The 400 the schema documents for a write is what the API sends: real error bodies of
every shape (a field, a source slot, an item's field, evidence, kept files, a body that
is not JSON) validate against the documented schema, and one schema serves every write."""

import json

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.support.pages import SUBMISSIONS_API_URL, api_submit, deployment_body, token_client

pytestmark = pytest.mark.django_db
WRITES = [
    ("/api/v1/submissions/", "post"),
    ("/api/v1/webhooks/", "post"),
    ("/api/v1/webhooks/{id}/", "patch"),
    ("/api/v1/rti-requests/{id}/events/", "post"),
]


@pytest.fixture(scope="module")
def documented(django_db_blocker):
    """The schema as the API serves it: {(path, method): its 400's JSON schema}."""
    from django.test import Client

    with django_db_blocker.unblock():
        schema = Client().get("/api/v1/schema/?format=json").json()
    return {
        (path, method): schema["paths"][path][method]["responses"]["400"]["content"][
            "application/json"
        ]["schema"]
        for path, method in WRITES
    }


def bodies(volunteer, settings, tmp_path):
    """Real 400 bodies of the submissions endpoint, one of each shape."""
    settings.MEDIA_ROOT = tmp_path
    api = token_client(volunteer)
    bad_slot = deployment_body()
    bad_slot["sources"].append({"url": "not a url"})
    no_url = deployment_body()
    no_url["sources"].append({"title": "A title alone"})
    bad_claim = deployment_body()
    bad_claim["evidence"] = [{"claim": "weather", "source_url": "https://news.example.org/"}]
    uncited = deployment_body()
    uncited["evidence"] = [{"claim": "cost", "source_url": "https://elsewhere.example.org/"}]
    answers = [
        api_submit(api, deployment_body(title="")),
        api_submit(api, bad_slot),
        api_submit(api, no_url),
        api_submit(api, bad_claim),
        api_submit(api, uncited),
        api.post(SUBMISSIONS_API_URL, "{not json", content_type="application/json"),
        api.post(
            SUBMISSIONS_API_URL,
            {
                "payload": json.dumps(deployment_body(title="")),
                "attachments": [
                    SimpleUploadedFile("reply.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
                ],
            },
        ),
    ]
    assert [a.status_code for a in answers] == [400] * len(answers)
    return [a.json() for a in answers]


def test_every_shape_of_a_real_error_body_matches_the_documented_400(
    documented, volunteer, settings, tmp_path
):
    found = bodies(volunteer, settings, tmp_path)
    title, slot, item_field, claim, uncited, not_json, kept = found
    # The shapes the documentation names, as sent.
    assert title == {"title": ["This field is required."]}
    assert slot == {"sources": {"1": ["Enter a valid URL."]}}
    assert item_field == {"sources": {"1": {"url": ["This field is required."]}}}
    assert list(claim["evidence"]) == ["0"] and "claim" in claim["evidence"]["0"]
    assert uncited["evidence"][0].startswith("item 1, source: ")
    assert set(not_json) == {"detail"}
    assert kept["title"] and kept["pending_uploads"][0]["name"] == "reply.pdf"

    schema = documented[("/api/v1/submissions/", "post")]
    for body in found:
        jsonschema.validate(body, schema)


@pytest.mark.parametrize(
    "body",
    [
        {"title": "This field is required."},  # a message outside its list
        {"sources": {"1": {"url": "Enter a valid URL."}}},
        {"pending_uploads": [{"name": "reply.pdf"}]},
        {"detail": ["Not a string."]},
    ],
)
def test_a_body_of_another_shape_does_not_match(documented, body):
    """The documented schema is strict enough to catch a drift."""
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(body, documented[("/api/v1/submissions/", "post")])


def test_every_write_documents_the_same_400(documented):
    schemas = list(documented.values())
    assert all(schema == schemas[0] for schema in schemas)


def test_a_reads_documented_400_matches_real_bodies(generous_throttle):
    """Reads document their query parameters' 400 once too, and send that shape."""
    from django.test import Client

    client = Client()
    schema = client.get("/api/v1/schema/?format=json").json()
    answers = {
        "/api/v1/deployments/": ["sate=IN-UP", "status=nope", "state="],
        "/api/v1/withdrawals/": ["since=yesterday"],
        "/api/v1/rti/deadlines/": ["received_on=2024-13-45"],
    }
    for path, queries in answers.items():
        documented = schema["paths"][path]["get"]["responses"]["400"]["content"]
        documented = documented["application/json"]["schema"]
        for query in queries:
            response = client.get(f"{path}?{query}")
            assert response.status_code == 400, (path, query)
            jsonschema.validate(response.json(), documented)
            assert query.split("=")[0] in response.json()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/deployments/?state=",
        "/api/v1/hotspots/?q=",
        "/api/v1/withdrawals/?since=",
        "/api/v1/rti/deadlines/?received_on=",
    ],
)
def test_a_parameter_given_empty_gets_one_answer_everywhere(client, url):
    """Every endpoint says the same of a parameter given with nothing in it."""
    name = url.split("?")[1].rstrip("=")
    answer = client.get(url)
    assert answer.status_code == 400
    assert answer.json()[name] == ["Give a value, or leave the parameter out."]
