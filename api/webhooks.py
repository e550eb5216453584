"""/api/v1/webhooks/: an account's webhooks and their delivery log (token only).

Thin: validation and every rule live in ``tracker.webhooks.registration``; an
account sees and changes only its own hooks (another account's is a 404).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.exports.datasets import coded
from tracker.models import DeliveryState, Webhook, WebhookDelivery, WebhookEventKind
from tracker.webhooks.delivery import delivery_log
from tracker.webhooks.registration import webhook_delete, webhook_register, webhook_update

from .authentication import ThrottledTokenAuthentication
from .errors import FIELD_ERRORS

ERROR = OpenApiResponse(description="Not signed in with a token, or not your webhook.")
HOOK_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="The id of one of your webhooks."
)


class WebhookSerializer(serializers.ModelSerializer):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEventKind.choices),
        help_text=coded("What to be told of", WebhookEventKind),
    )

    class Meta:
        model = Webhook
        fields = [
            "id",
            "url",
            "events",
            "description",
            "is_active",
            "consecutive_failures",
            "disabled_at",
            "disabled_reason",
            "created_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "id": {"help_text": "The hook's id."},
            "url": {"help_text": "Where deliveries are POSTed."},
            "description": {"help_text": "Your note about the hook."},
            "is_active": {"help_text": "false once disabled (or paused): nothing is sent."},
            "consecutive_failures": {
                "help_text": "Failed tries in a row; at 20 the hook is disabled."
            },
            "disabled_at": {"help_text": "When it was disabled; null while active."},
            "disabled_reason": {"help_text": "Why it was disabled."},
            "created_at": {"help_text": "When it was registered."},
        }


class WebhookIn(serializers.Serializer):
    """What a registration or a change sends; the rules are tracker's."""

    url = serializers.CharField(required=False, help_text="Where to POST, http or https.")
    events = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Event kinds wanted."
    )
    secret = serializers.CharField(
        required=False,
        trim_whitespace=False,
        help_text="16 to 200 characters used to sign deliveries; made for you if left out.",
    )
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="A note for yourself."
    )
    is_active = serializers.BooleanField(
        required=False, help_text="true enables a disabled hook again; false pauses it."
    )


class WebhookCreated(WebhookSerializer):
    secret = serializers.CharField(help_text="The signing secret: shown only now.")

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class AttemptSerializer(serializers.Serializer):
    at = serializers.DateTimeField(help_text="When the try began.")
    http_status = serializers.IntegerField(
        allow_null=True, help_text="The receiver's status; null when it never answered."
    )
    succeeded = serializers.BooleanField(help_text="A 2xx answer within the limits.")
    error = serializers.CharField(help_text="What went wrong; empty when it succeeded.")
    duration_ms = serializers.IntegerField(help_text="How long the try took.")


class DeliverySerializer(serializers.ModelSerializer):
    state = serializers.ChoiceField(
        choices=DeliveryState.choices,
        help_text=coded("What became of it (pending: another try is due)", DeliveryState),
    )
    event_id = serializers.UUIDField(
        source="event.uuid", help_text="The event's id (X-Panoptic-Delivery)."
    )
    kind = serializers.CharField(source="event.kind", help_text="The event's kind.")
    body = serializers.CharField(source="event.body", help_text="The JSON body sent.")
    tries = AttemptSerializer(
        many=True, source="prefetched_tries", help_text="Every try, oldest first."
    )

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event_id",
            "kind",
            "state",
            "attempts",
            "next_attempt_at",
            "last_status",
            "last_error",
            "delivered_at",
            "created_at",
            "body",
            "tries",
        ]
        extra_kwargs = {
            "id": {"help_text": "The delivery's id."},
            "attempts": {"help_text": "Tries made."},
            "next_attempt_at": {"help_text": "When the next try is due; null when done."},
            "last_status": {"help_text": "The last try's HTTP status, if any."},
            "last_error": {"help_text": "The last try's error, if any."},
            "delivered_at": {"help_text": "When it was delivered; null until then."},
            "created_at": {"help_text": "When the event happened."},
        }


def _data(request):
    serializer = WebhookIn(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _refused(error: DjangoValidationError):
    raise ValidationError(error.message_dict)


class OwnWebhooksMixin:
    authentication_classes = [ThrottledTokenAuthentication]
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]

    def own(self, request, pk):
        return get_object_or_404(Webhook, pk=pk, owner=request.user)


class WebhookListView(OwnWebhooksMixin, APIView):
    @extend_schema(
        summary="Your webhooks",
        responses={200: WebhookSerializer(many=True), 401: ERROR, 403: ERROR},
    )
    def get(self, request):
        hooks = Webhook.objects.filter(owner=request.user).order_by("id")
        return Response(WebhookSerializer(hooks, many=True).data)

    @extend_schema(
        summary="Register a webhook",
        description="At most 5 per account. The URL must be public http(s) on an allowed port.",
        request=WebhookIn,
        responses={201: WebhookCreated, 400: FIELD_ERRORS, 401: ERROR, 403: ERROR},
    )
    def post(self, request):
        data = _data(request)
        try:
            hook = webhook_register(
                owner=request.user,
                url=data.get("url", ""),
                events=data.get("events", []),
                secret=data.get("secret"),
                description=data.get("description", ""),
            )
        except DjangoValidationError as error:
            _refused(error)
        return Response(WebhookCreated(hook).data, status=status.HTTP_201_CREATED)


class WebhookDetailView(OwnWebhooksMixin, APIView):
    @extend_schema(
        summary="One of your webhooks",
        parameters=[HOOK_ID],
        responses={200: WebhookSerializer, 401: ERROR, 403: ERROR, 404: ERROR},
    )
    def get(self, request, pk):
        return Response(WebhookSerializer(self.own(request, pk)).data)

    @extend_schema(
        summary="Change a webhook, or enable it again",
        parameters=[HOOK_ID],
        request=WebhookIn,
        responses={200: WebhookSerializer, 400: FIELD_ERRORS, 401: ERROR, 403: ERROR, 404: ERROR},
    )
    def patch(self, request, pk):
        hook = self.own(request, pk)
        data = _data(request)
        try:
            hook = webhook_update(
                webhook=hook,
                active=data.get("is_active"),
                url=data.get("url"),
                events=data.get("events"),
                secret=data.get("secret"),
                description=data.get("description"),
            )
        except DjangoValidationError as error:
            _refused(error)
        return Response(WebhookSerializer(hook).data)

    @extend_schema(
        summary="Remove a webhook",
        parameters=[HOOK_ID],
        responses={204: None, 401: ERROR, 403: ERROR, 404: ERROR},
    )
    def delete(self, request, pk):
        webhook_delete(webhook=self.own(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookDeliveriesView(OwnWebhooksMixin, APIView):
    @extend_schema(
        summary="A webhook's delivery log",
        parameters=[HOOK_ID],
        description="Its latest 100 deliveries, newest first, each with every try.",
        responses={200: DeliverySerializer(many=True), 401: ERROR, 403: ERROR, 404: ERROR},
    )
    def get(self, request, pk):
        hook = self.own(request, pk)
        return Response(DeliverySerializer(delivery_log(webhook=hook), many=True).data)
