"""The deadline question, as one form: the API's /api/v1/rti/deadlines/ and the
public calculator read the same parameters, with the same errors.

Every error is keyed by the parameter it is about, so the API can answer
``400 {"fee_paid_on": ["..."]}`` and the calculator can show it beside the field.
"""

import re
from datetime import date
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from .. import uploads
from ..catalogue.filters import EMPTY_PARAMETER
from ..clock import rti_now, rti_today
from ..forms import SiteForm
from ..models import RTIEvent, RTIEventKind, RTIOutcome
from .deadlines import RTIFacts, rti_schedule
from .holidays import working_calendar
from .laws import RTI_ACT_2005
from .lifecycle import rti_event_validate

FIRST_DAY = date(2005, 10, 12)  # requests under the Act could be made from this day
LAST_DAY = date(2999, 12, 31)
# The years FIRST_DAY to LAST_DAY as patterns, for the API's schema (with the format ``date``
# they admit exactly what DayField does). A moment's date is judged in India's time, so a
# moment written with another offset on the first or last day may fall either side; the
# pattern for moments admits the days between, where every offset lands inside.
_2006_TO_2099 = r"20(0[6-9]|[1-9][0-9])-[0-9]{2}-[0-9]{2}"
DAY_PATTERN = (
    rf"^(2005-1(0-(1[2-9]|[23][0-9])|[12]-[0-9]{{2}})|{_2006_TO_2099}"
    r"|2[1-9][0-9]{2}-[0-9]{2}-[0-9]{2})$"
)
MOMENT_PATTERN = (
    rf"^(2005-1(0-(1[3-9]|[23][0-9])|[12]-[0-9]{{2}})|{_2006_TO_2099}"
    r"|2([1-8][0-9]{2}|9[0-8][0-9]|99[0-8])-[0-9]{2}-[0-9]{2}|2999-(0[0-9]|1[01])-[0-9]{2}"
    r"|2999-12-([0-2][0-9]|30))"
    r"T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
)
SHAPE_OF_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
TRUE = {"true", "1", "yes", "on"}
FALSE = {"false", "0", "no", "off", ""}
YES_NO_WORDS = ("true", "false", "1", "0", "yes", "no", "on", "off")  # as the API takes them


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

    def to_python(self, value):
        if isinstance(value, str) and value and not SHAPE_OF_DAY.fullmatch(value):
            # strptime alone would take 2024-1-5 or a padded value, which the schema refuses
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)

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

    def __init__(self, *args, exact=False, **kwargs):
        """``exact`` (the API): as the schema states it, a parameter given is not blank and
        a yes/no is one of YES_NO_WORDS as written; the calculator's form also sends blank
        fields, and a yes/no there may be in any case."""
        super().__init__(*args, **kwargs)
        self.exact = exact

    def _clean_exactly(self):
        for name, field in self.fields.items():
            if name not in self.data or name in self.errors:
                continue
            value = self.data.get(name)
            if value == "":
                self.add_error(name, EMPTY_PARAMETER)
            elif isinstance(field, YesNoField) and value not in YES_NO_WORDS:
                self.add_error(
                    name,
                    _("Unknown value “%(value)s”: use true or false.") % {"value": value[:40]},
                )

    def clean(self):
        data = super().clean()
        if self.exact:
            self._clean_exactly()
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
            now = rti_now()
            today = rti_today(now=now)
        calendar = working_calendar() if next_working_day else None
        return rti_schedule(self.facts(), today=today, now=now, calendar=calendar)


class MultipleDocumentInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DocumentsField(forms.FileField):
    """Several files at once; each is checked by ``tracker.uploads`` when stored."""

    widget = MultipleDocumentInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > uploads.MAX_ATTACHMENTS:
            raise forms.ValidationError(
                _("Attach at most %(n)d files.") % {"n": uploads.MAX_ATTACHMENTS}
            )
        checked = []
        for upload in files:
            try:
                uploads.attachment_check(upload)
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from None
            checked.append(upload)
        return checked


class RTIEventForm(SiteForm):
    """One event of a request's life, as its owner or a moderator records it. The order
    rules are ``tracker.rti.lifecycle``'s, and each error names its field."""

    kind = forms.ChoiceField(label=_("What happened"), choices=RTIEventKind.choices)
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day it happened (for a reply: the day it reached you)."),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome of the reply"),
        choices=[("", "—"), *RTIOutcome.choices],
        required=False,
        help_text=_("For a reply: what the PIO decided."),
    )
    exemption_sections = forms.CharField(
        label=_("Exemption sections cited"),
        max_length=200,
        required=False,
        help_text=_("For a refusal, e.g. 8(1)(g), 8(1)(j)."),
    )
    amount = forms.DecimalField(
        label=_("Amount (₹)"),
        max_digits=10,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("For a fee asked for or paid."),
    )
    note = forms.CharField(
        label=_("Note"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    documents = DocumentsField(
        label=_("Documents"),
        help_text=_(
            "PDF, PNG or JPEG, up to 5 files. They stay private until a moderator publishes "
            "them (a copy without your address and signature, if needed)."
        ),
    )

    def __init__(self, *args, rti_request, **kwargs):
        super().__init__(*args, **kwargs)
        self.rti_request = rti_request

    def event(self) -> RTIEvent:
        """The event the valid form describes (unsaved)."""
        data = self.cleaned_data
        return RTIEvent(
            rti_request=self.rti_request,
            kind=data["kind"],
            date=data["date"],
            note=data.get("note", ""),
            outcome=data.get("outcome", ""),
            exemption_sections=data.get("exemption_sections", ""),
            amount=data.get("amount"),
        )

    def clean(self):
        data = super().clean()
        if self.errors.keys() & {"kind", "date"}:
            return data
        event = self.event()
        try:
            rti_event_validate(rti_request=self.rti_request, event=event)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        return data

    def record_kwargs(self) -> dict:
        """The valid form as ``rti_event_record``'s arguments."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "day": data["date"],
            "note": data.get("note", ""),
            "outcome": data.get("outcome", ""),
            "exemption_sections": data.get("exemption_sections", ""),
            "amount": data.get("amount"),
            "documents": data.get("documents", []),
        }


class LetterForm(SiteForm):
    """What a letter needs that the site does not store: who writes it, to whom, what
    they ask. The applicant's name and address go into the PDF and nowhere else."""

    kind = forms.ChoiceField(
        label=_("Letter"),
        choices=(
            ("application", _("Application for information (section 6(1))")),
            ("first_appeal", _("First appeal (section 19(1))")),
            ("second_appeal", _("Second appeal to the Information Commission (section 19(3))")),
            ("complaint", _("Complaint to the Information Commission (section 18)")),
        ),
    )
    language = forms.ChoiceField(
        label=_("Language of the letter"), choices=(("en", "English"), ("hi", "हिन्दी"))
    )
    authority = forms.ModelChoiceField(
        label=_("Public authority"),
        queryset=None,
        required=False,
        help_text=_("If it is listed; its PIO's address and its state's fee rules fill in."),
    )
    authority_name = forms.CharField(label=_("Or its name"), max_length=300, required=False)
    pio_address = forms.CharField(
        label=_("The PIO's office address"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Left empty, the letter leaves a marked blank to fill in by hand."),
    )
    state_rules = forms.ChoiceField(
        label=_("Fee rules"),
        required=False,
        choices=(),
        help_text=_("Whose rules set the fee: the Central Government's or a state's."),
    )
    applicant_name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        required=False,
        help_text=_("Printed on the letter only: the site never stores it."),
    )
    applicant_address = forms.CharField(
        label=_("Your postal address"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Printed on the letter only: the site never stores it."),
    )
    library = forms.MultipleChoiceField(
        label=_("Questions from the library"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )
    questions = forms.CharField(
        label=_("Your questions, one per line"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    below_poverty_line = YesNoField(label=_("I am below the poverty line (no fee, section 7(5))"))
    reference_number = forms.CharField(label=_("Reference number"), max_length=100, required=False)
    filed_on = forms.DateField(
        label=_("Filed on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_on = forms.DateField(
        label=_("Received by the authority on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    replied_on = forms.DateField(
        label=_("Reply received on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty if no reply came."),
    )
    outcome = forms.ChoiceField(
        label=_("What the reply said"), choices=[("", "—"), *RTIOutcome.choices], required=False
    )
    first_appeal_filed_on = forms.DateField(
        label=_("First appeal filed on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    first_appeal_decided_on = forms.DateField(
        label=_("First appeal decided on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    grounds = forms.CharField(
        label=_("Grounds"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For an appeal or a complaint: why the decision is wrong."),
    )

    # Dates that must not come before another one (later, earlier).
    ORDER = (
        ("received_on", "filed_on"),
        ("replied_on", "received_on"),
        ("first_appeal_filed_on", "received_on"),
        ("first_appeal_decided_on", "first_appeal_filed_on"),
    )

    def __init__(self, *args, **kwargs):
        from ..catalogue.visibility import public_rows
        from ..models import Agency
        from .fees import FEE_RULES
        from .questions import QUESTIONS

        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = public_rows(Agency).order_by("name")
        self.fields["state_rules"].choices = [("", _("From the authority"))] + [
            (code, rules.name) for code, rules in FEE_RULES.items()
        ]
        self.fields["library"].choices = [(q.key, q.topic) for q in QUESTIONS]

    def clean(self):
        data = super().clean()
        for later, earlier in self.ORDER:
            if data.get(later) and data.get(earlier) and data[later] < data[earlier]:
                self.add_error(
                    later,
                    _("This date is before the %(other)s.")
                    % {"other": str(self.fields[earlier].label).lower()},
                )
        if data.get("first_appeal_decided_on") and not data.get("first_appeal_filed_on"):
            if "first_appeal_decided_on" not in self.errors:
                self.add_error(
                    "first_appeal_decided_on",
                    _("A first appeal can only be decided after it was filed."),
                )
        lines = [line.strip() for line in (data.get("questions") or "").splitlines()]
        if len([line for line in lines if line]) > 30:
            self.add_error("questions", _("Ask at most 30 questions in one letter."))
        return data

    def letter(self, base=None):
        """The ``Letter`` the valid form describes, over ``base`` (a request's letter)."""
        from .fees import FEE_RULES, fee_rules_for
        from .letters import Letter, letter_authority
        from .questions import QUESTIONS_BY_KEY

        data = self.cleaned_data
        letter = base or Letter(kind=data["kind"])
        letter.kind, letter.language = data["kind"], data["language"]
        if data.get("authority") is not None:
            for name, value in letter_authority(data["authority"]).items():
                setattr(letter, name, value)
        if data.get("authority_name"):
            letter.authority_name = data["authority_name"]
        if data.get("pio_address"):
            letter.pio_address = data["pio_address"]
        if data.get("state_rules"):
            letter.rules = FEE_RULES[data["state_rules"]]
        elif base is None and data.get("authority") is None:
            letter.rules = fee_rules_for(None)
        letter.applicant_name = data.get("applicant_name", "")
        letter.applicant_address = data.get("applicant_address", "")
        letter.below_poverty_line = data.get("below_poverty_line", False)
        picked = [QUESTIONS_BY_KEY[key].text(letter.language) for key in data.get("library", [])]
        typed = [line.strip() for line in (data.get("questions") or "").splitlines()]
        questions = picked + [line for line in typed if line]
        if questions or base is None:
            letter.questions = questions
        if data.get("grounds"):
            letter.grounds = data["grounds"]
        if base is None:
            self._typed_dates(letter)
        return letter

    def _typed_dates(self, letter):
        """A letter written outside a request: its dates, and the deadlines they give."""
        data = self.cleaned_data
        letter.reference_number = data.get("reference_number", "")
        letter.filed_on, letter.received_on = data.get("filed_on"), data.get("received_on")
        letter.replied_on, letter.outcome = data.get("replied_on"), data.get("outcome", "")
        letter.first_appeal_filed_on = data.get("first_appeal_filed_on")
        letter.first_appeal_decided_on = data.get("first_appeal_decided_on")
        received = letter.received_on or letter.filed_on
        if received is None:
            return
        schedule = rti_schedule(
            RTIFacts(
                received_on=received,
                reply_received_on=letter.replied_on,
                first_appeal_filed_on=letter.first_appeal_filed_on,
                first_appeal_decided_on=letter.first_appeal_decided_on,
            ),
            today=rti_today(),
        )

        def due(key):
            deadline = schedule.get(key)
            return deadline.due if deadline else None

        letter.decision_due_on = due("decision")
        letter.first_appeal_due_on = due("first_appeal")
        letter.first_appeal_decision_due_on = due("first_appeal_decision")
        letter.second_appeal_due_on = due("second_appeal")


class CampaignForm(SiteForm):
    """One application to many authorities: chosen by state, kind and level, or by hand."""

    title = forms.CharField(label=_("Title"), max_length=200)
    application_text = forms.CharField(
        label=_("Application"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The questions, one per line; the same text goes to every authority."),
    )
    state = forms.ModelChoiceField(
        label=_("State or union territory"), queryset=None, required=False
    )
    kind = forms.ChoiceField(label=_("Kind of authority"), required=False, choices=())
    level = forms.ChoiceField(label=_("Level"), required=False, choices=())
    authorities = forms.ModelMultipleChoiceField(
        label=_("Or choose them by hand"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )

    def __init__(self, *args, **kwargs):
        from ..catalogue.visibility import public_rows
        from ..models import Agency, AgencyKind, AgencyLevel, State

        super().__init__(*args, **kwargs)
        self.fields["state"].queryset = State.objects.order_by("name")
        self.fields["kind"].choices = [("", "—"), *AgencyKind.choices]
        self.fields["level"].choices = [("", "—"), *AgencyLevel.choices]
        self.fields["authorities"].queryset = public_rows(Agency).order_by("name")

    def chosen(self):
        """The published authorities the valid form picks (at most one more than the cap,
        so that too many is seen without reading them all)."""
        from .campaigns import MAX_AUTHORITIES, campaign_authorities

        data = self.cleaned_data
        state = data.get("state")
        return campaign_authorities(
            state=state.pk if state else "",
            kind=data.get("kind", ""),
            level=data.get("level", ""),
            ids=[a.pk for a in data.get("authorities") or []],
        )[: MAX_AUTHORITIES + 1]
