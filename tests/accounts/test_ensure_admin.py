"""ensure_admin: the first administrator, with a chosen username and a confirmed e-mail
address, who can sign in both at /admin/ and on the site; its password is printed once."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from tests.factories import UserFactory


def ensure_admin(*args):
    out = io.StringIO()
    call_command("ensure_admin", *args, stdout=out)
    return out.getvalue()


def printed_password(output):
    return re.search(r"Password: (\S+)", output).group(1)


@pytest.mark.django_db
def test_the_administrator_signs_in_at_the_admin_and_on_the_site():
    output = ensure_admin("--username", "asha-ops", "--email", "ops@example.org")
    assert "Username: asha-ops  E-mail: ops@example.org" in output
    password = printed_password(output)
    admin = get_user_model().objects.get(username="asha-ops")
    assert admin.is_superuser and admin.is_staff and admin.email == "ops@example.org"
    # Every permission through the role too, as for any later administrator.
    assert admin.groups.filter(name=Role.ADMINISTRATOR).exists()

    assert Client().login(username="asha-ops", password=password)
    site = Client()
    response = site.post(
        reverse("account_login"), {"login": "ops@example.org", "password": password}
    )
    assert response.status_code == 302
    assert site.get(reverse("accounts:profile")).status_code == 200

    # Once made, never again, and the password is never shown again.
    again = ensure_admin("--username", "someone", "--email", "someone@example.org")
    assert again.strip() == "Administrator account exists (sign in at /admin/)."
    assert get_user_model().objects.filter(is_superuser=True).count() == 1


@pytest.mark.django_db
def test_asked_for_in_a_terminal(monkeypatch):
    answers = iter(["ravi-admin", "ravi@example.org"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    output = ensure_admin()
    assert "Username: ravi-admin  E-mail: ravi@example.org" in output


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, error",
    [
        ((), "give --username and --email (or run it in a terminal to be asked)"),
        (("--username", "ops"), "give --username and --email"),
        (("--username", "ops", "--email", "not-an-address"), "is not an e-mail address"),
        (("--username", "bad name!", "--email", "ops@example.org"), "username 'bad name!'"),
        (("--username", "taken", "--email", "ops@example.org"), "username 'taken' is taken"),
        (("--username", "ops", "--email", "used@example.org"), "exists already"),
        (("--username", "Admin", "--email", "ops@example.org"), "the first a guesser tries"),
        (("--username", "root", "--email", "ops@example.org"), "the first a guesser tries"),
    ],
)
def test_bad_input_is_one_clear_error_and_creates_nothing(args, error):
    UserFactory(username="taken", email="used@example.org")
    with pytest.raises(CommandError, match=re.escape(error)):
        ensure_admin("--no-input", *args)
    assert not get_user_model().objects.filter(is_superuser=True).exists()
