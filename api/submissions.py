"""/api/v1/submissions/: volunteers send proposals from programs, with an API token.

Token authentication only (tokens are made on the profile page), never a
session cookie, so the public read endpoints stay cookie-free. A proposal goes
through the same service as the site's submission pages
(``moderation.services.submission_propose``: the same form, checks and messages)
and lands in the moderation queue; nothing is published from here. The schema
documents each kind's fields from the same forms (``api.schema.document_proposal_fields``).
"""

import json

from django.utils.datastructures import MultiValueDict
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import is_volunteer
from moderation.evidence import MAX_EVIDENCE, URL_REF
from moderation.evidence import PREFIX as EVIDENCE_PREFIX
from moderation.forms import EVIDENCE_PROBLEM, PROPOSAL_FORMS, SOURCE_SLOTS
from moderation.models import EntityType, Submission
from moderation.review import submission_rows
from moderation.services import (
    SubmissionConflict,
    SubmissionDuplicate,
    SubmissionInvalid,
    SubmissionLikelyDuplicate,
    SubmissionRefused,
    SubmissionThrottled,
    submission_propose,
)
from tracker import uploads
from tracker.clients import client_address
from tracker.models import Claim
from tracker.models.evidence import PAGE_MAX, QUOTE_MAX

from .authentication import ThrottledTokenAuthentication
from .errors import FIELD_ERRORS, indexed
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
        help_text="Field values as the submission form names them; see the schema of each kind."
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
    pending_uploads = serializers.ListField(
        child=serializers.CharField(max_length=64),
        required=False,
        max_length=uploads.MAX_ATTACHMENTS,
        help_text="Keys of files kept from a refused send (its 400 lists them): they are "
        "attached without being sent again.",
    )
    confirm_likely_duplicate = serializers.BooleanField(
        default=False,
        help_text="Send even though another volunteer's pending submission looks the same "
        "(without it, such a proposal is a 409 listing them).",
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
    "title": "Its human title: the proposed title or name, or 'Correction: <entry>'.",
    "kind": "new (a new entry) or edit (a correction of a published one).",
    "entity_type": "The kind of entry.",
    "target_id": "The entry corrected, or the entry created once approved.",
    "status": "draft, pending, changes_requested, approved, rejected or withdrawn.",
    "data": "The proposed values (for a correction, only those that change).",
    "sources": "The cited sources, each with url and title.",
    "evidence": "Which source supports which claim: claim, url, quote, page (and remove: "
    "true for evidence a correction takes away).",
    "why": "Why a correction is needed, as the volunteer said (empty for new entries).",
    "reviewer_note": "The moderator's note.",
    "created_at": "When it was created.",
    "submitted_at": "When it was last sent for review.",
    "decided_at": "When a moderator decided.",
}


class AttachmentOut(serializers.Serializer):
    id = serializers.IntegerField(help_text="The attachment's id.")
    name = serializers.CharField(source="original_name", help_text="The file's name as sent.")
    content_type = serializers.CharField(help_text="Its type, read from its content.")
    size = serializers.IntegerField(help_text="Its size in bytes.")


class SubmissionOut(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True, help_text=SUBMISSION_FIELD_HELP["title"])
    attachments = AttachmentOut(
        many=True, read_only=True, help_text="The files stored with it (moderators see them)."
    )
    entry_url = serializers.SerializerMethodField(
        help_text="Once approved, the address of the published entry; otherwise null."
    )

    class Meta:
        model = Submission
        fields = [
            "id",
            "title",
            "kind",
            "entity_type",
            "target_id",
            "status",
            "data",
            "sources",
            "evidence",
            "why",
            "attachments",
            "reviewer_note",
            "entry_url",
            "created_at",
            "submitted_at",
            "decided_at",
        ]
        extra_kwargs = {name: {"help_text": text} for name, text in SUBMISSION_FIELD_HELP.items()}

    def get_entry_url(self, submission) -> str | None:
        live = self.context.get("live_urls", {}).get(submission.pk)
        request = self.context.get("request")
        return request.build_absolute_uri(live) if live and request else None


ERROR = inline_serializer(
    "SubmissionError", {"detail": serializers.CharField(help_text="What went wrong.")}
)
CONFLICT = inline_serializer(
    "SubmissionConflict",
    {
        "detail": serializers.CharField(help_text="What went wrong."),
        "duplicate_of": serializers.IntegerField(
            required=False, help_text="Your pending submission this one repeats."
        ),
        "likely_duplicates": serializers.ListField(
            child=serializers.DictField(),
            required=False,
            help_text="Other volunteers' pending submissions that look the same (title, "
            "submitted_at); send again with confirm_likely_duplicate to send anyway.",
        ),
    },
)
# Form field names as the API names them: the source slots are the sources list's items.
SOURCE_FIELDS = {
    **{f"source_url_{n}": n - 1 for n in range(1, SOURCE_SLOTS + 1)},
    **{f"source_title_{n}": n - 1 for n in range(1, SOURCE_SLOTS + 1)},
}


def _form_errors(form):
    errors = {}
    for name, messages in form.errors.get_json_data().items():
        texts = [m["message"] for m in messages if m["message"] != str(EVIDENCE_PROBLEM)]
        if not texts:
            continue
        if name in SOURCE_FIELDS:
            errors.setdefault("sources", {}).setdefault(str(SOURCE_FIELDS[name]), []).extend(texts)
        else:
            errors.setdefault(name if name != "__all__" else "non_field_errors", []).extend(texts)
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


def _value(value):
    return "" if value is None else str(value)


def _form_data(envelope, form_class):
    """The envelope's fields and sources as the submission form reads them: a list is
    several values for a field that takes several, or lines for one that takes text."""
    multiple = {
        name
        for name, field in form_class.base_fields.items()
        if getattr(field.widget, "allow_multiple_selected", False)
    }
    data = MultiValueDict()
    for name, value in envelope["fields"].items():
        if isinstance(value, dict):
            continue
        if isinstance(value, list):
            items = [_value(item) for item in value if not isinstance(item, dict | list)]
            if name in multiple:
                data.setlist(name, items)
            else:
                data[name] = "\n".join(items)
        else:
            data[name] = _value(value)
    for n, source in enumerate(envelope.get("sources", []), start=1):
        data[f"source_url_{n}"] = source["url"]
        data[f"source_title_{n}"] = source.get("title", "")
    items = envelope.get("evidence", [])
    data[f"{EVIDENCE_PREFIX}-TOTAL_FORMS"] = str(len(items))
    data[f"{EVIDENCE_PREFIX}-INITIAL_FORMS"] = "0"
    for n, item in enumerate(items):
        row = f"{EVIDENCE_PREFIX}-{n}-"
        data[row + "claim"] = item["claim"]
        data[row + "source"] = URL_REF + item["source_url"]
        data[row + "quote"] = item.get("quote", "")
        data[row + "page"] = item.get("page", "")
        if item.get("remove"):
            data[row + "DELETE"] = "on"
    return data


def _kept(error):
    return [
        {"key": kept.key, "name": kept.original_name, "size": kept.size}
        for kept in getattr(error, "pending_uploads", [])
    ]


def refusal_response(error, form, *, conflict=status.HTTP_409_CONFLICT):
    """The JSON answer to a refused proposal: the form's errors by field (400), too many
    (429), a repeat or a likely duplicate (409), another conflict (``conflict``), or the
    one field the refusal names (400); with the files kept from this send."""
    kept = _kept(error)
    extra = {"pending_uploads": kept} if kept else {}
    if isinstance(error, SubmissionInvalid):
        return Response({**_form_errors(form), **extra}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(error, SubmissionThrottled):
        return Response({"detail": str(error)}, status=status.HTTP_429_TOO_MANY_REQUESTS)
    if isinstance(error, SubmissionDuplicate):
        body = {"detail": str(error), "duplicate_of": error.first.pk}
        return Response({**body, **extra}, status=status.HTTP_409_CONFLICT)
    if isinstance(error, SubmissionLikelyDuplicate):
        matches = [
            {"title": str(other.title), "submitted_at": other.submitted_at}
            for other in error.matches
        ]
        body = {"detail": str(error), "likely_duplicates": matches}
        return Response({**body, **extra}, status=status.HTTP_409_CONFLICT)
    if isinstance(error, SubmissionConflict):
        return Response({"detail": str(error), **extra}, status=conflict)
    return Response({error.field: [str(error)], **extra}, status=status.HTTP_400_BAD_REQUEST)


def submissions_out(submissions, request, *, many):
    rows = submission_rows(submissions if many else [submissions])
    live = {row.submission.pk: row.live_url for row in rows if row.live_url}
    context = {"request": request, "live_urls": live}
    return SubmissionOut(submissions, many=many, context=context).data


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
        mine = list(
            Submission.objects.filter(volunteer=request.user)
            .prefetch_related("attachments")
            .order_by("-created_at")[:500]
        )
        return Response(submissions_out(mine, request, many=True))

    @extend_schema(
        summary="Send a proposal to the moderation queue",
        description=(
            "The same checks as the site's forms. `fields` holds the values of the kind's "
            "form (each kind's fields are documented below, with the form's own labels and "
            "rules); a correction (`target_id`) sends every field as it should be, only the "
            "values that differ are kept, and `why` is required."
        ),
        # api.schema.document_proposal_fields adds each kind's fields, from its form.
        request={"application/json": SubmissionIn, "multipart/form-data": MULTIPART_IN},
        responses={
            201: SubmissionOut,
            400: FIELD_ERRORS,
            401: OpenApiResponse(ERROR),
            403: OpenApiResponse(ERROR),
            409: OpenApiResponse(CONFLICT),
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
        if not envelope.is_valid():
            raise ValidationError(indexed(envelope.errors))
        entity_type = EntityType(envelope.validated_data["entity_type"])
        target_id = envelope.validated_data.get("target_id")
        form_class = PROPOSAL_FORMS[entity_type]
        form = form_class(
            data=_form_data(envelope.validated_data, form_class),
            files=request.FILES,
            target_id=target_id,
        )
        try:
            submission = submission_propose(
                volunteer=request.user,
                client=client_address(request),
                entity_type=entity_type,
                form=form,
                target_id=target_id,
                draft=envelope.validated_data["draft"],
                language=get_language() or "en",
                pending_keys=envelope.validated_data.get("pending_uploads", []),
                likely_duplicate_confirmed=envelope.validated_data["confirm_likely_duplicate"],
            )
        except SubmissionRefused as error:
            return refusal_response(error, form)
        return Response(submissions_out(submission, request, many=False), status=201)
