"""/api/v1/rti-requests/<id>/events/: what happened next, recorded from a program.

Token authentication only, like the submissions endpoint. The request's owner
proposes (the answer is the pending submission, 202), a moderator records at
once (the event, 201): the same service and form as the site's page
(``moderation.rti_events``), so the order rules and their messages are the
lifecycle's, each naming its field. Documents travel as multipart ``documents``
files beside a JSON ``payload``.
"""

import json

from django.http import Http404
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from moderation.rti_events import RTIEventProposalForm, rti_event_submit
from moderation.services import SubmissionRefused
from tracker.clients import client_address
from tracker.models import RTIEventKind, RTIOutcome, RTIRequest

from .authentication import ThrottledTokenAuthentication
from .errors import FIELD_ERRORS
from .submissions import ERROR, SubmissionOut, refusal_response, submissions_out


class RTIEventIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RTIEventKind.choices, help_text="What happened.")
    date = serializers.CharField(help_text="When it happened (YYYY-MM-DD).")
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text="A note, shown publicly."
    )
    outcome = serializers.ChoiceField(
        choices=RTIOutcome.choices, required=False, help_text="For a reply: what it decided."
    )
    exemption_sections = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="For a refusal: the exemption sections cited, e.g. 8(1)(g), 8(1)(j).",
    )
    amount = serializers.CharField(required=False, allow_blank=True, help_text="Rupees, for a fee.")


class RTIEventOut(serializers.Serializer):
    id = serializers.IntegerField(help_text="The event's id.")
    kind = serializers.CharField(help_text="What happened.")
    date = serializers.DateField(help_text="When it happened.")
    proposed = serializers.BooleanField(help_text="True while a moderator has not accepted it.")


class RTIEventsView(APIView):
    authentication_classes = [ThrottledTokenAuthentication]
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        summary="Record what happened to an RTI request",
        parameters=[
            OpenApiParameter(
                "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The request's id."
            )
        ],
        request={
            "application/json": RTIEventIn,
            "multipart/form-data": inline_serializer(
                "RTIEventWithDocuments",
                {
                    "payload": serializers.CharField(help_text="The event as JSON."),
                    "documents": serializers.ListField(
                        child=serializers.FileField(),
                        required=False,
                        help_text="PDF, PNG or JPEG files, at most 5.",
                    ),
                },
            ),
        },
        responses={
            201: RTIEventOut,
            202: SubmissionOut,
            400: FIELD_ERRORS,
            401: OpenApiResponse(ERROR),
            403: OpenApiResponse(ERROR),
            404: OpenApiResponse(ERROR),
            429: OpenApiResponse(ERROR),
        },
    )
    def post(self, request, id):  # noqa: A002 (the path's name, as the schema says)
        rti_request = RTIRequest.objects.filter(pk=id).first()
        if rti_request is None:
            raise Http404("No RTI request with this id.")
        data = request.data
        if request.content_type.startswith("multipart/"):
            try:
                data = json.loads(request.data.get("payload", ""))
            except ValueError:
                data = None
        if not isinstance(data, dict):
            return Response(
                {"payload": ["Send the event as a JSON object."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        fields = {k: "" if v is None else str(v) for k, v in data.items() if k != "documents"}
        form = RTIEventProposalForm(
            data=fields, files=request.FILES or None, rti_request=rti_request
        )
        try:
            event, submission = rti_event_submit(
                user=request.user,
                client=client_address(request),
                rti_request=rti_request,
                form=form,
                language=get_language() or "en",
            )
        except SubmissionRefused as error:
            # Refused here means: not the request's owner nor a moderator.
            return refusal_response(error, form, conflict=status.HTTP_403_FORBIDDEN)
        if submission is not None:
            return Response(
                submissions_out(submission, request, many=False), status=status.HTTP_202_ACCEPTED
            )
        return Response(
            {"id": event.pk, "kind": event.kind, "date": event.date, "proposed": False},
            status=status.HTTP_201_CREATED,
        )
