"""Every confirmed account is a volunteer."""

from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from .roles import Role, role_grant


@receiver(email_confirmed)
def volunteer_on_confirmation(request, email_address, **kwargs):
    role_grant(user=email_address.user, role=Role.VOLUNTEER)
