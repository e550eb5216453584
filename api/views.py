"""Read-only endpoints: thin wrappers over tracker's filters, selectors and exports.

Each viewset reads a catalogue selector (``*_records``), filters it with the
FilterSet the site's lists use, and shapes it with ``api.serializers``.
"""

from django.conf import settings
from django.http import Http404, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import (
    api_view,
    permission_classes,
    renderer_classes,
    throttle_classes,
)
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.catalogue import paging
from tracker.catalogue.filters import (
    EMPTY_PARAMETER,
    AgencyFilter,
    DeploymentFilter,
    HotspotFilter,
    OsmExportFilter,
    RTIRequestFilter,
    SourceFilter,
)
from tracker.catalogue.selectors import records
from tracker.catalogue.selectors.tombstones import TITLE_FIELD, tombstone
from tracker.catalogue.stats import published_figures
from tracker.catalogue.visibility import public_rows
from tracker.exports import ocds
from tracker.exports.datasets import EXPORTS, csv_chunks, geojson_chunks, geojson_properties
from tracker.exports.osm import osm_geojson_chunks, osm_points, osm_xml_chunks
from tracker.models import Deployment, Hotspot
from tracker.models.evidence import claim_levels
from tracker.rti.lifecycle import rti_time_key
from tracker.sql import geojson

from . import serializers as s
from . import sql_pages
from .caching import list_cache_lookup, list_response_before_rendering, list_response_finish
from .errors import PARAMETER_ERRORS
from .renderers import GeoJSONRenderer, PageJSONRenderer
from .schema import FEATURE_COLLECTION, FilteredFileSchema, is_blank

NOT_FOUND = OpenApiResponse(OpenApiTypes.OBJECT, description="No published entry with this id.")
GONE = OpenApiResponse(
    inline_serializer(
        "Withdrawn",
        {
            "id": serializers.IntegerField(help_text="The entry's id."),
            "withdrawn_at": serializers.DateTimeField(help_text="When it was withdrawn."),
            "reason": serializers.CharField(help_text="Why, as the moderators made public."),
        },
    ),
    description="The entry was withdrawn (see /api/v1/withdrawals/ to sync deletions).",
)
THROTTLED = OpenApiResponse(
    OpenApiTypes.OBJECT, description="Too many requests; retry after Retry-After seconds."
)
CSV_TEXT = {"type": "string", "description": "CSV, UTF-8, header row first."}


def geojson_schema(serializer, *, many):
    """Responses of an entity with geometry: JSON by default, GeoJSON on ?format=geojson."""
    return {
        (200, "application/json"): serializer(many=many) if many else serializer,
        (200, "application/geo+json"): OpenApiResponse(
            FEATURE_COLLECTION,
            description="With format=geojson: the rows that have a location, as features "
            "(properties as in the CSV export).",
        ),
        400: PARAMETER_ERRORS,
        404: NOT_FOUND,
        429: THROTTLED,
    }


def built_once(selector):
    """``selector``'s records, built on first use and cloned for each request, as REST
    framework does with a viewset's ``queryset``: their joins and prefetches are the same
    for every request, and building them was a tenth of an uncached page's time. Only
    for records that do not depend on the moment they are read (not the RTI clock's)."""
    built = []

    def records():
        if not built:
            built.append(selector())
        return built[0].all()

    return records


DEPLOYMENT_RECORDS = built_once(records.deployment_records)
AGENCY_RECORDS = built_once(records.agency_records)
HOTSPOT_RECORDS = built_once(records.hotspot_records)
PUBLIC_DEPLOYMENTS = built_once(lambda: public_rows(Deployment))
PUBLIC_HOTSPOTS = built_once(lambda: public_rows(Hotspot))


class GivenParametersFilterBackend(DjangoFilterBackend):
    """The FilterSet with only the parameters the request gives: the API never shows the
    filters' form, and a parameter not given changes nothing (``PublicFilterSet``)."""

    def get_filterset_kwargs(self, request, queryset, view):
        return {**super().get_filterset_kwargs(request, queryset, view), "given_only": True}


class JSONErrorsMixin:
    """Errors are always JSON, even when GeoJSON was asked for."""

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response


class NoEmptyParametersMixin:
    """A documented query parameter given with an empty (or blank) value is a 400 naming it.

    The schema gives every parameter a type, enum or pattern that "" does not
    meet, so the API says so instead of quietly reading "" as "not given".
    """

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        documented = {"limit", "offset", "format"}
        if getattr(self, "filterset_class", None):
            documented |= set(self.filterset_class.base_filters)
        given = request.query_params
        empty = sorted(k for k in documented if k in given and is_blank(given[k]))
        if empty:
            raise ValidationError({name: [EMPTY_PARAMETER] for name in empty})


class PublicViewSet(NoEmptyParametersMixin, JSONErrorsMixin, viewsets.ReadOnlyModelViewSet):
    """A published entity: list (filtered, paginated) and detail by stable id.

    ``export_name`` ties it to the column dictionary used for ``?format=geojson``.
    """

    filter_backends = [GivenParametersFilterBackend]
    export_name = None

    def get_renderers(self):
        export = EXPORTS[self.export_name]
        if export.geometry:
            return [PageJSONRenderer(), GeoJSONRenderer()]
        return [PageJSONRenderer()]

    def wants_geojson(self):
        renderer = getattr(self.request, "accepted_renderer", None)
        return renderer is not None and renderer.format == "geojson"

    def geojson_response(self, queryset):
        export = EXPORTS[self.export_name]
        body = geojson.feature_collection(
            queryset, geojson_properties(export), geometry=export.geometry
        )
        return Response(body, content_type="application/geo+json")

    def list_cache_extras(self):
        """What else a list page depends on besides the request and the data (see
        ``api.caching``)."""
        return ()

    def list_extras(self):
        """``list_cache_extras``, once per request: the cache entry read with the rate
        counters and the page rendered after it must depend on the same extras (the RTI
        clock's key may turn between two readings)."""
        if not hasattr(self, "_list_extras"):
            self._list_extras = self.list_cache_extras()
        return self._list_extras

    def check_throttles(self, request):
        """A list page's rate counters are counted in the round trip that reads its cache
        entry and count (``api.caching``): one trip to Redis where there were two. Any
        other request, or a throttle that counts otherwise, is checked as REST framework
        checks it; either way before the parameters are checked and anything is read."""
        if self.action != "list" or request.method not in ("GET", "HEAD"):
            return super().check_throttles(request)
        windowed, others = [], []
        for throttle in self.get_throttles():
            (windowed if hasattr(throttle, "window_counter") else others).append(throttle)
        counters = [(t, counter) for t in windowed if (counter := t.window_counter(request, self))]
        extras = self.list_extras()
        self.list_cache_entry = entry = list_cache_lookup(
            request,
            extras,
            read_ahead=[self.paginator.count_key(request, extras)],
            counters=[counter for _, counter in counters],
        )
        over = [t for (t, _), n in zip(counters, entry.counts, strict=True) if not t.allow_count(n)]
        over += [t for t in others if not t.allow_request(request, self)]
        if over:
            waits = [wait for wait in (t.wait() for t in over) if wait is not None]
            self.throttled(request, max(waits, default=None))

    def list(self, request, *args, **kwargs):
        extras = self.list_extras()
        entry = getattr(self, "list_cache_entry", None)  # read with the rate counters
        answer = list_response_before_rendering(request, entry) if entry else None
        if answer is not None:  # 304, or the page from the cache
            return answer
        self.paginator.ahead = entry.ahead if entry else None
        if not self.wants_geojson():
            return self.json_list(request, vary=extras)
        queryset = self.filter_queryset(self.get_queryset())
        geometry = EXPORTS[self.export_name].geometry
        located = queryset.filter(**{f"{geometry}__isnull": False})
        ids = self.paginator.page_ids(
            located, request, count_name="api-count-located", count_always=False, vary=extras
        )
        return self.geojson_response(located.filter(pk__in=ids)[: len(ids)])

    def json_list(self, request, *, vary=()):
        """A JSON page: its ids from the list's order, its rows written by PostgreSQL
        (``api.sql_pages``), or by the serializer when it cannot be compiled."""
        records = self.get_queryset()
        listed = self.listed_rows()
        queryset = self.filter_queryset(records if listed is None else listed)
        ids = self.paginator.page_ids(queryset, request, vary=vary)
        rows = sql_pages.page_rows(self.serializer_class, records, ids)
        if rows is None:
            rows = self.get_serializer(paging.rows_in_order(records, ids), many=True).data
        return self.paginator.get_paginated_response(rows)

    def listed_rows(self):
        """The rows a JSON list filters, counts and pages, when not its records: for a
        viewset whose records only add what its serializer reads (joins, prefetches),
        its plain public rows, cheaper to filter and to build the page's query from."""
        return None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(self, "action", None) == "list":
            entry = getattr(self, "list_cache_entry", None)
            response = list_response_finish(response, entry)
        return response

    def retrieve(self, request, *args, **kwargs):
        try:
            if not self.wants_geojson():
                return super().retrieve(request, *args, **kwargs)
            instance = self.get_object()
        except Http404:
            return self.gone_or_404(kwargs.get(self.lookup_url_kwarg or self.lookup_field))
        return self.geojson_response(type(instance).objects.filter(pk=instance.pk))

    def gone_or_404(self, pk):
        """A withdrawn entry answers 410 with its id, when and why; anything else is 404."""
        model = self.get_queryset().model
        known = model in TITLE_FIELD and str(pk).isascii() and str(pk).isdigit()
        found = tombstone(model, int(pk)) if known else None
        if found is None:
            raise NotFound("No published entry with this id.")
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return Response(found.as_json(), status=410)


PLAIN_RESPONSES = {400: PARAMETER_ERRORS, 404: NOT_FOUND, 429: THROTTLED}


def model_has_tombstones(viewset):
    """Entries (not sources) are withdrawn, and answer 410 once they are."""
    return EXPORTS[viewset.export_name].model in TITLE_FIELD


def documented(singular, plural, *, description=None):
    """Document a viewset's list and detail from its serializer and export (GeoJSON or not)."""

    def decorate(viewset):
        serializer = viewset.serializer_class
        geometry = EXPORTS[viewset.export_name].geometry

        def responses(many):
            if geometry:
                return geojson_schema(serializer, many=many)
            return {200: serializer(many=True) if many else serializer, **PLAIN_RESPONSES}

        return extend_schema_view(
            list=extend_schema(
                summary=f"List {plural}",
                description=description or f"Published {plural}, filtered and paginated.",
                responses=responses(True),
            ),
            retrieve=extend_schema(
                summary=f"One {singular}",
                responses={**responses(False), 410: GONE}
                if model_has_tombstones(viewset)
                else responses(False),
            ),
        )(viewset)

    return decorate


@documented("deployment", "deployments")
class DeploymentViewSet(PublicViewSet):
    serializer_class = s.DeploymentSerializer
    filterset_class = DeploymentFilter
    export_name = "deployments"

    def get_queryset(self):
        return DEPLOYMENT_RECORDS()

    def listed_rows(self):
        return PUBLIC_DEPLOYMENTS()

    def get_serializer(self, *args, **kwargs):
        """Every claim's level for the whole page (or the one entry) in one query."""
        instance = args[0] if args else kwargs.get("instance")
        if instance is not None:
            rows = instance if isinstance(instance, list | tuple) else [instance]
            kwargs["context"] = {
                **self.get_serializer_context(),
                "claim_levels": claim_levels([row.pk for row in rows]),
            }
        return super().get_serializer(*args, **kwargs)


@documented("agency", "agencies")
class AgencyViewSet(PublicViewSet):
    serializer_class = s.AgencySerializer
    filterset_class = AgencyFilter
    export_name = "agencies"

    def get_queryset(self):
        return AGENCY_RECORDS()


@documented("hotspot", "hotspots")
class HotspotViewSet(PublicViewSet):
    serializer_class = s.HotspotSerializer
    filterset_class = HotspotFilter
    export_name = "hotspots"

    def get_queryset(self):
        return HOTSPOT_RECORDS()

    def listed_rows(self):
        return PUBLIC_HOTSPOTS()


@documented("RTI request", "RTI requests")
class RTIRequestViewSet(PublicViewSet):
    serializer_class = s.RTIRequestSerializer
    filterset_class = RTIRequestFilter
    export_name = "rti-requests"

    def get_queryset(self):
        return records.rti_request_records()

    def list_cache_extras(self):
        # Deadlines' states are judged as of now in India: the page changes when a
        # deadline passes, with no write to mark it.
        return (rti_time_key(), settings.RTI_NEXT_WORKING_DAY)


@documented(
    "source",
    "sources",
    description="Sources cited by at least one published entry, with their health.",
)
class SourceViewSet(PublicViewSet):
    serializer_class = s.SourceSerializer
    filterset_class = SourceFilter
    export_name = "sources"

    def get_queryset(self):
        return records.source_records()


EXCEL = OpenApiParameter(
    "excel",
    OpenApiTypes.BOOL,
    description="1 (or true): start the file with a UTF-8 byte-order mark, so Excel on "
    "Windows reads its letters right. Other programs need none.",
)
EXCEL_VALUES = {"1": True, "true": True, "0": False, "false": False}


class ExportView(NoEmptyParametersMixin, JSONErrorsMixin, APIView):
    """The whole filtered set of one entity as a file, built and streamed by PostgreSQL."""

    @staticmethod
    def excel_asked(request):
        raw = request.query_params.get(EXCEL.name)
        if raw is None:
            return False
        if raw.lower() not in EXCEL_VALUES:
            raise ValidationError({EXCEL.name: ["Use 1 (or true) for Excel, 0 for none."]})
        return EXCEL_VALUES[raw.lower()]

    export_name = None
    file_format = None  # "csv" or "geojson"
    filter_backends = [DjangoFilterBackend]
    filterset_class = None
    renderer_classes = [JSONRenderer]
    schema = FilteredFileSchema()

    def get_queryset(self):
        return EXPORTS[self.export_name].queryset()

    def get(self, request):
        export = EXPORTS[self.export_name]
        excel = self.excel_asked(request) if self.file_format == "csv" else False
        queryset, errors = export.filtered(request.query_params)
        if errors:
            raise ValidationError(errors)
        if self.file_format == "csv":
            chunks = csv_chunks(export, queryset, excel=excel)
            content_type = "text/csv; charset=utf-8"
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
        parameters=[EXCEL] if file_format == "csv" else [],
        responses={
            (200, media_type): OpenApiResponse(body, description=f"The {what} file."),
            400: PARAMETER_ERRORS,
            429: THROTTLED,
        },
    )(get)
    return view_class.as_view()


OCDS_PACKAGE = {
    "type": "object",
    "description": "An OCDS 1.1 release package: uri, version, publishedDate, publisher, "
    "license and releases (one per deployment with procurement facts).",
    "properties": {
        "uri": {"type": "string"},
        "version": {"type": "string"},
        "publishedDate": {"type": "string"},
        "publisher": {"type": "object"},
        "license": {"type": "string"},
        "releases": {"type": "array", "items": {"type": "object"}},
    },
}


class OCDSExportView(NoEmptyParametersMixin, JSONErrorsMixin, APIView):
    """Procurement facts of the filtered deployments as an OCDS 1.1 release package."""

    filter_backends = [DjangoFilterBackend]
    filterset_class = DeploymentFilter
    renderer_classes = [JSONRenderer]

    def get_queryset(self):
        return EXPORTS["deployments"].queryset()

    @extend_schema(
        summary="Procurement as OCDS 1.1",
        description=(
            "An Open Contracting Data Standard 1.1 release package with one release per "
            "published deployment that has procurement facts: the lead agency as buyer, the "
            "vendors as suppliers (with Wikidata ids as XI-WIKIDATA identifiers), the tender "
            "date, the cost in INR, the funding source as budget, the status as the tender, "
            "award and contract stages, and the cited sources as documents. Each ocid is the "
            "site's OCDS prefix and the deployment's id. Same filters as the deployments list."
        ),
        responses={
            (200, "application/json"): OpenApiResponse(OCDS_PACKAGE, description="The package."),
            400: PARAMETER_ERRORS,
            429: THROTTLED,
        },
    )
    def get(self, request):
        queryset, errors = EXPORTS["deployments"].filtered(request.query_params)
        if errors:
            raise ValidationError(errors)
        chunks = ocds.package_chunks(
            queryset,
            uri=request.build_absolute_uri(),
            published_fallback=timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        return StreamingHttpResponse(chunks, content_type="application/json")


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
@api_view(["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"])
@renderer_classes([JSONRenderer])
@throttle_classes([])
@permission_classes([])
def not_found(request):
    """Unknown API paths answer in JSON, like every other API error, and a 404 whatever the
    method: nothing is there to allow or to sign in for."""
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
            "withdrawals": url("withdrawals"),
            "releases": url("releases"),
            **{name: url(f"{basename}-list") for name, basename in ENDPOINTS.items()},
            "exports": {
                f"{name}.{fmt}": url(f"export-{name}-{fmt}")
                for name, export in EXPORTS.items()
                for fmt in (("csv", "geojson") if export.geometry else ("csv",))
            }
            | {"ocds.json": url("export-ocds")},
        }
    )


ENDPOINTS = {
    "deployments": "deployment",
    "agencies": "agency",
    "hotspots": "hotspot",
    "rti-requests": "rti-request",
    "sources": "source",
}


OSM_TEXT = {"type": "string", "description": "OSM XML 0.6: new nodes with negative ids."}
OSM_FORMATS = {
    "osm": ("application/x-osm+xml; charset=utf-8", osm_xml_chunks, OSM_TEXT),
    "osm.geojson": ("application/geo+json", osm_geojson_chunks, FEATURE_COLLECTION),
}


class OsmExportView(NoEmptyParametersMixin, JSONErrorsMixin, APIView):
    """Our hotspots, and deployments located exactly, as points with OpenStreetMap's tags
    for mappers to review and upload by hand (nothing is uploaded by this site)."""

    file_format = None  # a key of OSM_FORMATS
    filter_backends = [DjangoFilterBackend]
    filterset_class = OsmExportFilter
    renderer_classes = [JSONRenderer]
    schema = FilteredFileSchema()

    def get_queryset(self):
        return HOTSPOT_RECORDS()

    def get(self, request):
        filterset = OsmExportFilter(request.query_params, queryset=self.get_queryset())
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        media_type, chunks, _body = OSM_FORMATS[self.file_format]
        points = osm_points(
            state=filterset.form.cleaned_data.get("state"),
            box=filterset.form.cleaned_data.get("in_bbox"),
        )
        response = StreamingHttpResponse(chunks(points), content_type=media_type)
        filename = f"hotspots.{self.file_format}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


def osm_export_view(file_format):
    """The view for /export/hotspots.<file_format>, documented with its own response."""
    media_type, _chunks, body = OSM_FORMATS[file_format]
    view_class = type(
        f"Osm{file_format.title().replace('.', '')}Export",
        (OsmExportView,),
        {"file_format": file_format},
    )

    def get(self, request):
        return OsmExportView.get(self, request)

    # Each format documents its own response, so each needs its own ``get``.
    view_class.get = extend_schema(
        summary=f"Hotspots for OpenStreetMap mappers ({file_format})",
        description=(
            "Published hotspots, and published deployments located exactly that no hotspot "
            "stands for, as points tagged as OpenStreetMap tags cameras (man_made=surveillance, "
            "surveillance:type, operator, operator:wikidata, manufacturer, source). For "
            "mappers to review and upload by hand: nothing is uploaded automatically. The .osm "
            "file opens in JOSM as new objects (negative ids)."
        ),
        responses={
            (200, media_type.split(";")[0]): OpenApiResponse(body, description="The file."),
            400: PARAMETER_ERRORS,
            429: THROTTLED,
        },
    )(get)
    return view_class.as_view()
