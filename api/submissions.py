"""/api/v1/submissions/: volunteers send proposals from programs, with an API token.

Token authentication only (tokens are made on the profile page), never a
session cookie, so the public read endpoints stay cookie-free. A proposal goes
through the same service as the site's submission pages
(``moderation.services.submission_propose``: the same form, checks and messages)
and lands in the moderation queue; nothing is published from here.
"""

import json

from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import is_volunteer
from moderation.evidence import MAX_EVIDENCE, URL_REF
from moderation.evidence import PREFIX as EVIDENCE_PREFIX
from moderation.forms import EVIDENCE_PROBLEM, PROPOSAL_FORMS, SOURCE_SLOTS
from moderation.models import EntityType, Submission
from moderation.services import (
    SubmissionConflict,
    SubmissionInvalid,
    SubmissionRefused,
    SubmissionThrottled,
    submission_propose,
)
from tracker.clients import client_address
from tracker.models import Claim
from tracker.models.evidence import PAGE_MAX, QUOTE_MAX

from .authentication import ThrottledTokenAuthentication
from .parsers import BoundedJSONParser


class IsVolunteer(BasePermission):
    message = "Only confirmed volunteer accounts may send submissions."

    def has_permission(self, request, view):
        return is_volunteer(request.user)


class SourceIn(serializers.Serializer):
    url = serializers.CharField(max_length=2000, help_text="The source's address (http or https).")
    title = serializers.CharField(
        max_length=500, required=False, allow_blank=True, help_text="Its title."
    )


class EvidenceIn(serializers.Serializer):
    claim = serializers.ChoiceField(choices=Claim.choices, help_text="The claim supported.")
    source_url = serializers.CharField(
        max_length=2000,
        help_text="The supporting source: one of this submission's sources, or (for a "
        "correction) one the entry cites already.",
    )
    quote = serializers.CharField(
        max_length=QUOTE_MAX, required=False, allow_blank=True, help_text="Its words."
    )
    page = serializers.CharField(
        max_length=PAGE_MAX, required=False, allow_blank=True, help_text="Page number(s)."
    )
    remove = serializers.BooleanField(
        default=False, help_text="A correction: take this evidence away from the entry."
    )


class SubmissionIn(serializers.Serializer):
    entity_type = serializers.ChoiceField(
        choices=EntityType.choices, help_text="What kind of entry is proposed."
    )
    target_id = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="The entry corrected, if any."
    )
    fields = serializers.DictField(
        help_text="Field values as the submission form names them (title, lead_agency, "
        "technology, latitude, longitude, ...)."
    )
    sources = SourceIn(
        many=True,
        required=False,
        help_text="Up to 3 sources; at least one, except for an RTI request.",
    )
    evidence = EvidenceIn(
        many=True,
        required=False,
        help_text=f"Which source supports which claim (deployments only; at most {MAX_EVIDENCE}).",
    )
    draft = serializers.BooleanField(
        default=False, help_text="Save as a private draft instead of sending it for review."
    )

    def validate_sources(self, value):
        if len(value) > SOURCE_SLOTS:
            raise serializers.ValidationError(f"At most {SOURCE_SLOTS} sources.")
        return value

    def validate_evidence(self, value):
        if len(value) > MAX_EVIDENCE:
            raise serializers.ValidationError(f"At most {MAX_EVIDENCE} pieces of evidence.")
        return value


SUBMISSION_FIELD_HELP = {
    "id": "The submission's id.",
    "kind": "new (a new entry) or edit (a correction of a published one).",
    "entity_type": "The kind of entry.",
    "target_id": "The entry corrected, or the entry created once approved.",
    "status": "draft, pending, changes_requested, approved, rejected or withdrawn.",
    "data": "The proposed values (for a correction, only those that change).",
    "sources": "The cited sources, each with url and title.",
    "evidence": "Which source supports which claim: claim, url, quote, page (and remove: "
    "true for evidence a correction takes away).",
    "reviewer_note": "The moderator's note.",
    "created_at": "When it was created.",
    "submitted_at": "When it was last sent for review.",
    "decided_at": "When a moderator decided.",
}


class SubmissionOut(serializers.ModelSerializer):
    class Meta:
        model = Submission
        fields = [
            "id",
            "kind",
            "entity_type",
            "target_id",
            "status",
            "data",
            "sources",
            "evidence",
            "reviewer_note",
            "created_at",
            "submitted_at",
            "decided_at",
        ]
        extra_kwargs = {name: {"help_text": text} for name, text in SUBMISSION_FIELD_HELP.items()}


ERROR = inline_serializer(
    "SubmissionError", {"detail": serializers.CharField(help_text="What went wrong.")}
)

# Form field names as the API names them.
FORM_TO_API = {f"source_url_{n}": "sources" for n in range(1, SOURCE_SLOTS + 1)}


def _form_errors(form):
    errors = {}
    for name, messages in form.errors.get_json_data().items():
        key = FORM_TO_API.get(name, name if name != "__all__" else "non_field_errors")
        texts = [m["message"] for m in messages if m["message"] != str(EVIDENCE_PROBLEM)]
        if texts:
            errors.setdefault(key, []).extend(texts)
    formset = getattr(form, "evidence_formset", None)  # forms that take evidence
    if formset is not None and formset.is_bound:
        problems = list(formset.non_form_errors())
        for n, row in enumerate(formset.forms, start=1):
            for name, messages in row.errors.get_json_data().items():
                where = f"item {n}" if name == "__all__" else f"item {n}, {name}"
                problems += [f"{where}: {m['message']}" for m in messages]
        if problems:
            errors["evidence"] = problems
    return errors


MULTIPART_IN = inline_serializer(
    "SubmissionWithAttachments",
    {
        "payload": serializers.CharField(help_text="The submission as JSON (as for JSON bodies)."),
        "attachments": serializers.ListField(
            child=serializers.FileField(),
            required=False,
            help_text="PDF, PNG or JPEG files, at most 10 MB each.",
        ),
    },
)


def _envelope_data(request):
    """The JSON body, or a multipart body's ``payload`` field (attachments travel beside it)."""
    if request.content_type.startswith("multipart/"):
        try:
            return json.loads(request.data.get("payload", ""))
        except (ValueError, RecursionError):
            return None
    return request.data


def _form_data(envelope):
    """The envelope's fields and sources as the submission form names them."""
    form_data = {
        k: "" if v is None else str(v)
        for k, v in envelope["fields"].items()
        if not isinstance(v, dict | list)
    }
    for n, source in enumerate(envelope.get("sources", []), start=1):
        form_data[f"source_url_{n}"] = source["url"]
        form_data[f"source_title_{n}"] = source.get("title", "")
    items = envelope.get("evidence", [])
    form_data[f"{EVIDENCE_PREFIX}-TOTAL_FORMS"] = str(len(items))
    form_data[f"{EVIDENCE_PREFIX}-INITIAL_FORMS"] = "0"
    for n, item in enumerate(items):
        row = f"{EVIDENCE_PREFIX}-{n}-"
        form_data[row + "claim"] = item["claim"]
        form_data[row + "source"] = URL_REF + item["source_url"]
        form_data[row + "quote"] = item.get("quote", "")
        form_data[row + "page"] = item.get("page", "")
        if item.get("remove"):
            form_data[row + "DELETE"] = "on"
    return form_data


class SubmissionsView(APIView):
    authentication_classes = [ThrottledTokenAuthentication]
    permission_classes = [IsAuthenticated, IsVolunteer]
    parser_classes = [BoundedJSONParser, MultiPartParser]

    @extend_schema(
        summary="Your own submissions",
        responses={
            200: SubmissionOut(many=True),
            401: OpenApiResponse(ERROR),
            403: OpenApiResponse(ERROR),
        },
    )
    def get(self, request):
        mine = Submission.objects.filter(volunteer=request.user).order_by("-created_at")[:500]
        return Response(SubmissionOut(mine, many=True).data)

    @extend_schema(
        summary="Send a proposal to the moderation queue",
        request={"application/json": SubmissionIn, "multipart/form-data": MULTIPART_IN},
        responses={
            201: SubmissionOut,
            400: OpenApiResponse(description="The fields that are wrong, each with messages."),
            401: OpenApiResponse(ERROR),
            403: OpenApiResponse(ERROR),
            409: OpenApiResponse(ERROR),
            429: OpenApiResponse(ERROR),
        },
    )
    def post(self, request):
        data = _envelope_data(request)
        if not isinstance(data, dict):
            return Response(
                {"payload": ["Send the submission as a JSON object."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        envelope = SubmissionIn(data=data)
        envelope.is_valid(raise_exception=True)
        entity_type = EntityType(envelope.validated_data["entity_type"])
        form = PROPOSAL_FORMS[entity_type](
            data=_form_data(envelope.validated_data), files=request.FILES
        )
        try:
            submission = submission_propose(
                volunteer=request.user,
                client=client_address(request),
                entity_type=entity_type,
                form=form,
                target_id=envelope.validated_data.get("target_id"),
                draft=envelope.validated_data["draft"],
                language=get_language() or "en",
            )
        except SubmissionRefused as error:
            return refusal_response(error, form)
        return Response(SubmissionOut(submission).data, status=status.HTTP_201_CREATED)


def refusal_response(error: SubmissionRefused, form, *, conflict=status.HTTP_409_CONFLICT):
    """The JSON answer to a refused proposal: the form's errors by field (400), too many
    (429), a conflict (``conflict``), or the one field the refusal names (400)."""
    if isinstance(error, SubmissionInvalid):
        return Response(_form_errors(form), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(error, SubmissionThrottled):
        return Response({"detail": str(error)}, status=status.HTTP_429_TOO_MANY_REQUESTS)
    if isinstance(error, SubmissionConflict):
        return Response({"detail": str(error)}, status=conflict)
    return Response({error.field: [str(error)]}, status=status.HTTP_400_BAD_REQUEST)
