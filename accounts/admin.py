"""The admin's account pages check display names like the site does: unique whatever the
capitals or accents (administrators may rename at any time)."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm

from .forms import display_name_clean
from .names import display_name_problem


class AccountChangeForm(UserChangeForm):
    def clean_first_name(self):
        name = display_name_clean(self.cleaned_data.get("first_name") or "")
        problem = name and display_name_problem(name=name, user=self.instance, limit_renames=False)
        if problem:
            raise forms.ValidationError(problem)
        return name


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    form = AccountChangeForm
