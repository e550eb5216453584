"""FilterSets shared by the API (DjangoFilterBackend) and the public list pages.

Parameter names are the contract of DESIGN section 8; researchers code against
them, so they never change meaning. Where they apply:

- ``state``: ISO 3166-2 code of a state or union territory, e.g. ``IN-UP``
  (case-insensitive).
- ``agency``: an agency's id or slug; matches the lead agency or a partner
  (deployments), the agency (hotspots), the authority or a related agency (RTI).
- ``technology``, ``status``: vocabulary codes (``facial_recognition``, ``in_use``).
- ``purpose``: the purpose class (``surveillance`` or ``authentication``); a
  purpose tag code (``womens_safety``, ``attendance``...) is also accepted and
  matches deployments carrying that tag.
- ``vendor``: a vendor's id or exact name (case-insensitive).
- ``q``: full-text search (``tracker.search.search``; web-search syntax).
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

Invalid values are form errors keyed by the parameter name (the API turns them
into ``400 {"<param>": [...]}``); they are never silently ignored: ``.qs`` of
an invalid FilterSet is empty. The FilterSets filter whatever queryset they
are given; callers pass ``Model.objects.published()``.
"""

import math
from datetime import UTC, datetime, time

import django_filters
from django import forms
from django.contrib.gis.geos import Point, Polygon
from django.contrib.gis.measure import D
from django.db.models import Q
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from ..models import (
    Agency,
    AgencyKind,
    AgencyLevel,
    Deployment,
    DeploymentStatus,
    Hotspot,
    HotspotKind,
    PurposeClass,
    PurposeTag,
    RTIOutcome,
    RTIRequest,
    RTIStatus,
    Source,
    SourceKind,
    SourceState,
    State,
    Technology,
    Vendor,
)
from .search import search

MAX_RADIUS_KM = 2000.0
DEFAULT_RADIUS_KM = 10.0
KM_PER_DEGREE = 111.32


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


class BBoxField(forms.CharField):
    """``minlon,minlat,maxlon,maxlat`` in WGS 84 degrees, as a polygon."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        min_lon, min_lat, max_lon, max_lat = _floats(value, 4, "72.8,18.9,73.0,19.3")
        _check_lon_lat(min_lon, min_lat)
        _check_lon_lat(max_lon, max_lat)
        if not (min_lon < max_lon and min_lat < max_lat):
            raise forms.ValidationError(
                _("The box must be minlon,minlat,maxlon,maxlat with min below max.")
            )
        return Polygon.from_bbox((min_lon, min_lat, max_lon, max_lat))


class PointParamField(forms.CharField):
    """``lon,lat`` in WGS 84 degrees, as a point."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        lon, lat = _floats(value, 2, "80.95,26.85")
        _check_lon_lat(lon, lat)
        return Point(lon, lat, srid=4326)


class TimestampField(forms.CharField):
    """An ISO 8601 date or date-time; without an offset it means UTC."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        value = value.strip()
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
            except OverflowError:
                pass
        raise forms.ValidationError(
            _("Enter an ISO 8601 date or date-time, like 2024-01-31 or 2024-01-31T12:00:00Z.")
        )


_state_codes = frozenset()


def state_codes():
    """The 36 codes: reference data loaded by a migration, so read once per process."""
    global _state_codes
    if not _state_codes:
        _state_codes = frozenset(State.objects.values_list("code", flat=True))
    return _state_codes


class StateCodeField(forms.CharField):
    """An ISO 3166-2 code of a state or union territory, any case."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        code = value.strip().upper()
        if code not in state_codes():
            raise forms.ValidationError(
                _("Unknown state code %(code)s; use an ISO 3166-2 code such as IN-UP."),
                params={"code": value},
            )
        return code


class AgencyRefField(forms.CharField):
    """A published agency's id or slug, resolved to its id."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        ref = value.strip()
        agencies = Agency.objects.published()
        match = Q(slug=ref.lower())
        if ref.isdigit():
            match |= Q(pk=int(ref))
        agency_id = agencies.filter(match).values_list("pk", flat=True).first()
        if agency_id is None:
            raise forms.ValidationError(
                _("No published agency has the id or slug %(ref)s."), params={"ref": ref}
            )
        return agency_id


class VendorRefField(forms.CharField):
    """A vendor's id or exact name (any case), resolved to its id."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        ref = value.strip()
        match = Q(name__iexact=ref)
        if ref.isdigit():
            match |= Q(pk=int(ref))
        vendor_id = Vendor.objects.filter(match).values_list("pk", flat=True).first()
        if vendor_id is None:
            raise forms.ValidationError(
                _("No vendor has the id or name %(ref)s."), params={"ref": ref}
            )
        return vendor_id


class GeoFilterForm(forms.Form):
    """Cross-field rule: ``radius_km`` only makes sense with ``near``."""

    def clean(self):
        data = super().clean()
        if "radius_km" in self.fields and data.get("radius_km") is not None:
            if not data.get("near") and "near" not in self.errors:
                self.add_error("radius_km", _("radius_km needs near=lon,lat."))
        return data


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


class StableOrderingFilter(django_filters.OrderingFilter):
    """Ordering with ``id`` as the last tie-breaker, so paging never skips or repeats rows."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            ordering = list(qs.query.order_by)
            if not {"id", "-id", "pk", "-pk"} & set(ordering):
                qs = qs.order_by(*ordering, "id")
        return qs


def _help(text):
    return {"help_text": text}


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


class PublicFilterSet(django_filters.FilterSet):
    """Shared behaviour: invalid parameters empty the result; ordering is always stable."""

    class Meta:
        form = GeoFilterForm

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

    A bounding box in degrees goes first so the spatial index does the coarse work.
    """
    lat_delta = radius_km / KM_PER_DEGREE
    cos_lat = math.cos(math.radians(point.y))
    if cos_lat > 0.01 and abs(point.y) + lat_delta < 89:
        lon_delta = lat_delta / cos_lat
        if lon_delta < 180:
            box = Polygon.from_bbox(
                (
                    max(point.x - lon_delta, -180),
                    point.y - lat_delta,
                    min(point.x + lon_delta, 180),
                    point.y + lat_delta,
                )
            )
            if point.x - lon_delta >= -180 and point.x + lon_delta <= 180:
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
        min_value=0.001,
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
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), **Q_HELP)
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
    year = django_filters.NumberFilter(
        field_name="announced_on",
        lookup_expr="year",
        label=_("Year announced"),
        min_value=1900,
        max_value=2100,
        **_help(_("Year the deployment was announced, e.g. 2019.")),
    )
    updated_since = TimestampFilter(
        field_name="updated_at", lookup_expr="gte", label=_("Updated since"), **UPDATED_SINCE_HELP
    )
    ordering = StableOrderingFilter(
        fields=("id", "title", "announced_on", "updated_at", "camera_count", "cost_inr"),
        label=_("Order by"),
        **_help(_("Sort field, - for descending; ties broken by id.")),
    )

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
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), **Q_HELP)
    updated_since = TimestampFilter(
        field_name="updated_at", lookup_expr="gte", label=_("Updated since"), **UPDATED_SINCE_HELP
    )
    ordering = StableOrderingFilter(
        fields=("id", "name", "updated_at"),
        label=_("Order by"),
        **_help(_("Sort field, - for descending; ties broken by id.")),
    )

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
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), **Q_HELP)
    updated_since = TimestampFilter(
        field_name="updated_at", lookup_expr="gte", label=_("Updated since"), **UPDATED_SINCE_HELP
    )
    ordering = StableOrderingFilter(
        fields=("id", "name", "updated_at", "camera_count", "identified_on"),
        label=_("Order by"),
        **_help(_("Sort field, - for descending; ties broken by id.")),
    )

    class Meta(GeoFilterSet.Meta):
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
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), **Q_HELP)
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
    updated_since = TimestampFilter(
        field_name="updated_at", lookup_expr="gte", label=_("Updated since"), **UPDATED_SINCE_HELP
    )
    ordering = StableOrderingFilter(
        fields=("id", "filed_on", "updated_at"),
        label=_("Order by"),
        **_help(_("Sort field, - for descending; ties broken by id.")),
    )

    class Meta(PublicFilterSet.Meta):
        model = RTIRequest
        fields = []

    def filter_agency(self, queryset, name, agency_id):
        related = RTIRequest.agencies.through.objects.filter(agency_id=agency_id)
        return queryset.filter(
            Q(authority_id=agency_id) | Q(pk__in=related.values("rtirequest_id"))
        )


class SourceFilter(PublicFilterSet):
    health = django_filters.ChoiceFilter(
        field_name="state",
        choices=SourceState.choices,
        label=_("Health"),
        **_help(_("Health state of the source.")),
    )
    kind = django_filters.ChoiceFilter(
        choices=SourceKind.choices, label=_("Kind"), **_help(_("Kind of source."))
    )
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), **Q_HELP)
    updated_since = TimestampFilter(
        field_name="updated_at", lookup_expr="gte", label=_("Updated since"), **UPDATED_SINCE_HELP
    )
    ordering = StableOrderingFilter(
        fields=("id", "published_on", "last_checked_at", "updated_at"),
        label=_("Order by"),
        **_help(_("Sort field, - for descending; ties broken by id.")),
    )

    class Meta(PublicFilterSet.Meta):
        model = Source
        fields = []
