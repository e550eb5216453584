"""Every migrate brings the role groups up to their grants, so a permission added to a
role reaches a running site's groups; a permission given by hand stays."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from accounts.roles import Role
from tracker import permissions

pytestmark = pytest.mark.django_db


def test_migrate_restores_a_missing_grant_and_keeps_a_hand_given_one():
    moderators = Group.objects.get(name=Role.MODERATOR)
    app, codename = permissions.SOURCE_REVIEW.split(".")
    review = Permission.objects.get(content_type__app_label=app, codename=codename)
    extra = Permission.objects.get(content_type__app_label="tracker", codename="change_source")
    moderators.permissions.remove(review)
    moderators.permissions.add(extra)
    Group.objects.filter(name=Role.VOLUNTEER).delete()

    call_command("migrate", verbosity=0)

    held = set(moderators.permissions.values_list("codename", flat=True))
    assert {"review_source", "change_source"} <= held
    assert (
        Group.objects.get(name=Role.VOLUNTEER)
        .permissions.filter(codename="add_submission")
        .exists()
    )
