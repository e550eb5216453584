"""The first administrator: a superuser who also holds the administrator role, so every
permission check passes through the role, as for any later administrator."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from accounts.roles import Role, role_grant


class Command(BaseCommand):
    help = "Create an administrator if there is none, printing its password once."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("Administrator account exists (sign in at /admin/).")
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_superuser(username=username, email="", password=password)
        role_grant(user=user, role=Role.ADMINISTRATOR)
        self.stdout.write(
            self.style.SUCCESS(
                f"Administrator created. User: {username}  Password: {password}\n"
                "This password is shown only once: note it now, change it at /admin/."
            )
        )
