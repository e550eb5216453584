"""Read-only endpoints: thin wrappers over tracker's filters, selectors and exports."""

from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view, renderer_classes, throttle_classes
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.catalogue.filters import (
    AgencyFilter,
    DeploymentFilter,
    HotspotFilter,
    RTIRequestFilter,
    SourceFilter,
)
from tracker.catalogue.selectors import led_deployment_count
from tracker.catalogue.stats import published_figures
from tracker.exports import geojson
from tracker.exports.datasets import EXPORTS, csv_chunks, geojson_chunks, geojson_properties
from tracker.models import (
    Agency,
    Citation,
    Deployment,
    Hotspot,
    RTIEvent,
    RTIRequest,
    State,
    Vendor,
)

from . import serializers as s
from .renderers import GeoJSONRenderer
from .schema import FEATURE_COLLECTION

ERROR_RESPONSE = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="A parameter is invalid: the JSON body maps each parameter name to messages.",
)
NOT_FOUND = OpenApiResponse(OpenApiTypes.OBJECT, description="No published entry with this id.")
THROTTLED = OpenApiResponse(
    OpenApiTypes.OBJECT, description="Too many requests; retry after Retry-After seconds."
)
CSV_TEXT = {"type": "string", "description": "CSV, UTF-8, header row first."}


def _published(model):
    return model.objects.published()


# Nested summaries load only the columns they show: a page of 50 then stays fast even
# when related rows are wide (state boundaries, long descriptions).
SUMMARY_FIELDS = {
    Agency: ("id", "slug", "name", "publication"),
    Deployment: ("id", "slug", "title", "publication"),
    State: ("code", "name"),
}


def prefetched(name, queryset=None):
    """Prefetch a related set into ``prefetched_<name>``, where the serializers read it."""
    return Prefetch(name, queryset=queryset, to_attr=f"prefetched_{name}")


CITATIONS = prefetched(
    "citations",
    Citation.objects.select_related("source").only(
        "claim",
        "quote",
        *Citation.TARGETS,
        *(f"source__{name}" for name in s.SourceSummarySerializer.Meta.fields if name != "health"),
        "source__state",
    ),
)


def summaries(model):
    """Published rows of ``model`` with just the columns of their summary."""
    return _published(model).only(*SUMMARY_FIELDS[model])


def summary_only(relation, model):
    """``defer()`` arguments leaving only the summary columns of a select_related row."""
    keep = SUMMARY_FIELDS[model]
    return [
        f"{relation}__{field.name}"
        for field in model._meta.concrete_fields
        if field.name not in keep and not field.primary_key
    ]


def geojson_schema(serializer, *, many):
    """Responses of an entity with geometry: JSON by default, GeoJSON on ?format=geojson."""
    return {
        (200, "application/json"): serializer(many=many) if many else serializer,
        (200, "application/geo+json"): OpenApiResponse(
            FEATURE_COLLECTION,
            description="With format=geojson: the rows that have a location, as features "
            "(properties as in the CSV export).",
        ),
        400: ERROR_RESPONSE,
        404: NOT_FOUND,
        429: THROTTLED,
    }


class JSONErrorsMixin:
    """Errors are always JSON, even when GeoJSON was asked for."""

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response


class PublicViewSet(JSONErrorsMixin, viewsets.ReadOnlyModelViewSet):
    """A published entity: list (filtered, paginated) and detail by stable id.

    ``export_name`` ties it to the column dictionary used for ``?format=geojson``.
    """

    filter_backends = [DjangoFilterBackend]
    export_name = None

    def get_renderers(self):
        export = EXPORTS[self.export_name]
        if export.geometry:
            return [JSONRenderer(), GeoJSONRenderer()]
        return [JSONRenderer()]

    def wants_geojson(self):
        renderer = getattr(self.request, "accepted_renderer", None)
        return renderer is not None and renderer.format == "geojson"

    def geojson_response(self, queryset):
        export = EXPORTS[self.export_name]
        body = geojson.feature_collection(
            queryset, geojson_properties(export), geometry=export.geometry
        )
        return Response(body, content_type="application/geo+json")

    def list(self, request, *args, **kwargs):
        if not self.wants_geojson():
            return super().list(request, *args, **kwargs)
        offset, limit = self.paginator.page_bounds(request)
        queryset = self.filter_queryset(self.get_queryset())
        geometry = EXPORTS[self.export_name].geometry
        page = queryset.filter(**{f"{geometry}__isnull": False})[offset : offset + limit]
        return self.geojson_response(page)

    def retrieve(self, request, *args, **kwargs):
        if not self.wants_geojson():
            return super().retrieve(request, *args, **kwargs)
        instance = self.get_object()
        return self.geojson_response(type(instance).objects.filter(pk=instance.pk))


@extend_schema_view(
    list=extend_schema(
        summary="List deployments",
        description="Published deployments, filtered and paginated.",
        responses=geojson_schema(s.DeploymentSerializer, many=True),
    ),
    retrieve=extend_schema(
        summary="One deployment", responses=geojson_schema(s.DeploymentSerializer, many=False)
    ),
)
class DeploymentViewSet(PublicViewSet):
    serializer_class = s.DeploymentSerializer
    filterset_class = DeploymentFilter
    export_name = "deployments"

    def get_queryset(self):
        return (
            _published(Deployment)
            .select_related("lead_agency", "state")
            .defer(*summary_only("lead_agency", Agency), *summary_only("state", State))
            .prefetch_related(
                prefetched("partner_agencies", summaries(Agency)),
                prefetched("vendors", Vendor.objects.order_by("name")),
                prefetched("linked_databases"),
                CITATIONS,
            )
        )


@extend_schema_view(
    list=extend_schema(
        summary="List agencies",
        description="Published agencies, filtered and paginated.",
        responses=geojson_schema(s.AgencySerializer, many=True),
    ),
    retrieve=extend_schema(
        summary="One agency", responses=geojson_schema(s.AgencySerializer, many=False)
    ),
)
class AgencyViewSet(PublicViewSet):
    serializer_class = s.AgencySerializer
    filterset_class = AgencyFilter
    export_name = "agencies"

    def get_queryset(self):
        return (
            _published(Agency)
            .select_related("state", "parent")
            .defer(*summary_only("parent", Agency), *summary_only("state", State))
            .annotate(deployment_count=led_deployment_count())
            .prefetch_related(CITATIONS)
        )


@extend_schema_view(
    list=extend_schema(
        summary="List hotspots",
        description="Published hotspots, filtered and paginated.",
        responses=geojson_schema(s.HotspotSerializer, many=True),
    ),
    retrieve=extend_schema(
        summary="One hotspot", responses=geojson_schema(s.HotspotSerializer, many=False)
    ),
)
class HotspotViewSet(PublicViewSet):
    serializer_class = s.HotspotSerializer
    filterset_class = HotspotFilter
    export_name = "hotspots"

    def get_queryset(self):
        return (
            _published(Hotspot)
            .select_related("state", "agency")
            .defer(*summary_only("agency", Agency), *summary_only("state", State))
            .prefetch_related(
                prefetched("deployments", summaries(Deployment)),
                CITATIONS,
            )
        )


PLAIN_RESPONSES = {400: ERROR_RESPONSE, 404: NOT_FOUND, 429: THROTTLED}


@extend_schema_view(
    list=extend_schema(
        summary="List RTI requests",
        description="Published RTI requests, filtered and paginated.",
        responses={200: s.RTIRequestSerializer(many=True), **PLAIN_RESPONSES},
    ),
    retrieve=extend_schema(
        summary="One RTI request", responses={200: s.RTIRequestSerializer, **PLAIN_RESPONSES}
    ),
)
class RTIRequestViewSet(PublicViewSet):
    serializer_class = s.RTIRequestSerializer
    filterset_class = RTIRequestFilter
    export_name = "rti-requests"

    def get_queryset(self):
        return (
            _published(RTIRequest)
            .select_related("authority")
            .defer(*summary_only("authority", Agency))
            .prefetch_related(
                prefetched("events", RTIEvent.objects.order_by("date", "id")),
                prefetched("deployments", summaries(Deployment)),
                prefetched("agencies", summaries(Agency)),
                CITATIONS,
            )
        )


@extend_schema_view(
    list=extend_schema(
        summary="List sources",
        description="Sources cited by at least one published entry, with their health.",
        responses={200: s.SourceSerializer(many=True), **PLAIN_RESPONSES},
    ),
    retrieve=extend_schema(
        summary="One source", responses={200: s.SourceSerializer, **PLAIN_RESPONSES}
    ),
)
class SourceViewSet(PublicViewSet):
    serializer_class = s.SourceSerializer
    filterset_class = SourceFilter
    export_name = "sources"

    def get_queryset(self):
        return EXPORTS["sources"].queryset()


class ExportView(JSONErrorsMixin, APIView):
    """The whole filtered set of one entity as a file, built and streamed by PostgreSQL."""

    export_name = None
    file_format = None  # "csv" or "geojson"
    filter_backends = [DjangoFilterBackend]
    filterset_class = None
    renderer_classes = [JSONRenderer]

    def get_queryset(self):
        return EXPORTS[self.export_name].queryset()

    def get(self, request):
        export = EXPORTS[self.export_name]
        queryset, errors = export.filtered(request.query_params)
        if errors:
            raise ValidationError(errors)
        if self.file_format == "csv":
            chunks, content_type = csv_chunks(export, queryset), "text/csv; charset=utf-8"
        else:
            chunks, content_type = geojson_chunks(export, queryset), "application/geo+json"
        response = StreamingHttpResponse(chunks, content_type=content_type)
        filename = f"{export.name}.{self.file_format}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


def export_view(name, file_format):
    """The view for /export/<name>.<format>, documented with its own filters."""
    export = EXPORTS[name]
    media_type = "text/csv" if file_format == "csv" else "application/geo+json"
    body = CSV_TEXT if file_format == "csv" else FEATURE_COLLECTION
    what = "CSV (flat columns, ';' joins multiple values)" if file_format == "csv" else "GeoJSON"
    view_class = type(
        f"{export.model.__name__}{file_format.upper()}Export",
        (ExportView,),
        {
            "export_name": name,
            "file_format": file_format,
            "filterset_class": export.filterset_class,
            "__doc__": f"Every published {export.title.lower()} row as {what}.",
        },
    )

    def get(self, request):
        return ExportView.get(self, request)

    # Each export documents its own response, so each needs its own ``get``.
    view_class.get = extend_schema(
        summary=f"Export {export.title.lower()} as {file_format.upper()}",
        description=(
            f"{export.description} The whole filtered set as {what}, streamed. "
            "Same filters as the list endpoint; columns are described in datapackage.json "
            "from manage.py export_dataset and on /data/."
        ),
        responses={
            (200, media_type): OpenApiResponse(body, description=f"The {what} file."),
            400: ERROR_RESPONSE,
            429: THROTTLED,
        },
    )(get)
    return view_class.as_view()


STATS_RESPONSE = inline_serializer(
    "HeadlineCounts",
    {
        "totals": serializers.DictField(
            child=serializers.IntegerField(), help_text="Totals over published data."
        ),
        "by_state": serializers.ListField(
            child=serializers.DictField(), help_text="Deployments per state: code, label, count."
        ),
        "by_technology": serializers.ListField(
            child=serializers.DictField(), help_text="Deployments per technology code."
        ),
        "by_status": serializers.ListField(
            child=serializers.DictField(), help_text="Deployments per status code."
        ),
    },
)


class StatsView(APIView):
    """Headline counts over published data (the figures on the home page)."""

    renderer_classes = [JSONRenderer]

    @extend_schema(summary="Headline counts", responses={200: STATS_RESPONSE, 429: THROTTLED})
    def get(self, request):
        return Response(published_figures()["headline"])


@extend_schema(exclude=True)
@api_view(["GET", "HEAD", "OPTIONS"])
@renderer_classes([JSONRenderer])
@throttle_classes([])
def not_found(request):
    """Unknown API paths answer in JSON, like every other API error."""
    raise NotFound("No such API endpoint or entry.")


@extend_schema(exclude=True)
@api_view(["GET", "HEAD", "OPTIONS"])
@renderer_classes([JSONRenderer])
def api_root(request):
    """Where to start: the endpoints, the exports and the documentation."""

    def url(name):
        return request.build_absolute_uri(reverse(f"api:{name}"))

    return Response(
        {
            "docs": url("docs"),
            "schema": url("schema"),
            "stats": url("stats"),
            **{name: url(f"{basename}-list") for name, basename in ENDPOINTS.items()},
            "exports": {
                f"{name}.{fmt}": url(f"export-{name}-{fmt}")
                for name, export in EXPORTS.items()
                for fmt in (("csv", "geojson") if export.geometry else ("csv",))
            },
        }
    )


ENDPOINTS = {
    "deployments": "deployment",
    "agencies": "agency",
    "hotspots": "hotspot",
    "rti-requests": "rti-request",
    "sources": "source",
}
