"""allauth's forms in the site's words and markup (``ACCOUNT_FORMS`` names them).

Each renders like every other form of the site (``tracker.forms.SiteForm``):
labels in sentence case, no placeholders standing in for labels, the error
summary at the top. The sign-up form adds the public display name and the
honeypot. Kept apart from ``accounts.forms`` because allauth's forms module
imports the settings' form classes while it loads.
"""

from allauth.account import forms as allauth
from django import forms
from django.utils.translation import gettext_lazy as _

from tracker.forms import SiteForm

from .forms import DISPLAY_NAME_HELP, HONEYPOT, HoneypotMixin, display_name_clean

LABELS = {
    "login": _("E-mail address"),
    "email": _("E-mail address"),
    "password": _("Password"),
    "oldpassword": _("Current password"),
    "remember": _("Keep me signed in on this device"),
}
NEW_PASSWORD_LABELS = {"password1": _("New password"), "password2": _("New password again")}


class AccountForm(SiteForm):
    """The site's labels, and no placeholders (a hint that vanishes as you type)."""

    labels = LABELS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.pop("placeholder", None)
            if name in self.labels:
                field.label = self.labels[name]


class LoginForm(AccountForm, allauth.LoginForm):
    pass


class SignupForm(AccountForm, HoneypotMixin, allauth.SignupForm):
    labels = {**LABELS, "password1": _("Password"), "password2": _("Password again")}
    field_order = ["email", "display_name", "password1", "password2", HONEYPOT]

    display_name = forms.CharField(
        label=_("Public display name"), max_length=60, help_text=DISPLAY_NAME_HELP
    )

    def clean_display_name(self):
        return display_name_clean(self.cleaned_data["display_name"])

    def custom_signup(self, request, user):
        user.first_name = self.cleaned_data["display_name"]
        user.save(update_fields=["first_name"])


class AddEmailForm(AccountForm, allauth.AddEmailForm):
    pass


class ChangePasswordForm(AccountForm, allauth.ChangePasswordForm):
    labels = {**LABELS, **NEW_PASSWORD_LABELS}


class SetPasswordForm(AccountForm, allauth.SetPasswordForm):
    labels = {**LABELS, **NEW_PASSWORD_LABELS}


class ResetPasswordForm(AccountForm, allauth.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(AccountForm, allauth.ResetPasswordKeyForm):
    labels = {**LABELS, **NEW_PASSWORD_LABELS}


class ReauthenticateForm(AccountForm, allauth.ReauthenticateForm):
    pass
