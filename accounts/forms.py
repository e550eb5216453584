"""Account forms: the honeypot, the public display name and the profile."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from tracker.forms import SiteForm

from .names import display_name_problem

DISPLAY_NAME_HELP = _(
    "Shown publicly next to what you contribute. Not your e-mail address; it may be a "
    "pseudonym. No two people share a name, and you can change it once every 30 days."
)


def display_name_clean(name: str) -> str:
    """A display name as shown: spaces folded, and never an e-mail address."""
    name = " ".join(name.split())
    if "@" in name:
        raise forms.ValidationError(_("A display name cannot contain an e-mail address."))
    return name


# The honeypot's name: one no entry has as a field (an agency has a website), so a real
# value is never mistaken for a bot's, and one a bot is keen to fill.
HONEYPOT = "fax_number"


class HoneypotMixin(SiteForm):
    """A field people never see (hidden by CSS, labelled for screen readers to leave empty);
    bots that fill every field give themselves away. Named so no real form field is
    (an agency has a website)."""

    fax_number = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        template_name="forms/honeypot.html",
    )

    def clean_fax_number(self):
        if self.cleaned_data.get(HONEYPOT):
            raise forms.ValidationError(_("This form could not be accepted."))
        return ""


class ProfileForm(SiteForm, forms.ModelForm):
    first_name = forms.CharField(
        label=_("Public display name"), max_length=60, help_text=DISPLAY_NAME_HELP
    )

    class Meta:
        model = get_user_model()
        fields = ["first_name"]

    def clean_first_name(self):
        name = display_name_clean(self.cleaned_data["first_name"])
        problem = display_name_problem(name=name, user=self.instance)
        if problem:
            raise forms.ValidationError(problem)
        return name
