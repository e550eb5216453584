"""The first administrator: a username chosen at set-up, an e-mail address, a password shown once.

The username is asked for rather than always ``admin``, so the admin's sign-in
page gives a guesser nothing to start from. The e-mail address is confirmed
from the start, so the administrator can sign in on the site too, reset the
password and receive e-mail (the RTI reminders: the administrator role holds
every permission, so every check passes through the role, not through
``is_superuser`` alone). Nothing happens when an administrator exists
already, so ``make run`` can call this on every start.
"""

import secrets
import sys

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from accounts.roles import Role, role_grant

# The names a guesser tries first at the admin's sign-in.
GUESSABLE_USERNAMES = {"admin", "administrator", "root", "superuser", "sysadmin", "webmaster"}


def _checked_username(username):
    User = get_user_model()
    if username.lower() in GUESSABLE_USERNAMES:
        raise CommandError(
            f"username {username!r} is the first a guesser tries at /admin/: choose another"
        )
    field = User._meta.get_field(User.USERNAME_FIELD)
    try:
        field.run_validators(username)
    except ValidationError as error:
        raise CommandError(f"username {username!r}: {' '.join(error.messages)}") from None
    if not username or len(username) > field.max_length:
        raise CommandError(f"username: give 1 to {field.max_length} characters")
    if User.objects.filter(username__iexact=username).exists():
        raise CommandError(f"username {username!r} is taken")
    return username


def _checked_email(email):
    try:
        validate_email(email)
    except ValidationError:
        raise CommandError(f"{email!r} is not an e-mail address") from None
    taken = get_user_model().objects.filter(email__iexact=email).exists()
    if taken or EmailAddress.objects.filter(email__iexact=email).exists():
        raise CommandError(f"an account with the e-mail address {email!r} exists already")
    return email


class Command(BaseCommand):
    help = (
        "Create the first administrator (username and e-mail address given or asked for), "
        "printing its password once; do nothing when an administrator exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", help="the administrator's username (not 'admin')")
        parser.add_argument("--email", help="the administrator's e-mail address")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="never ask: fail when --username or --email is missing",
        )

    def handle(self, *args, username, email, interactive, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("Administrator account exists (sign in at /admin/).")
            return
        ask = interactive and sys.stdin.isatty()
        if username is None and ask:
            username = input("Administrator's username (not 'admin'): ")
        if email is None and ask:
            email = input("Administrator's e-mail address: ")
        if username is None or email is None:
            raise CommandError("give --username and --email (or run it in a terminal to be asked)")
        username, email = _checked_username(username.strip()), _checked_email(email.strip())
        password = secrets.token_urlsafe(16)
        with transaction.atomic():
            user = User.objects.create_superuser(username=username, email=email, password=password)
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            role_grant(user=user, role=Role.ADMINISTRATOR)
        self.stdout.write(
            self.style.SUCCESS(
                f"Administrator created. Username: {username}  E-mail: {email}  "
                f"Password: {password}\n"
                "This password is shown only once: note it now. Sign in at /admin/ with the "
                "username, or on the site with the e-mail address, and change it there."
            )
        )
