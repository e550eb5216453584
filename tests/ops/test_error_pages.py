"""Error pages are the site's own, in the reader's language; while Redis is away every page
and the API answer 503 with Retry-After, as they do while PostgreSQL is
(tests/ops/test_faults.py), and recover by themselves."""

import pytest
from django.test import Client, RequestFactory
from django.utils import translation

from config.errors import server_error
from tests.factories import UserFactory


def assert_site_page(response, status, language, heading):
    assert response.status_code == status
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert f"<h1>{heading}</h1>" in html
    assert 'class="site-nav"' in html  # the site's layout, not a bare page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, language, heading",
    [("/no-such-page/", "en", "Page not found"), ("/hi/no-such-page/", "hi", "पेज नहीं मिला")],
)
def test_a_missing_page(client, path, language, heading):
    assert_site_page(client.get(path), 404, language, heading)


@pytest.mark.django_db
def test_a_missing_api_path_is_json(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert set(response.json()) == {"detail"}


@pytest.mark.django_db
def test_a_page_the_reader_may_not_see(client):
    client.force_login(UserFactory())
    assert_site_page(client.get("/hi/moderation/"), 403, "hi", "अनुमति नहीं है")


def test_an_unexpected_error():
    request = RequestFactory().get("/hi/about/")
    with translation.override("hi"):
        try:
            raise ValueError("a bug")
        except ValueError:
            response = server_error(request)
    assert_site_page(response, 500, "hi", "कुछ गड़बड़ हो गई")


@pytest.mark.django_db
def test_redis_away_is_503_with_retry_after_then_recovers(own_redis):
    client = Client(raise_request_exception=False)
    assert client.get("/").status_code == 200
    own_redis.stop()
    for path, language, heading in [
        ("/", "en", "Briefly unavailable"),
        ("/hi/deployments/", "hi", "कुछ देर के लिए उपलब्ध नहीं"),
    ]:
        response = client.get(path)
        assert_site_page(response, 503, language, heading)
        assert response["Retry-After"] == "30"
    response = client.get("/api/v1/deployments/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {
        "detail": "The service is briefly unavailable. Please try again in a minute."
    }
    own_redis.start()
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/deployments/").status_code == 200


@pytest.mark.django_db
def test_a_form_sent_without_its_token():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/hi/accounts/login/", {"login": "a@example.org", "password": "x"})
    assert_site_page(response, 403, "hi", "फ़ॉर्म भेजा नहीं जा सका")
