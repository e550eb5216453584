"""Account forms: the sign-up's extra fields and the profile."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

DISPLAY_NAME_HELP = _(
    "Shown publicly next to what you contribute. Not your e-mail address; it may be a pseudonym."
)


class HoneypotMixin(forms.Form):
    """A field people never see (hidden by CSS, labelled for screen readers to leave empty);
    bots that fill every field give themselves away."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("This form could not be accepted."))
        return ""


class SignupDetailsForm(HoneypotMixin):
    """Fields allauth's sign-up form adds: the public display name, and the honeypot."""

    display_name = forms.CharField(
        label=_("Public display name"), max_length=60, help_text=DISPLAY_NAME_HELP
    )

    field_order = ["email", "display_name", "password1", "password2", "website"]

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if "@" in name:
            raise forms.ValidationError(_("A display name cannot contain an e-mail address."))
        return name

    def signup(self, request, user):
        user.first_name = self.cleaned_data["display_name"]
        user.save(update_fields=["first_name"])


class ProfileForm(forms.ModelForm):
    first_name = forms.CharField(
        label=_("Public display name"), max_length=60, help_text=DISPLAY_NAME_HELP
    )

    class Meta:
        model = get_user_model()
        fields = ["first_name"]

    def clean_first_name(self):
        name = " ".join(self.cleaned_data["first_name"].split())
        if "@" in name:
            raise forms.ValidationError(_("A display name cannot contain an e-mail address."))
        return name
