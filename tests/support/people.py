"""People: accounts with a role, and a client signed in as one of them.

- ``person``: a confirmed account (verified e-mail, ``PASSWORD``) with an optional role.
- ``signed_in``: a test client with that person's session.
- ``sign_up``: the sign-up form posted as a newcomer would.
- Fixtures ``volunteer``, ``other_volunteer``, ``moderator``, ``administrator``; the
  same people for a data set built once per module: ``person_with_role``.

The suite hashes passwords with a fast hasher (``tests/conftest.py``); the roles' groups
come back after a transactional test emptied them (``reference_data`` there).
"""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from accounts.forms import HONEYPOT
from accounts.roles import Role, role_grant
from tests.factories import UserFactory

PASSWORD = "a long test passphrase 42"


def person(username, display_name, role=None, *, email=None):
    """A confirmed account (verified e-mail) with an optional role and a usable password."""
    user = UserFactory(
        username=username, first_name=display_name, email=email or f"{username}@example.org"
    )
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if role:
        role_grant(user=user, role=role)
    return user


def signed_in(user):
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def sign_up(client=None, email="new.volunteer@example.org", name="Kiran", **extra):
    """Post the sign-up form (with ``PASSWORD``, the honeypot left empty unless ``extra``
    fills it) through ``client``, a fresh one by default."""
    return (client or Client()).post(
        reverse("account_signup"),
        {
            "email": email,
            "display_name": name,
            "password1": PASSWORD,
            "password2": PASSWORD,
            HONEYPOT: "",
            **extra,
        },
    )


# The suite's person for each role: (username, display name, private e-mail address).
ROLE_PEOPLE = {
    Role.VOLUNTEER: ("ravi", "Ravi K", "ravi.private@example.org"),
    Role.MODERATOR: ("asha", "Asha Moderator", "asha.private@example.org"),
    Role.ADMINISTRATOR: ("admin-lata", "Lata Admin", "lata@example.org"),
}


def person_with_role(role):
    """The suite's person for ``role`` (``ROLE_PEOPLE``), for a data set built once per
    module; a test asks for the fixture of the same name."""
    username, name, email = ROLE_PEOPLE[role]
    return person(username, name, role, email=email)


@pytest.fixture
def volunteer(db):
    return person_with_role(Role.VOLUNTEER)


@pytest.fixture
def other_volunteer(db):
    return person("meena", "Meena", Role.VOLUNTEER, email="meena.private@example.org")


@pytest.fixture
def moderator(db):
    return person_with_role(Role.MODERATOR)


@pytest.fixture
def administrator(db):
    return person_with_role(Role.ADMINISTRATOR)
