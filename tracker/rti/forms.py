"""The deadline question, as one form: the API's /api/v1/rti/deadlines/ and the
public calculator read the same parameters, with the same errors.

Every error is keyed by the parameter it is about, so the API can answer
``400 {"fee_paid_on": ["..."]}`` and the calculator can show it beside the field.
"""

from datetime import date
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from ..forms import SiteForm
from .deadlines import RTIFacts, rti_schedule
from .holidays import working_calendar
from .laws import RTI_ACT_2005, law_today

FIRST_DAY = date(2005, 10, 12)  # requests under the Act could be made from this day
LAST_DAY = date(2999, 12, 31)
TRUE = {"true", "1", "yes", "on"}
FALSE = {"false", "0", "no", "off", ""}


def _is_yes(value):
    return value is True or str(value).strip().lower() in TRUE


class YesNoCheckbox(forms.CheckboxInput):
    """A checkbox that hands the field the raw value, so a stray value is an error."""

    def __init__(self, attrs=None):
        super().__init__(attrs, check_test=_is_yes)

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class YesNoField(forms.Field):
    """true/false (also 1/0, yes/no, on/off as a checkbox sends); anything else is an error."""

    widget = YesNoCheckbox

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        if isinstance(value, bool):
            return value
        text = str(value if value is not None else "").strip().lower()
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        raise forms.ValidationError(
            _("Unknown value “%(value)s”: use true or false."), params={"value": str(value)[:40]}
        )


class DayField(forms.DateField):
    """A calendar date written YYYY-MM-DD, in the years the Act can apply to."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def __init__(self, **kwargs):
        super().__init__(required=False, input_formats=["%Y-%m-%d"], **kwargs)
        self.error_messages["invalid"] = _(
            "Not a real date: write it as YYYY-MM-DD, e.g. 2024-01-31."
        )

    def validate(self, value):
        super().validate(value)
        if value and not FIRST_DAY <= value <= LAST_DAY:
            raise forms.ValidationError(
                _("Give a date from 12 October 2005, when the RTI Act took full effect.")
            )


class MomentField(forms.CharField):
    """An ISO 8601 date and time; without an offset it is India's time."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"})

    def __init__(self, **kwargs):
        super().__init__(required=False, max_length=40, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            moment = parse_datetime(value.strip())
        except ValueError:
            moment = None
        if moment is None:
            raise forms.ValidationError(
                _("Not a real date and time: write it as YYYY-MM-DDTHH:MM, e.g. 2024-03-01T10:00.")
            )
        india = ZoneInfo(RTI_ACT_2005.time_zone)
        moment = moment.replace(tzinfo=india) if moment.tzinfo is None else moment.astimezone(india)
        if not FIRST_DAY <= moment.date() <= LAST_DAY:
            raise forms.ValidationError(
                _("Give a date from 12 October 2005, when the RTI Act took full effect.")
            )
        return moment


class DeadlineQueryForm(SiteForm):
    received_on = DayField(label=_("Date the public authority received the request"))
    received_at = MomentField(
        label=_("Time it was received"),
        help_text=_("Only needed when it concerns life or liberty (48 hours). India time."),
    )
    via_apio = YesNoField(label=_("It was filed through an Assistant PIO"))
    life_or_liberty = YesNoField(label=_("It concerns someone's life or liberty"))
    third_party = YesNoField(label=_("It concerns information about a third party"))
    security_org = YesNoField(
        label=_(
            "The authority is a security or intelligence organisation and the request is "
            "about human-rights violations"
        )
    )
    transferred_received_on = DayField(
        label=_("If it was transferred: date the new authority received it")
    )
    fee_requested_on = DayField(label=_("If a further fee was asked for: date of that letter"))
    fee_paid_on = DayField(label=_("Date the fee was paid"))
    reply_received_on = DayField(label=_("Date the reply was received"))
    first_appeal_filed_on = DayField(label=_("Date a first appeal was filed"))
    first_appeal_decided_on = DayField(label=_("Date the first appeal was decided"))
    next_working_day = YesNoField(
        label=_("Move due dates from a Sunday or holiday to the next working day")
    )
    today = DayField(label=_("Judge as of this date (default: today in India)"))

    # (earlier, later, message): ``later`` cannot come before ``earlier``.
    ORDER = (
        (
            "received_on",
            "reply_received_on",
            _("A reply cannot come before the request was received."),
        ),
        (
            "received_on",
            "transferred_received_on",
            _("A transfer cannot reach the new authority before the request was received."),
        ),
        (
            "received_on",
            "fee_requested_on",
            _("A fee cannot be asked for before the request was received."),
        ),
        ("fee_requested_on", "fee_paid_on", _("The fee cannot be paid before it was asked for.")),
        (
            "received_on",
            "first_appeal_filed_on",
            _("An appeal cannot come before the request was received."),
        ),
        (
            "first_appeal_filed_on",
            "first_appeal_decided_on",
            _("An appeal cannot be decided before it was filed."),
        ),
    )
    NEEDS = (
        (
            "fee_paid_on",
            "fee_requested_on",
            _("A fee paid needs the date it was asked for (fee_requested_on)."),
        ),
        (
            "first_appeal_decided_on",
            "first_appeal_filed_on",
            _("An appeal decision needs the date the appeal was filed (first_appeal_filed_on)."),
        ),
    )

    def clean(self):
        data = super().clean()
        received_at = data.get("received_at")
        if received_at and not data.get("received_on") and "received_on" not in self.errors:
            data["received_on"] = received_at.date()
        if not data.get("received_on") and not self.errors.keys() & {"received_on", "received_at"}:
            self.add_error(
                "received_on", _("Give the date the public authority received the request.")
            )
        if received_at and data.get("received_on") and received_at.date() != data["received_on"]:
            self.add_error(
                "received_at", _("This time is not on the date of receipt (received_on).")
            )
        for later, earlier, message in self.NEEDS:
            if data.get(later) and not data.get(earlier) and earlier not in self.errors:
                self.add_error(later, message)
        for earlier, later, message in self.ORDER:
            if data.get(earlier) and data.get(later) and data[later] < data[earlier]:
                if later not in self.errors:
                    self.add_error(later, message)
        return data

    def facts(self) -> RTIFacts:
        data = self.cleaned_data
        return RTIFacts(
            received_on=data["received_on"],
            received_at=data.get("received_at"),
            via_apio=data["via_apio"],
            life_or_liberty=data["life_or_liberty"],
            third_party=data["third_party"],
            security_org=data["security_org"],
            transferred_received_on=data.get("transferred_received_on"),
            fee_requested_on=data.get("fee_requested_on"),
            fee_paid_on=data.get("fee_paid_on"),
            reply_received_on=data.get("reply_received_on"),
            first_appeal_filed_on=data.get("first_appeal_filed_on"),
            first_appeal_decided_on=data.get("first_appeal_decided_on"),
        )

    def schedule(self, *, next_working_day=None):
        """The answer for a valid form; ``next_working_day`` overrides the parameter."""
        data = self.cleaned_data
        if next_working_day is None:
            next_working_day = data["next_working_day"]
        today, now = data.get("today"), None
        if today is None:
            now = timezone.now()
            today = law_today(now=now)
        calendar = working_calendar() if next_working_day else None
        return rti_schedule(self.facts(), today=today, now=now, calendar=calendar)
