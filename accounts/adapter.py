"""How allauth creates accounts here: a random username, so nothing derived from the
e-mail address (allauth's default) can ever reach a page, and people are named by their
public display name; its mails (confirmation, password reset, notices) go through the
site's mail queue like every other; and a sign-in refused for too many failures says how
long to wait."""

import math
import secrets
import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tracker.clients import client_address
from tracker.mail import mail_queue

LOGIN_FAILED = "login_failed"


def user_display(user) -> str:
    """How allauth's pages and messages name someone: the public display name."""
    return user.first_name or _("volunteer")


def rate_wait_seconds(history: list[float], *, amount: int, duration: float, now: float) -> float:
    """How long until one more attempt fits a rate of ``amount`` per ``duration`` seconds,
    given the attempts' times, newest first (allauth's record); 0 if it fits now."""
    recent = [moment for moment in history if moment > now - duration]
    if len(recent) < amount:
        return 0.0
    return recent[amount - 1] + duration - now


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        mail_queue(messages=[self.render_mail(template_prefix, email, ctx)])

    def get_client_ip(self, request):
        """The address allauth's limits count by: the client, not the proxy in front."""
        return client_address(request)

    def populate_username(self, request, user):
        user.username = "user-" + secrets.token_hex(6)

    def pre_authenticate(self, request, **credentials):
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            raise ValidationError(
                self.login_wait_message(request, **credentials), code="too_many_login_attempts"
            ) from None

    def login_wait_message(self, request, **credentials) -> str:
        """ "Too many failed sign-ins", with the minutes until the limits allow one more."""
        now = time.time()
        key = self._get_login_attempts_cache_key(request, **credentials)
        wait = 0.0
        for rate in ratelimit.parse_rates(settings.ACCOUNT_RATE_LIMITS.get(LOGIN_FAILED)):
            cache_key = ratelimit.get_cache_key(
                request, app="allauth.account", action=LOGIN_FAILED, rate=rate, key=key
            )
            history = cache.get(cache_key) or []
            wait = max(
                wait,
                rate_wait_seconds(history, amount=rate.amount, duration=rate.duration, now=now),
            )
        minutes = max(1, math.ceil(wait / 60))
        return ngettext(
            "Too many failed sign-in attempts. Try again in %(minutes)d minute.",
            "Too many failed sign-in attempts. Try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
