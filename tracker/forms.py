"""How every form of the site renders and reports its errors (the GOV.UK pattern).

A form that mixes in ``SiteForm`` renders with ``{{ form }}``: each field with
its label marked "(required)" or "(optional)", its help text and its errors
under ids the widget's ``aria-describedby`` names (Django builds that attribute
from the same ``<id>_helptext`` and ``<id>_error``). Any page whose context has a
``form`` with errors (ours, allauth's) gets the error summary at the top of
``<main>`` and a title starting "Error: " from ``base.html``, which calls
``error_summary``; ``js/site.js`` moves focus to the summary, and each of its
links to the field it names.
"""

from dataclasses import dataclass

from django import forms
from django.forms.renderers import TemplatesSetting


class SiteFormRenderer(TemplatesSetting):
    """Django's renderer, with the site's templates for a form and for each field."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class SiteForm(forms.Form):
    """Mix into any form (before ``forms.Form`` or ``forms.ModelForm``)."""

    default_renderer = SiteFormRenderer


@dataclass(frozen=True)
class SummaryItem:
    message: str
    label: str = ""
    target: str = ""  # the id of the input to focus; empty for errors about the whole form


def field_target(bound_field) -> str:
    """The id of the input a link to ``bound_field`` should focus: the first radio or
    checkbox of a group, or the widget itself."""
    if bound_field.is_hidden or not bound_field.auto_id:
        return ""
    if bound_field.field.widget.use_fieldset:
        subwidgets = bound_field.subwidgets
        if subwidgets:
            return subwidgets[0].id_for_label or bound_field.auto_id
    return bound_field.id_for_label or bound_field.auto_id


def error_summary(form) -> list[SummaryItem]:
    """Every error of a bound form, those about the whole form first, then each field's
    in the order the fields are shown."""
    if form is None or not getattr(form, "is_bound", False) or not form.errors:
        return []
    items = [SummaryItem(message=str(message)) for message in form.non_field_errors()]
    for name in form.fields:
        if name not in form.errors:
            continue
        bound = form[name]
        label = "" if bound.is_hidden else str(bound.label or "")
        target = field_target(bound)
        items += [
            SummaryItem(message=str(message), label=label, target=target)
            for message in form.errors[name]
        ]
    return items
