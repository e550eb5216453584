"""The results page of the header's search box: every kind of entry at once, no JS needed."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from ..catalogue.search import MAX_QUERY_LENGTH
from ..catalogue.sitesearch import site_search
from ..middleware import public_page
from .common import no_control_characters


class SiteSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the tracker"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        validators=[no_control_characters],
        error_messages={"max_length": _("Search for at most %(limit_value)d characters.")},
    )


@require_safe
@public_page
def search_results(request):
    form = SiteSearchForm(request.GET)
    valid = form.is_valid()
    q = form.cleaned_data["q"] if valid else ""
    context = {"form": form, "q": q, "results": site_search(q) if q else []}
    context["total"] = sum(found.count for found in context["results"])
    return render(request, "tracker/search.html", context, status=200 if valid else 400)
