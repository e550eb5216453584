"""How allauth creates accounts here: a random username, so nothing derived from the
e-mail address (allauth's default) can ever reach a page."""

import secrets

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def populate_username(self, request, user):
        user.username = "user-" + secrets.token_hex(6)
