"""Roles follow events: an account becomes a volunteer when it confirms its first address;
administrators are staff."""

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .roles import Role, role_grant


@receiver(email_confirmed)
def volunteer_on_confirmation(request, email_address, **kwargs):
    """Only the account's first confirmed address makes it a volunteer: confirming another
    one later never gives back a role that a moderator or administrator took away."""
    others = EmailAddress.objects.filter(user_id=email_address.user_id, verified=True).exclude(
        pk=email_address.pk
    )
    if not others.exists():
        role_grant(user=email_address.user, role=Role.VOLUNTEER)


@receiver(m2m_changed, sender=get_user_model().groups.through)
def administrators_are_staff(sender, instance, action, pk_set, reverse, **kwargs):
    """Giving the administrator role in the admin also lets the person use the admin."""
    if action != "post_add" or reverse or not pk_set:
        return
    if Group.objects.filter(pk__in=pk_set, name=Role.ADMINISTRATOR).exists() and not (
        instance.is_staff
    ):
        instance.is_staff = True
        instance.save(update_fields=["is_staff"])
