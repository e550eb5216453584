"""FilterSets shared by the API (DjangoFilterBackend) and the public list pages.

Parameter names are the API's public contract (docs/architecture.md); researchers
code against them, so they never change meaning. Where they apply:

- ``state``: ISO 3166-2 code of a state or union territory, e.g. ``IN-UP``
  (case-insensitive).
- ``agency``: an agency's id or slug; matches the lead agency or a partner
  (deployments), the agency (hotspots), the authority or a related agency (RTI).
- ``technology``, ``status``: vocabulary codes (``facial_recognition``, ``in_use``).
- ``purpose``: the purpose class (``surveillance`` or ``authentication``); a
  purpose tag code (``womens_safety``, ``attendance``...) is also accepted and
  matches deployments carrying that tag.
- ``vendor``: a vendor's id or exact name (case-insensitive).
- ``confidence``: a deployment's verification level (``confirmed``, ``corroborated``,
  ``reported``, ``unverified``), derived from the sources it cites.
- ``q``: full-text search (``catalogue.search.search``; web-search syntax).
- ``announced_after``, ``announced_before``: ``YYYY-MM-DD``, inclusive.
- ``year``: the year a deployment was announced (used by the public map).
- ``updated_since``: an ISO 8601 date or date-time (a date or a time without
  offset means UTC); rows updated at or after it. With ``ordering=updated_at``
  it lets a client sync incrementally.
- ``in_bbox=minlon,minlat,maxlon,maxlat``: rows whose location lies in the box.
- ``near=lon,lat`` with ``radius_km`` (default 10, at most 2000): rows within
  that distance.
- ``ordering``: a field from the documented list, ``-`` for descending;
  ties are always broken by ``id`` so pages are stable.

A well-formed state code, agency or vendor that names nothing published
matches no rows (like a search for it); a malformed value is an error.
``radius_km`` without ``near`` changes nothing; ``in_bbox`` takes the two
opposite corners in either order.

Invalid values are form errors keyed by the parameter name (the API turns them
into ``400 {"<param>": [...]}``); they are never silently ignored: ``.qs`` of
an invalid FilterSet is empty. The FilterSets filter whatever queryset they
are given; callers pass ``Model.objects.published()``.
"""

import math
import re
from datetime import UTC, datetime, time
from decimal import Decimal

import django_filters
from django import forms
from django.contrib.gis.geos import Point, Polygon
from django.contrib.gis.measure import D
from django.db.models import Q
from django.http import QueryDict
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from ..models import (
    Agency,
    AgencyKind,
    AgencyLevel,
    Claim,
    Deployment,
    DeploymentStatus,
    Evidence,
    Hotspot,
    HotspotKind,
    OsmCamera,
    PurposeClass,
    PurposeTag,
    RTIOutcome,
    RTIRequest,
    RTIStatus,
    Source,
    SourceHealth,
    SourceKind,
    Technology,
    Vendor,
    VerificationLevel,
)
from ..models.rti import DEEMED_REFUSED as RTI_DEEMED_REFUSED
from ..models.rti import OVERDUE as RTI_OVERDUE
from .search import search

MAX_RADIUS_KM = 2000.0
# A parameter given with nothing in it: the API's answer, on every endpoint.
EMPTY_PARAMETER = _("Give a value, or leave the parameter out.")
DEFAULT_RADIUS_KM = 10.0
EARTH_RADIUS_KM = 6371.0088  # the sphere of PostGIS's ST_DistanceSphere
BOX_SLACK_DEGREES = 1e-6  # about 10 cm: rounding never drops a point on the circle


# Form fields: parse and validate one parameter each, with a readable message.


def _floats(value, count, example):
    parts = [p.strip() for p in str(value).split(",")]
    if len(parts) != count:
        raise forms.ValidationError(
            _("Expected %(count)s comma-separated numbers, like %(example)s."),
            params={"count": count, "example": example},
        )
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise forms.ValidationError(
            _("Expected numbers, like %(example)s."), params={"example": example}
        ) from None
    if not all(math.isfinite(n) for n in numbers):
        raise forms.ValidationError(_("Numbers must be finite."))
    return numbers


def _check_lon_lat(lon, lat):
    if not -180 <= lon <= 180:
        raise forms.ValidationError(_("Longitude must be between -180 and 180."))
    if not -90 <= lat <= 90:
        raise forms.ValidationError(_("Latitude must be between -90 and 90."))


# The exact shape of in_bbox and near (plain decimals within range), shared with
# the OpenAPI schema so a value the schema allows is one the filter accepts.
LONGITUDE = r"-?(?:180(?:\.0+)?|(?:1[0-7]\d|[1-9]?\d)(?:\.\d+)?)"
LATITUDE = r"-?(?:90(?:\.0+)?|[1-8]?\d(?:\.\d+)?)"
BBOX_PATTERN = rf"^{LONGITUDE},{LATITUDE},{LONGITUDE},{LATITUDE}$"
POINT_PATTERN = rf"^{LONGITUDE},{LATITUDE}$"


class ExactCharField(forms.CharField):
    """Takes the value as sent: no stripping of spaces the schema's pattern forbids."""

    def __init__(self, **kwargs):
        super().__init__(**{**kwargs, "strip": False})


def _check_shape(value, pattern, example):
    if not re.fullmatch(pattern, value):
        raise forms.ValidationError(
            _("Write plain decimal numbers separated by commas, like %(example)s."),
            params={"example": example},
        )


class BBoxField(ExactCharField):
    """``minlon,minlat,maxlon,maxlat`` in WGS 84 degrees, as a polygon."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        min_lon, min_lat, max_lon, max_lat = _floats(value, 4, "72.8,18.9,73.0,19.3")
        _check_lon_lat(min_lon, min_lat)
        _check_lon_lat(max_lon, max_lat)
        _check_shape(value, BBOX_PATTERN, "72.8,18.9,73.0,19.3")
        # Any two opposite corners make the box, whichever comes first.
        min_lon, max_lon = sorted((min_lon, max_lon))
        min_lat, max_lat = sorted((min_lat, max_lat))
        return Polygon.from_bbox((min_lon, min_lat, max_lon, max_lat))


class PointParamField(ExactCharField):
    """``lon,lat`` in WGS 84 degrees, as a point."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        lon, lat = _floats(value, 2, "80.95,26.85")
        _check_lon_lat(lon, lat)
        _check_shape(value, POINT_PATTERN, "80.95,26.85")
        return Point(lon, lat, srid=4326)


class TimestampField(forms.CharField):
    """An ISO 8601 date or date-time; without an offset it means UTC. Nothing around it:
    a space or newline is refused, as the schema's format says."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, strip=False, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        if value != value.strip():
            value = ""  # refused below
        try:
            parsed = parse_datetime(value)
            if parsed is None:
                day = parse_date(value)
                parsed = datetime.combine(day, time.min) if day else None
        except ValueError:
            parsed = None
        if parsed is not None:
            try:  # in UTC: PostgreSQL refuses some offsets Python accepts (-23:00)
                return parsed.replace(tzinfo=UTC) if not parsed.tzinfo else parsed.astimezone(UTC)
            except OverflowError:  # beyond year 1 or 9999 in UTC: the nearest representable time
                limit = datetime.min if parsed.year == 1 else datetime.max
                return limit.replace(tzinfo=UTC)
        raise forms.ValidationError(
            _("Enter an ISO 8601 date or date-time, like 2024-01-31 or 2024-01-31T12:00:00Z.")
        )


STATE_CODE_SHAPE = re.compile(r"^[A-Z]{2}-[A-Z]{2,3}$")


class StateCodeField(forms.CharField):
    """An ISO 3166-2 code of a state or union territory, any case."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        code = value.strip().upper()
        if not STATE_CODE_SHAPE.match(code):
            raise forms.ValidationError(
                _("Unknown state code %(code)s; use an ISO 3166-2 code such as IN-UP."),
                params={"code": value},
            )
        return code  # a well-formed code of no state matches nothing


# What an id-or-name that names nothing (or nothing published) resolves to: no row
# has id 0, so the filter matches nothing, as a search for it would.
NO_ROW = 0


def _as_id(ref):
    """``ref`` as a row id when it is one: ASCII digits within PostgreSQL's bigint.

    ``str.isdigit`` alone also accepts "¹6" or "٣", which ``int()`` refuses or reads.
    """
    if ref.isascii() and ref.isdigit() and int(ref) < 2**63:
        return int(ref)
    return None


class RowRefField(forms.CharField):
    """A reference to one row, resolved to its id by ``resolve``; one that names no row
    matches nothing. A NUL character (which no one types, and PostgreSQL cannot take) is
    dropped rather than refused, so any text the schema allows is read."""

    def to_python(self, value):
        return super().to_python(value.replace("\x00", "") if isinstance(value, str) else value)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        row_id = self.resolve(value.strip())
        return NO_ROW if row_id is None else row_id

    def resolve(self, ref):
        raise NotImplementedError


class AgencyRefField(RowRefField):
    """A published agency's id or slug, resolved to its id."""

    def resolve(self, ref):
        match = Q(slug=ref.lower())
        if (pk := _as_id(ref)) is not None:
            match |= Q(pk=pk)
        return Agency.objects.published().filter(match).values_list("pk", flat=True).first()


class VendorRefField(RowRefField):
    """A vendor's id or exact name (any case), resolved to its id."""

    def resolve(self, ref):
        match = Q(name__iexact=ref)
        if (pk := _as_id(ref)) is not None:
            match |= Q(pk=pk)
        return Vendor.objects.filter(match).values_list("pk", flat=True).first()


class GeoFilterForm(forms.Form):
    """``radius_km`` is read by ``near``; without ``near`` it changes nothing.

    (An OpenAPI schema cannot say that one parameter needs another, so a
    request the schema allows is never refused for it.)

    Each form shares its class's fields: Django copies every field deeply for each form,
    in case a view changes one, and no view changes a filter's field (a field keeps no
    state of its own request: the form and its bound fields do). Copying some sixteen
    fields with their choices was a third of an uncached API page's filtering.
    """

    def __init__(self, *args, **kwargs):
        self.base_fields = {}  # what Django's form copies deeply, for this instance
        super().__init__(*args, **kwargs)
        del self.base_fields
        self.fields = dict(self.base_fields)  # a form may still add or drop one


# Filters built on those fields.


class BBoxFilter(django_filters.Filter):
    field_class = BBoxField

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(**{f"{self.field_name}__intersects": value})


class StateFilter(django_filters.Filter):
    field_class = StateCodeField


class TimestampFilter(django_filters.Filter):
    field_class = TimestampField


class AgencyRefFilter(django_filters.Filter):
    field_class = AgencyRefField


class VendorRefFilter(django_filters.Filter):
    field_class = VendorRefField


class OrderingWithoutBlanks(django_filters.OrderingFilter):
    """``ordering=,`` or ``ordering=title,`` names a blank field: an error, not a 500."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        csv_field = self.field_class

        class NoBlankFieldNames(csv_field):
            def clean(self, value):
                if value and len(value) > 1 and any(not item for item in value):
                    raise forms.ValidationError(_("Name a field between every two commas."))
                return super().clean(value)

        self.field_class = NoBlankFieldNames


def _help(text):
    return {"help_text": text}


class SearchTextField(forms.CharField):
    """Search words: a NUL character (which no one types, and PostgreSQL cannot take) is
    dropped rather than refused, so any text the schema allows is a search."""

    def to_python(self, value):
        return super().to_python(value.replace("\x00", "") if isinstance(value, str) else value)


class SearchTextFilter(django_filters.CharFilter):
    field_class = SearchTextField


Q_HELP = _help(_('Full-text search (web-search syntax: words, "phrases", -exclusions).'))
STATE_HELP = _help(_("ISO 3166-2 code of a state or union territory, e.g. IN-UP."))
UPDATED_SINCE_HELP = _help(
    _(
        "Only rows updated at or after this ISO 8601 date or date-time (UTC if no offset). "
        "Combine with ordering=updated_at to sync incrementally."
    )
)
BBOX_HELP = _help(_("minlon,minlat,maxlon,maxlat (WGS 84 degrees): rows located in the box."))
NEAR_HELP = _help(_("lon,lat (WGS 84 degrees): rows within radius_km of this point."))
RADIUS_HELP = _help(
    _("Radius in kilometres for near, greater than 0 and at most 2000 (default 10).")
)


def ordering_filter(*fields):
    """The ``ordering`` parameter over ``fields``; PublicFilterSet breaks ties by ``id``."""
    return OrderingWithoutBlanks(
        fields=("id", *fields),
        label=_("Order by"),
        **_help(_("Sort field, - for descending; ties broken by id.")),
    )


_FORM_CLASSES = {}
MAX_FORM_CLASSES = 512  # a class per combination of parameters given: bounded


def _copied(filter_):
    """A shallow copy of ``filter_`` (``copy.copy`` without its generic protocol)."""
    clone = object.__new__(type(filter_))
    clone.__dict__.update(filter_.__dict__)
    return clone


class PublicFilterSet(django_filters.FilterSet):
    """Shared behaviour: ``q`` and ``updated_since`` everywhere, invalid parameters empty the
    result, and ordering is always stable (``id`` breaks ties, so paging never skips or
    repeats rows, whatever ``ordering`` or search asked for)."""

    q = SearchTextFilter(method="filter_q", label=_("Search"), **Q_HELP)
    updated_since = TimestampFilter(
        field_name="updated_at", lookup_expr="gte", label=_("Updated since"), **UPDATED_SINCE_HELP
    )

    class Meta:
        form = GeoFilterForm

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, given_only=False):
        # django-filter's own __init__ but for one line: it deep-copies every filter of the
        # class for each request, a fifth of an uncached API page's time. A filter's state
        # is its ``model``, its ``parent`` and, for a ``method`` filter, the callable bound
        # to it, all set below, so each gets a shallow copy.
        #
        # ``given_only``: only the filters whose parameter ``data`` gives, for a reader
        # that applies the filters without showing their form (the API). A parameter not
        # given changes nothing; validating every one was a third of the filtering.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        names = self.base_filters
        if given_only and prefix is None:
            names = [name for name in names if self._given(name)]
        self.filters = {name: _copied(self.base_filters[name]) for name in names}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self
            if filter_.method is not None:
                filter_.method = filter_.method  # binds a FilterMethod to this copy

    def _given(self, name):
        widget = self.base_filters[name].field.widget
        return not widget.value_omitted_from_data(self.data, {}, name)

    def get_form_class(self):
        """The form class, built once per FilterSet class and set of filters (its fields
        depend on nothing else), the last few hundred of them kept."""
        key = (type(self), tuple(self.filters))
        form_class = _FORM_CLASSES.get(key)
        if form_class is None:
            if len(_FORM_CLASSES) >= MAX_FORM_CLASSES:
                _FORM_CLASSES.pop(next(iter(_FORM_CLASSES)))
            form_class = _FORM_CLASSES[key] = super().get_form_class()
        return form_class

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            if self.is_bound and not self.is_valid():
                self._qs = self.queryset.none()
            else:
                qs = super().qs
                ordering = list(qs.query.order_by) or list(qs.model._meta.ordering)
                if not {"id", "-id", "pk", "-pk"} & set(ordering):
                    qs = qs.order_by(*ordering, "id")
                self._qs = qs
        return self._qs

    def filter_q(self, queryset, name, value):
        return search(queryset, value)


def near(queryset, field, point, radius_km):
    """Rows whose ``field`` lies within ``radius_km`` of ``point`` (great-circle distance).

    The distance is PostGIS's ``ST_DistanceSphere``. A box that just holds the
    circle goes first, so the spatial index does the coarse work; it is left out
    when the circle reaches a pole or crosses the antimeridian.
    """
    angle = radius_km / EARTH_RADIUS_KM
    latitude = math.radians(point.y)
    if abs(latitude) + angle < math.pi / 2:
        lat_delta = math.degrees(angle) + BOX_SLACK_DEGREES
        # The circle's widest longitude, at the points where a meridian touches it.
        lon_delta = math.degrees(math.asin(math.sin(angle) / math.cos(latitude)))
        lon_delta += BOX_SLACK_DEGREES
        if -180 <= point.x - lon_delta and point.x + lon_delta <= 180:
            box = Polygon.from_bbox(
                (point.x - lon_delta, point.y - lat_delta, point.x + lon_delta, point.y + lat_delta)
            )
            queryset = queryset.filter(**{f"{field}__intersects": box})
    return queryset.filter(**{f"{field}__distance_lte": (point, D(km=radius_km))})


class PointFilter(django_filters.Filter):
    field_class = PointParamField


class GeoFilterSet(PublicFilterSet):
    """Adds ``in_bbox``, ``near`` and ``radius_km`` for entities with a location."""

    in_bbox = BBoxFilter(field_name="location", label=_("In box"), **BBOX_HELP)
    near = PointFilter(field_name="location", method="filter_near", label=_("Near"), **NEAR_HELP)
    radius_km = django_filters.NumberFilter(
        method="filter_nothing",
        label=_("Radius (km)"),
        min_value=Decimal("0.001"),  # a Decimal: the float 0.001 is a hair above it
        max_value=MAX_RADIUS_KM,
        **RADIUS_HELP,
    )

    def filter_near(self, queryset, name, value):
        radius = float(self.form.cleaned_data.get("radius_km") or DEFAULT_RADIUS_KM)
        return near(queryset, name, value, radius)

    def filter_nothing(self, queryset, name, value):
        """``radius_km`` is read by the ``near`` filter."""
        return queryset


PURPOSE_CHOICES = [*PurposeClass.choices, *PurposeTag.choices]


class DeploymentFilter(GeoFilterSet):
    state = StateFilter(field_name="state_id", label=_("State"), **STATE_HELP)
    agency = AgencyRefFilter(
        method="filter_agency",
        label=_("Agency"),
        **_help(_("Agency id or slug; matches the lead agency or a partner.")),
    )
    technology = django_filters.ChoiceFilter(
        choices=Technology.choices, label=_("Technology"), **_help(_("Technology code."))
    )
    status = django_filters.ChoiceFilter(
        choices=DeploymentStatus.choices, label=_("Status"), **_help(_("Status code."))
    )
    purpose = django_filters.ChoiceFilter(
        choices=PURPOSE_CHOICES,
        method="filter_purpose",
        label=_("Purpose"),
        **_help(_("Purpose class (surveillance, authentication) or a purpose tag code.")),
    )
    vendor = VendorRefFilter(
        field_name="vendors",
        label=_("Vendor"),
        method="filter_vendor",
        **_help(_("Vendor id or exact name (case-insensitive).")),
    )
    announced_after = django_filters.DateFilter(
        field_name="announced_on",
        lookup_expr="gte",
        label=_("Announced on or after"),
        **_help(_("YYYY-MM-DD; deployments announced on or after this date.")),
    )
    announced_before = django_filters.DateFilter(
        field_name="announced_on",
        lookup_expr="lte",
        label=_("Announced on or before"),
        **_help(_("YYYY-MM-DD; deployments announced on or before this date.")),
    )
    confidence = django_filters.ChoiceFilter(
        choices=VerificationLevel.choices,
        label=_("Verification level"),
        **_help(
            _(
                "Verification level, derived from the sources cited: confirmed, "
                "corroborated, reported or unverified."
            )
        ),
    )
    year = django_filters.NumberFilter(
        field_name="announced_on",
        lookup_expr="year",
        label=_("Year announced"),
        min_value=1900,
        max_value=2100,
        **_help(_("Year the deployment was announced, e.g. 2019.")),
    )
    ordering = ordering_filter("title", "announced_on", "updated_at", "camera_count", "cost_inr")

    class Meta(GeoFilterSet.Meta):
        model = Deployment
        fields = []

    def filter_agency(self, queryset, name, agency_id):
        # One id list from two index lookups: an OR across the join made PostgreSQL
        # scan every deployment.
        led = Deployment.objects.filter(lead_agency_id=agency_id).values("pk")
        partners = Deployment.partner_agencies.through.objects.filter(agency_id=agency_id)
        return queryset.filter(pk__in=led.union(partners.values("deployment_id")))

    def filter_purpose(self, queryset, name, value):
        if value in PurposeClass.values:
            return queryset.filter(purpose_class=value)
        return queryset.filter(purpose_tags__contains=[value])

    def filter_vendor(self, queryset, name, vendor_id):
        through = Deployment.vendors.through.objects.filter(vendor_id=vendor_id)
        return queryset.filter(pk__in=through.values("deployment_id"))


class AgencyFilter(GeoFilterSet):
    state = StateFilter(field_name="state_id", label=_("State"), **STATE_HELP)
    kind = django_filters.ChoiceFilter(
        choices=AgencyKind.choices, label=_("Kind"), **_help(_("Kind of agency."))
    )
    level = django_filters.ChoiceFilter(
        choices=AgencyLevel.choices, label=_("Level"), **_help(_("Level of government."))
    )
    ordering = ordering_filter("name", "updated_at")

    class Meta(GeoFilterSet.Meta):
        model = Agency
        fields = []


class HotspotFilter(GeoFilterSet):
    state = StateFilter(field_name="state_id", label=_("State"), **STATE_HELP)
    agency = AgencyRefFilter(
        field_name="agency_id", label=_("Agency"), **_help(_("Agency id or slug."))
    )
    kind = django_filters.ChoiceFilter(
        choices=HotspotKind.choices, label=_("Kind"), **_help(_("Kind of place."))
    )
    ordering = ordering_filter("name", "updated_at", "camera_count", "identified_on")

    class Meta(GeoFilterSet.Meta):
        model = Hotspot
        fields = []


class OsmCameraFilter(django_filters.FilterSet):
    """The OpenStreetMap camera layer takes none of our filters: only the map's box and zoom."""

    class Meta:
        model = OsmCamera
        fields = []


class OsmExportFilter(django_filters.FilterSet):
    """What the export for OpenStreetMap's mappers takes: a state and a box (it applies
    them to hotspots and to located deployments alike, ``tracker.exports.osm``)."""

    state = StateFilter(field_name="state_id", label=_("State"), **STATE_HELP)
    in_bbox = BBoxFilter(field_name="location", label=_("In box"), **BBOX_HELP)

    class Meta:
        model = Hotspot
        fields = []


class RTIRequestFilter(PublicFilterSet):
    state = StateFilter(
        field_name="authority__state_id",
        label=_("State"),
        **_help(_("ISO 3166-2 code of the public authority's state, e.g. IN-UP.")),
    )
    agency = AgencyRefFilter(
        method="filter_agency",
        label=_("Agency"),
        **_help(_("Agency id or slug; matches the public authority or a related agency.")),
    )
    status = django_filters.ChoiceFilter(
        choices=RTIStatus.choices, label=_("Status"), **_help(_("RTI status code."))
    )
    outcome = django_filters.ChoiceFilter(
        choices=RTIOutcome.choices, label=_("Outcome"), **_help(_("Outcome code."))
    )
    filed_after = django_filters.DateFilter(
        field_name="filed_on",
        lookup_expr="gte",
        label=_("Filed on or after"),
        **_help(_("YYYY-MM-DD; requests filed on or after this date.")),
    )
    filed_before = django_filters.DateFilter(
        field_name="filed_on",
        lookup_expr="lte",
        label=_("Filed on or before"),
        **_help(_("YYYY-MM-DD; requests filed on or before this date.")),
    )
    year = django_filters.NumberFilter(
        field_name="filed_on",
        lookup_expr="year",
        label=_("Year filed"),
        min_value=2005,
        max_value=2999,
        **_help(_("Year the request was filed, e.g. 2024.")),
    )
    overdue = django_filters.ChoiceFilter(
        choices=(("true", _("Overdue")), ("false", _("Not overdue"))),
        method="filter_overdue",
        label=_("Overdue"),
        **_help(
            _(
                "true: as of today in India, the public authority owes a decision whose "
                "deadline has passed (the PIO's, or the first appellate authority's)."
            )
        ),
    )
    deemed_refused = django_filters.ChoiceFilter(
        choices=(("true", _("Deemed refused")), ("false", _("Not deemed refused"))),
        method="filter_deemed_refused",
        label=_("Deemed refused"),
        **_help(_("true: no reply came within the PIO's deadline (section 7(2)), as of today.")),
    )
    first_appeal = django_filters.ChoiceFilter(
        choices=(
            ("pending", _("Window open")),
            ("expired", _("Window closed, no appeal")),
            ("met", _("Filed in time")),
            ("late", _("Filed late")),
        ),
        field_name="first_appeal_state",
        label=_("First appeal"),
        **_help(_("The applicant's first-appeal window as of today (section 19(1)).")),
    )
    ordering = ordering_filter("filed_on", "updated_at", "overdue_since", "decision_due_on")

    class Meta(PublicFilterSet.Meta):
        model = RTIRequest
        fields = []

    def filter_overdue(self, queryset, name, value: str):
        return queryset.filter(RTI_OVERDUE) if value == "true" else queryset.exclude(RTI_OVERDUE)

    def filter_deemed_refused(self, queryset, name, value: str):
        return (
            queryset.filter(RTI_DEEMED_REFUSED)
            if value == "true"
            else queryset.exclude(RTI_DEEMED_REFUSED)
        )

    def filter_agency(self, queryset, name, agency_id):
        related = RTIRequest.agencies.through.objects.filter(agency_id=agency_id)
        return queryset.filter(
            Q(authority_id=agency_id) | Q(pk__in=related.values("rtirequest_id"))
        )


class SourceFilter(PublicFilterSet):
    health = django_filters.ChoiceFilter(
        field_name="health",
        choices=SourceHealth.choices,
        label=_("Health"),
        **_help(_("Health state of the source.")),
    )
    kind = django_filters.ChoiceFilter(
        choices=SourceKind.choices, label=_("Kind"), **_help(_("Kind of source."))
    )
    ordering = ordering_filter("published_on", "last_checked_at", "updated_at")

    class Meta(PublicFilterSet.Meta):
        model = Source
        fields = []


MAX_ID = 2**63 - 1  # PostgreSQL's bigint


class IdFilter(django_filters.Filter):
    """A row's id: a whole number (an id in another form is an error, not a guess)."""

    field_class = forms.IntegerField


class EvidenceFilter(django_filters.FilterSet):
    """The claim-to-source links of published deployments (the evidence export)."""

    claim = django_filters.ChoiceFilter(
        choices=Claim.choices, label=_("Claim"), **_help(_("Claim code."))
    )
    deployment = IdFilter(
        field_name="citation__deployment_id",
        label=_("Deployment"),
        min_value=1,
        max_value=MAX_ID,
        **_help(_("A deployment's id.")),
    )

    class Meta:
        model = Evidence
        fields = []

    @property
    def qs(self):
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        return super().qs.order_by("citation__deployment_id", "claim", "id")
