"""Give an account a role (or take it away) from the command line, e.g. the first moderator."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from accounts.roles import Role, role_grant

ROLE_NAMES = {
    "volunteer": Role.VOLUNTEER,
    "moderator": Role.MODERATOR,
    "administrator": Role.ADMINISTRATOR,
}


class Command(BaseCommand):
    help = "Give the account with this e-mail address a role: volunteer, moderator, administrator."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("role", choices=sorted(ROLE_NAMES))
        parser.add_argument("--revoke", action="store_true", help="take the role away instead")

    def handle(self, email, role, revoke, **options):
        users = get_user_model().objects.filter(email__iexact=email.strip())
        if users.count() != 1:
            raise CommandError(f"no single account has the e-mail address {email!r}")
        user = users.get()
        if revoke:
            user.groups.remove(Group.objects.get(name=ROLE_NAMES[role]))
            self.stdout.write(f"{email}: no longer {role}")
        else:
            role_grant(user=user, role=ROLE_NAMES[role])
            self.stdout.write(f"{email}: now {role}")
