"""Roles and credentials follow events: an account becomes a volunteer when it confirms its
first address; administrators are staff; a new password ends the account's API token."""

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver
from rest_framework.authtoken.models import Token

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


@receiver(pre_save, sender=get_user_model())
def note_password_change(sender, instance, update_fields=None, **kwargs):
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = sender._base_manager.filter(pk=instance.pk).values_list("password", flat=True)
    instance._password_changed = stored.first() not in (None, instance.password)


@receiver(post_save, sender=get_user_model())
def tokens_end_with_the_password(sender, instance, created, **kwargs):
    """A password changed or reset (on the site, in the admin, by a command) revokes the
    account's API token: whoever took the old password may have taken the token too."""
    if getattr(instance, "_password_changed", False):
        instance._password_changed = False
        Token.objects.filter(user=instance).delete()
