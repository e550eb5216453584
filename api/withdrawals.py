"""/api/v1/withdrawals/: the deletions a mirror applies (the sync of withdrawn entries).

A researcher mirroring the data set reads the rows updated since their last sync
(``updated_since`` on each list) and the entries withdrawn since then (here), and
applies both: an id is never in both answers, since a withdrawn entry is on no
list and a restored one is updated again (and withdrawn no more). The detail of a
withdrawn entry answers 410 with the same id, date and reason.
"""

from django import forms
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from tracker.catalogue.filters import EMPTY_PARAMETER, TimestampField
from tracker.catalogue.selectors.tombstones import withdrawals
from tracker.models import EntryType

from .errors import PARAMETER_ERRORS
from .pagination import MAX_OFFSET, MAX_PAGE_SIZE, StrictLimitOffsetPagination
from .schema import TIMESTAMP
from .views import THROTTLED


class WithdrawalsQuery(forms.Form):
    since = TimestampField(required=False)
    type = forms.ChoiceField(choices=EntryType.choices, required=False)


class WithdrawalsPagination(StrictLimitOffsetPagination):
    """Limit and offset as on every list; withdrawals are few, so a page is a plain slice
    of them and the count is counted each time."""

    def paginate_queryset(self, queryset, request, view=None):
        return LimitOffsetPagination.paginate_queryset(self, queryset, request, view)

    def get_count(self, queryset, *, name="api-count"):
        return queryset.count()


class WithdrawalOut(serializers.Serializer):
    type = serializers.ChoiceField(choices=EntryType.choices, help_text="The kind of entry.")
    id = serializers.IntegerField(help_text="The entry's id (as on its list).")
    withdrawn_at = serializers.DateTimeField(help_text="When it was withdrawn.")
    reason = serializers.CharField(help_text="Why, as the moderators made public.")


WITHDRAWAL_PAGE = inline_serializer(
    "WithdrawalPage",
    {
        "count": serializers.IntegerField(help_text="Number of withdrawals matching."),
        "next": serializers.URLField(allow_null=True, help_text="The next page; null last."),
        "previous": serializers.URLField(
            allow_null=True, help_text="The previous page; null first."
        ),
        "results": WithdrawalOut(many=True, help_text="This page's withdrawals, oldest first."),
    },
)


class WithdrawalsView(APIView):
    """Entries withdrawn since a time, oldest withdrawal first: the deletions to apply when
    syncing with ``updated_since``."""

    renderer_classes = [JSONRenderer]
    pagination_class = WithdrawalsPagination

    @extend_schema(
        summary="Withdrawn entries since a time (sync deletions)",
        parameters=[
            OpenApiParameter(
                "since",
                TIMESTAMP,
                description="ISO 8601 date or date-time (UTC if no offset): entries withdrawn "
                "at or after it. Leave out for every withdrawn entry.",
            ),
            OpenApiParameter(
                "type", str, enum=EntryType.values, description="Only this kind of entry."
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": 50},
                description=f"Rows per page, 1 to {MAX_PAGE_SIZE} (default 50).",
            ),
            OpenApiParameter(
                "offset",
                {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0},
                description="Number of rows to skip.",
            ),
        ],
        responses={200: WITHDRAWAL_PAGE, 400: PARAMETER_ERRORS, 429: THROTTLED},
    )
    def get(self, request):
        params = ("since", "type", "limit", "offset")
        empty = [name for name in params if request.query_params.get(name, None) == ""]
        if empty:
            raise ValidationError({name: [EMPTY_PARAMETER] for name in empty})
        query = WithdrawalsQuery(request.query_params)
        if not query.is_valid():
            errors = query.errors.get_json_data()
            raise ValidationError(
                {name: [e["message"] for e in errs] for name, errs in errors.items()}
            )
        rows = withdrawals(
            since=query.cleaned_data["since"], entry_type=query.cleaned_data["type"] or None
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        results = WithdrawalOut(
            [{**row, "reason": row["withdrawn_reason"]} for row in page], many=True
        ).data
        return paginator.get_paginated_response(results)
