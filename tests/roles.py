"""People for the accounts and moderation tests: one per role, signed in through the site."""

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
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


@pytest.fixture(autouse=True)
def fresh_rate_limits(request, settings):
    """Throttle counters live in the shared cache; each test starts from zero.
    (Also: a fast password hasher, since every test signs people up.)"""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    if request.node.get_closest_marker("django_db") or "transactional_db" in request.fixturenames:
        from django.apps import apps

        from accounts.roles import roles_ensure

        roles_ensure(apps)  # a transactional test before this one flushed the groups
    yield
    cache.clear()


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
