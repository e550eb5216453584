"""The first administrator holds the administrator role, so it passes permission checks
through the role like every later administrator, and running the command again adds none."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_the_first_administrator_has_the_role_and_is_made_once():
    out = StringIO()
    call_command("ensure_admin", "--username", "lata", stdout=out)
    assert "Administrator created. User: lata" in out.getvalue()
    admin = get_user_model().objects.get(username="lata")
    assert admin.is_superuser and admin.is_staff
    assert admin.groups.filter(name=Role.ADMINISTRATOR).exists()

    again = StringIO()
    call_command("ensure_admin", stdout=again)
    assert "exists" in again.getvalue()
    assert get_user_model().objects.count() == 1
