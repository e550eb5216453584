"""People: accounts with a role, and a client signed in as one of them.

- ``person``: a confirmed account (verified e-mail, ``PASSWORD``) with an optional role.
- ``signed_in``: a test client with that person's session.
- Fixtures ``volunteer``, ``other_volunteer``, ``moderator``, ``administrator``.

The suite hashes passwords with a fast hasher (``tests/conftest.py``); the roles' groups
come back after a transactional test emptied them (``reference_data`` there).
"""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

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


@pytest.fixture
def volunteer(db):
    return person("ravi", "Ravi K", Role.VOLUNTEER, email="ravi.private@example.org")


@pytest.fixture
def other_volunteer(db):
    return person("meena", "Meena", Role.VOLUNTEER, email="meena.private@example.org")


@pytest.fixture
def moderator(db):
    return person("asha", "Asha Moderator", Role.MODERATOR, email="asha.private@example.org")


@pytest.fixture
def administrator(db):
    return person("admin-lata", "Lata Admin", Role.ADMINISTRATOR, email="lata@example.org")
