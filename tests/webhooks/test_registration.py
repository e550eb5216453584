"""Registering webhooks through the API: token only, own hooks only, at most five, and
only URLs the guarded fetcher would post to (no packet leaves: IP literals only)."""

import json

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.support.people import person
from tracker.models import Webhook

pytestmark = pytest.mark.django_db
URL = "/api/v1/webhooks/"


def api_for(user):
    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = "Token " + Token.objects.create(user=user).key
    return client


@pytest.fixture
def researcher():
    return person("researcher", "A researcher")


@pytest.fixture
def api(researcher):
    return api_for(researcher)


def register(api, **fields):
    body = {"url": "http://127.0.0.1:8125/hook", "events": ["published"], **fields}
    return api.post(URL, json.dumps(body), content_type="application/json")


@pytest.fixture(autouse=True)
def loopback_allowed(settings):
    """The tests' own address may be registered, as FETCH_ALLOW_HOSTS allows for intranets."""
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    settings.FETCH_ALLOWED_PORTS = [80, 443, 8125]


def test_a_researcher_registers_a_hook_and_sees_its_secret_once(api):
    made = register(api, events=["changed", "published", "changed"], description="My newsroom")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["events"] == ["published", "changed"]
    assert body["is_active"] is True
    assert len(body["secret"]) >= 32
    listed = api.get(URL).json()
    assert [h["id"] for h in listed] == [body["id"]]
    assert "secret" not in listed[0]
    assert "secret" not in api.get(f"{URL}{body['id']}/").json()
    own = register(api, secret="my own secret, 16+ chars")
    assert own.json()["secret"] == "my own secret, 16+ chars"


def test_without_a_token_nothing_is_listed_or_registered():
    anonymous = Client()
    assert anonymous.get(URL).status_code == 401
    assert register(anonymous).status_code == 401


def test_another_accounts_hooks_are_invisible(api):
    hook = register(api).json()
    other = api_for(person("other", "Someone else"))
    assert other.get(URL).json() == []
    assert other.get(f"{URL}{hook['id']}/").status_code == 404
    assert other.get(f"{URL}{hook['id']}/deliveries/").status_code == 404
    assert other.delete(f"{URL}{hook['id']}/").status_code == 404
    assert Webhook.objects.filter(pk=hook["id"]).exists()


def test_at_most_five_hooks_per_account(api, researcher):
    for n in range(5):
        assert register(api, description=f"hook {n}").status_code == 201
    sixth = register(api)
    assert sixth.status_code == 400
    assert "at most 5 webhooks" in json.dumps(sixth.json())
    assert Webhook.objects.filter(owner=researcher).count() == 5


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"url": "http://10.0.0.7/hook"}, "url", "private or reserved"),
        ({"url": "http://192.168.1.1/hook"}, "url", "private or reserved"),
        ({"url": "http://169.254.169.254/latest/meta-data"}, "url", "private or reserved"),
        ({"url": "http://[::ffff:10.0.0.1]/hook"}, "url", "private or reserved"),
        ({"url": "http://127.0.0.2/hook"}, "url", "private or reserved"),
        ({"url": "ftp://203.0.113.9/hook"}, "url", "http or https"),
        ({"url": "javascript:alert(1)"}, "url", "http or https"),
        ({"url": "http://127.0.0.1:22/hook"}, "url", "Only these ports"),
        ({"url": "http://user:pass@127.0.0.1:8125/"}, "url", "credentials"),
        ({"url": "http://127.0.0.1:8125/" + "a" * 2000}, "url", "longer than"),
        ({"events": []}, "events", "Choose one or more"),
        ({"events": ["deleted"]}, "events", "Choose one or more"),
        ({"events": "published"}, "events", ""),
        ({"secret": "short"}, "secret", "16 to 200"),
    ],
)
def test_bad_registrations_are_a_400_naming_the_field(api, fields, field, message):
    response = register(api, **fields)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert message in json.dumps(response.json())
    assert not Webhook.objects.exists()


def test_a_hook_is_changed_paused_enabled_again_and_removed(api):
    hook = register(api).json()
    path = f"{URL}{hook['id']}/"

    def patch(**fields):
        return api.patch(path, json.dumps(fields), content_type="application/json")

    assert patch(events=["withdrawn", "rti_event"]).json()["events"] == ["withdrawn", "rti_event"]
    assert patch(url="http://10.1.1.1/").status_code == 400
    assert api.get(path).json()["url"] == "http://127.0.0.1:8125/hook"
    assert patch(is_active=False).json()["is_active"] is False
    Webhook.objects.filter(pk=hook["id"]).update(consecutive_failures=20)
    enabled = patch(is_active=True).json()
    assert (enabled["is_active"], enabled["consecutive_failures"]) == (True, 0)
    assert api.delete(path).status_code == 204
    assert api.get(path).status_code == 404
