"""How allauth creates accounts here: a random username, so nothing derived from the
e-mail address (allauth's default) can ever reach a page; and its mails (confirmation,
password reset, notices) go through the site's mail queue like every other."""

import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

from tracker.mail import mail_queue


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        mail_queue(messages=[self.render_mail(template_prefix, email, ctx)])

    def populate_username(self, request, user):
        user.username = "user-" + secrets.token_hex(6)
