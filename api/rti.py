"""/api/v1/rti/deadlines/ (the RTI Act's schedule for given facts) and an
authority's RTI figures: thin wrappers over tracker.rti."""

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.models import Agency
from tracker.rti.deadlines import schedule_as_dict
from tracker.rti.forms import DayField, DeadlineQueryForm
from tracker.rti.statistics import rti_authority_statistics

ALLOWED_EXTRA = {"format"}


def _parameter(name, field):
    kind = OpenApiTypes.BOOL
    if isinstance(field, DayField):
        kind = OpenApiTypes.DATE
    elif name == "received_at":
        kind = OpenApiTypes.DATETIME
    return OpenApiParameter(
        name, kind, description=f"{field.label}. {field.help_text or ''}".strip()
    )


DEADLINE_PARAMETERS = [
    _parameter(name, field) for name, field in DeadlineQueryForm.base_fields.items()
]
ERRORS = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Invalid or contradictory input: the body maps each parameter to messages.",
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
            "are a 400 naming the parameter."
        ),
        parameters=DEADLINE_PARAMETERS,
        responses={200: OpenApiTypes.OBJECT, 400: ERRORS},
    )
    def get(self, request):
        unknown = sorted(
            set(request.query_params) - set(DeadlineQueryForm.base_fields) - ALLOWED_EXTRA
        )
        if unknown:
            raise ValidationError({name: ["Unknown parameter."] for name in unknown})
        form = DeadlineQueryForm(request.query_params)
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
        today = timezone.localdate()
        return Response(
            {"agency": agency.pk, **rti_authority_statistics(agency=agency, today=today)}
        )
