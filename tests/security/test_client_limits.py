"""Findings 1 and 2: every sign-in and token limit counts per client, behind proxies too.

Behind the documented nginx every request comes from the proxy's address; the
client is the address the proxy writes into X-Forwarded-For (API_NUM_PROXIES).
"""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.roles import Role
from tests.support.people import PASSWORD, person

NGINX = "127.0.0.1"


def behind_proxy(client_ip):
    """What gunicorn sees of a client behind the one documented nginx."""
    return {"REMOTE_ADDR": NGINX, "HTTP_X_FORWARDED_FOR": client_ip}


@pytest.fixture
def one_proxy(settings):
    settings.NUM_PROXIES = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}


@pytest.fixture
def admin_user(db):
    user = person("chosen-admin", "Admin", Role.ADMINISTRATOR, email="root@example.org")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def admin_sign_in(client, username, password, **extra):
    return client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}, **extra
    )


# 1. The admin's sign-in


@pytest.mark.django_db
def test_admin_sign_in_is_locked_after_failures_even_with_the_right_password(admin_user):
    client = Client()
    statuses = [admin_sign_in(client, "chosen-admin", f"guess {n}").status_code for n in range(5)]
    # The form with its error, then 429 from the failure that reaches the limit.
    assert statuses == [200, 200, 200, 200, 429]
    locked = admin_sign_in(client, "chosen-admin", PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_admin_sign_in_failures_count_by_username_from_any_address(admin_user):
    for n in range(5):
        admin_sign_in(Client(), "chosen-admin", f"guess {n}", REMOTE_ADDR=f"127.0.0.{n + 10}")
    refused = admin_sign_in(Client(), "chosen-admin", PASSWORD, REMOTE_ADDR="127.0.0.99")
    assert refused.status_code == 429


@pytest.mark.django_db
def test_admin_sign_in_failures_count_per_client_behind_a_proxy(admin_user, one_proxy):
    guesser = behind_proxy("203.0.113.7")
    for n in range(5):
        admin_sign_in(Client(), f"nobody-{n}", "guess", **guesser)
    assert admin_sign_in(Client(), "nobody-9", "guess", **guesser).status_code == 429
    # The administrator, a different client behind the same proxy, still signs in.
    ok = admin_sign_in(Client(), "chosen-admin", PASSWORD, **behind_proxy("198.51.100.2"))
    assert ok.status_code == 302 and ok["Location"] == "/admin/"


# 2. allauth's limits and the API's token-failure throttle, per client behind a proxy


@pytest.mark.django_db
def test_one_clients_failed_sign_ins_lock_out_only_that_client(one_proxy):
    person("ravi", "Ravi", Role.VOLUNTEER, email="ravi@example.org")
    person("meena", "Meena", Role.VOLUNTEER, email="meena@example.org")
    attacker = Client(**behind_proxy("203.0.113.7"))
    for n in range(11):
        attacker.post(reverse("account_login"), {"login": f"x{n}@example.org", "password": "no"})
    refused = attacker.post(
        reverse("account_login"), {"login": "ravi@example.org", "password": PASSWORD}
    )
    assert refused.status_code in (200, 429)
    assert "_auth_user_id" not in attacker.session
    someone_else = Client(**behind_proxy("198.51.100.2"))
    response = someone_else.post(
        reverse("account_login"), {"login": "meena@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in someone_else.session


@pytest.mark.django_db
def test_sign_ups_are_limited_per_client_behind_a_proxy(one_proxy, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/h/ip"}

    def sign_up(client_ip, n):
        return Client(**behind_proxy(client_ip)).post(
            reverse("account_signup"),
            {
                "email": f"new{n}.{client_ip}@example.org",
                "display_name": f"New {n}",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )

    assert [sign_up("203.0.113.7", n).status_code for n in range(3)] == [302, 302, 429]
    assert sign_up("198.51.100.2", 0).status_code == 302


@pytest.mark.django_db
def test_bad_tokens_do_not_block_valid_tokens_from_the_same_client(settings):
    settings.API_AUTH_FAILURES = "3/min"
    user = person("ravi", "Ravi", Role.VOLUNTEER, email="ravi@example.org")
    token = Token.objects.create(user=user)
    client = Client()
    bad = [
        client.get("/api/v1/deployments/", HTTP_AUTHORIZATION=f"Token wrong{n}").status_code
        for n in range(5)
    ]
    assert bad == [401, 401, 401, 429, 429]
    good = client.get("/api/v1/deployments/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert good.status_code == 200


@pytest.mark.django_db
def test_token_failures_count_per_client_behind_a_proxy(settings, one_proxy):
    settings.API_AUTH_FAILURES = "3/min"
    attacker = Client(**behind_proxy("203.0.113.7"))
    for n in range(4):
        attacker.get("/api/v1/deployments/", HTTP_AUTHORIZATION=f"Token wrong{n}")
    assert attacker.get("/api/v1/deployments/", HTTP_AUTHORIZATION="Token wrong").status_code == 429
    other = Client(**behind_proxy("198.51.100.2"))
    assert other.get("/api/v1/deployments/", HTTP_AUTHORIZATION="Token wrong").status_code == 401


@pytest.mark.django_db
def test_a_forged_forwarded_for_does_not_make_a_new_client(settings, one_proxy):
    """The client may write its own X-Forwarded-For; nginx appends the real address."""
    settings.API_AUTH_FAILURES = "3/min"
    for n in range(4):
        Client().get(
            "/api/v1/deployments/",
            HTTP_AUTHORIZATION="Token wrong",
            **behind_proxy(f"10.9.9.{n}, 203.0.113.7"),
        )
    again = Client().get(
        "/api/v1/deployments/",
        HTTP_AUTHORIZATION="Token wrong",
        **behind_proxy("10.1.1.1, 203.0.113.7"),
    )
    assert again.status_code == 429


@pytest.mark.django_db
def test_the_read_throttle_counts_per_client_behind_a_proxy(settings, one_proxy):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "600/min"},
    }
    reader = Client(**behind_proxy("203.0.113.7"))
    statuses = [reader.get("/api/v1/stats/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert Client(**behind_proxy("198.51.100.2")).get("/api/v1/stats/").status_code == 200
