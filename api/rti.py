"""/api/v1/rti/deadlines/ (the RTI Act's schedule for given facts) and an
authority's RTI figures: thin wrappers over tracker.rti."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.clock import rti_today
from tracker.models import Agency
from tracker.rti.deadlines import schedule_as_dict
from tracker.rti.forms import (
    DAY_PATTERN,
    MOMENT_PATTERN,
    YES_NO_WORDS,
    DayField,
    DeadlineQueryForm,
)
from tracker.rti.laws import RTI_ACT_2005
from tracker.rti.statistics import rti_authority_statistics

from .errors import PARAMETER_ERRORS


def _parameter(name, field):
    kind, pattern, note, enum = OpenApiTypes.STR, None, "", YES_NO_WORDS
    if isinstance(field, DayField):
        kind, pattern, enum = OpenApiTypes.DATE, DAY_PATTERN, None
        note = "From 2005-10-12 (the RTI Act in full effect) to 2999-12-31."
    elif name == "received_at":
        kind, pattern, enum = OpenApiTypes.DATETIME, MOMENT_PATTERN, None
        note = (
            "Also taken without seconds or offset (then India time). Its date in India "
            "time must be from 2005-10-12 to 2999-12-31."
        )
    description = " ".join(
        part for part in (f"{field.label}.", str(field.help_text or ""), note) if part
    )
    return OpenApiParameter(name, kind, description=description, pattern=pattern, enum=enum)


DEADLINE_PARAMETERS = [
    _parameter(name, field) for name, field in DeadlineQueryForm.base_fields.items()
]
# The rules between parameters, which OpenAPI has no words for, as extensions a client
# (and the schema test) can read: received_on or received_at is required; received_at's
# date in India time is received_on (which it gives when received_on is absent); a
# parameter is not before another; a parameter needs another.
DEADLINE_RULES = {
    "x-required-one-of": [["received_on", "received_at"]],
    "x-same-day": [
        {"moment": "received_at", "day": "received_on", "time_zone": RTI_ACT_2005.time_zone}
    ],
    "x-not-before": [
        {"parameter": later, "not_before": earlier}
        for earlier, later, _message in DeadlineQueryForm.ORDER
    ],
    "x-requires": [
        {"parameter": later, "requires": earlier}
        for later, earlier, _message in DeadlineQueryForm.NEEDS
    ],
}
DEADLINES = inline_serializer(
    "RTIDeadline",
    many=True,
    help_text="Every deadline that applies, in the order of the Act.",
    fields={
        "key": serializers.CharField(
            help_text="transfer, decision, first_appeal, first_appeal_decision, "
            "first_appeal_decision_extended or second_appeal."
        ),
        "label": serializers.CharField(help_text="What is due, in plain English."),
        "party": serializers.CharField(
            help_text="Who must act: authority (it owes this) or applicant (may act until then)."
        ),
        "due": serializers.DateField(
            allow_null=True, help_text="The last day (India); null while the clock is paused."
        ),
        "due_at": serializers.DateTimeField(
            allow_null=True, help_text="For the 48 hours of life or liberty: the moment, +05:30."
        ),
        "calendar_due": serializers.DateField(
            allow_null=True,
            help_text="With next_working_day: the calendar-day date, when it was moved.",
        ),
        "section": serializers.CharField(help_text="The RTI Act's section(s) setting it."),
        "done_on": serializers.DateField(
            allow_null=True, help_text="When what it asks for happened, if it did."
        ),
        "state": serializers.CharField(
            help_text="As of today: met, late, done, pending, overdue, expired, paused, closed."
        ),
    },
)
SCHEDULE = inline_serializer(
    "RTISchedule",
    {
        "law": serializers.CharField(help_text="The law applied."),
        "today": serializers.DateField(help_text="The day the states are judged by."),
        "flags_used": serializers.ListField(
            child=serializers.CharField(), help_text="The rules that shaped the dates."
        ),
        "deadlines": DEADLINES,
        "paused_since": serializers.DateField(
            allow_null=True, help_text="A further fee asked and not yet paid since (s.7(3)(a))."
        ),
        "deemed_refused_from": serializers.CharField(
            allow_null=True,
            help_text="Date (or, for 48 hours, date-time) from which no decision is a refusal.",
        ),
        "deemed_refusal_section": serializers.CharField(help_text="7(2)."),
        "deemed_refused": serializers.BooleanField(help_text="As of today."),
        "overdue": serializers.BooleanField(
            help_text="As of today, the authority owes something past its deadline."
        ),
        "overdue_since": serializers.DateTimeField(
            allow_null=True, help_text="When it became (or will become) overdue if nothing happens."
        ),
        "next_deadline": serializers.CharField(
            allow_null=True, help_text="Key of the earliest deadline still open."
        ),
        "next_working_day": serializers.BooleanField(help_text="Whether the option was used."),
    },
)


class RTIDeadlinesView(APIView):
    """Every deadline of the RTI Act 2005 for the facts given, each with its section."""

    renderer_classes = [JSONRenderer]

    @extend_schema(
        summary="RTI deadlines",
        description=(
            "Computes the schedule of the RTI Act 2005 (calendar days, day of receipt "
            "excluded; 48 hours for life or liberty, in India time). Each deadline has its "
            "due date (ISO 8601), the section that sets it, who owes it (authority or "
            "applicant) and its state as of `today`: met, late, done, pending, overdue, "
            "expired, paused. Unknown parameters, impossible dates and contradictory facts "
            "are a 400 naming the parameter. The rules between parameters are stated in the "
            "extensions x-required-one-of, x-same-day, x-not-before and x-requires."
        ),
        parameters=DEADLINE_PARAMETERS,
        extensions=DEADLINE_RULES,
        responses={200: SCHEDULE, 400: PARAMETER_ERRORS},
    )
    def get(self, request):
        form = DeadlineQueryForm(request.query_params, exact=True)
        if not form.is_valid():
            raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
        schedule = form.schedule()
        return Response(
            {
                **schedule_as_dict(schedule),
                "next_working_day": form.cleaned_data["next_working_day"],
            }
        )


class AgencyRTIStatisticsView(APIView):
    """How one published authority answers RTI requests whose deadline has passed."""

    renderer_classes = [JSONRenderer]

    @extend_schema(
        summary="An authority's RTI figures",
        description=(
            "Requests whose decision deadline has passed: how many, answered in time, "
            "answered late, deemed refused (no reply), the median days from receipt to "
            "reply, and refusals by exemption section cited."
        ),
        parameters=[
            OpenApiParameter(
                "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The agency's stable id."
            )
        ],
        responses={200: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    def get(self, request, id):
        agency = Agency.objects.published().filter(pk=id).first()
        if agency is None:
            raise Http404("No published agency with this id.")
        today = rti_today()
        return Response(
            {"agency": agency.pk, **rti_authority_statistics(agency=agency, today=today)}
        )
