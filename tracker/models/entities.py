"""Agencies, deployments and hotspots: the things the map shows."""

from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import RegexValidator
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from . import lookups  # noqa: F401  (registers location__x / location__y)
from .base import PublicEntity
from .vocab import (
    AgencyKind,
    AgencyLevel,
    Confidence,
    DatePrecision,
    DeploymentStatus,
    HotspotKind,
    LocationPrecision,
    PurposeClass,
    PurposeTag,
    Technology,
)


def valid_point(field):
    """Constraint: a point, when present, has longitude -180..180 and latitude -90..90."""
    return Q(**{f"{field}__isnull": True}) | Q(
        **{
            f"{field}__x__gte": -180,
            f"{field}__x__lte": 180,
            f"{field}__y__gte": -90,
            f"{field}__y__lte": 90,
        }
    )


def published_order_index(name, order):
    """An index on published rows in a list's sort order (a column, ``-`` for descending,
    then the id that breaks ties), matching the ORDER BY the list pages with."""
    column = F(order.lstrip("-"))
    return models.Index(
        column.desc() if order.startswith("-") else column,
        F("id"),
        name=name,
        condition=Q(publication="published"),
    )


# A Wikidata item: Q and a number without leading zeros. Entered by people (no calls to
# Wikidata), so checked for its form only; researchers use it to join other data sets.
WIKIDATA_ID_PATTERN = r"^Q[1-9][0-9]{0,11}$"


def wikidata_id_field():
    return models.CharField(
        _("Wikidata id"),
        max_length=13,
        blank=True,
        validators=[
            RegexValidator(
                WIKIDATA_ID_PATTERN, _("Enter a Wikidata item id: Q followed by its number.")
            )
        ],
        help_text=_("The Wikidata item, e.g. Q42; leave empty if there is none."),
    )


def wikidata_id_constraint(name):
    return models.CheckConstraint(
        condition=Q(wikidata_id="") | Q(wikidata_id__regex=WIKIDATA_ID_PATTERN), name=name
    )


class Agency(PublicEntity):
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    aliases = ArrayField(
        models.CharField(max_length=200), verbose_name=_("other names"), default=list, blank=True
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=AgencyKind.choices, default=AgencyKind.OTHER
    )
    level = models.CharField(_("level"), max_length=10, choices=AgencyLevel.choices, blank=True)
    state = models.ForeignKey(
        "tracker.State", models.PROTECT, null=True, blank=True, verbose_name=_("state")
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent agency"),
    )
    website = models.URLField(_("website"), blank=True)
    location = models.PointField(_("location"), srid=4326, null=True, blank=True)
    pio_address = models.TextField(_("PIO office address"), blank=True)
    rti_portal_url = models.URLField(_("RTI portal"), blank=True)
    appellate_authority = models.TextField(_("first appellate authority"), blank=True)
    description = models.TextField(_("description"), blank=True)
    wikidata_id = wikidata_id_field()

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.CheckConstraint(condition=valid_point("location"), name="agency_valid_location"),
            models.CheckConstraint(condition=~Q(name=""), name="agency_name_not_empty"),
            wikidata_id_constraint("agency_wikidata_id_form"),
        ]
        indexes = [
            GinIndex(fields=["search_document"], name="agency_search_document", fastupdate=False)
        ]

    def __str__(self):
        return self.name


class Vendor(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    country = models.CharField(_("country"), max_length=80, blank=True)
    website = models.URLField(_("website"), blank=True)
    wikidata_id = wikidata_id_field()

    class Meta:
        ordering = ["name"]
        verbose_name = _("vendor")
        constraints = [wikidata_id_constraint("vendor_wikidata_id_form")]

    def __str__(self):
        return self.name


class Deployment(PublicEntity):
    title = models.CharField(_("title"), max_length=300)
    lead_agency = models.ForeignKey(
        Agency, models.PROTECT, related_name="led_deployments", verbose_name=_("lead agency")
    )
    partner_agencies = models.ManyToManyField(
        Agency, blank=True, related_name="partner_deployments", verbose_name=_("partner agencies")
    )
    technology = models.CharField(_("technology"), max_length=30, choices=Technology.choices)
    purpose_class = models.CharField(_("purpose"), max_length=20, choices=PurposeClass.choices)
    purpose_tags = ArrayField(
        models.CharField(max_length=30, choices=PurposeTag.choices),
        verbose_name=_("purpose tags"),
        default=list,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DeploymentStatus.choices, db_index=True
    )
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    announced_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    tender_published_on = models.DateField(_("tender published on"), null=True, blank=True)
    tender_published_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    in_use_since = models.DateField(_("in use since"), null=True, blank=True)
    in_use_since_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    last_reported_use = models.DateField(_("last reported use"), null=True, blank=True)
    last_reported_use_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    state = models.ForeignKey(
        "tracker.State",
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("state"),
        help_text=_("Empty means national scope."),
    )
    district = models.CharField(_("district"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    location = models.PointField(_("location"), srid=4326, null=True, blank=True)
    area = models.MultiPolygonField(_("area"), srid=4326, null=True, blank=True)
    location_precision = models.CharField(
        _("location precision"), max_length=10, choices=LocationPrecision.choices, blank=True
    )
    camera_count = models.IntegerField(_("number of cameras"), null=True, blank=True)
    cost_inr = models.BigIntegerField(_("cost (INR)"), null=True, blank=True)
    cost_covers = models.CharField(_("what the cost covers"), max_length=300, blank=True)
    funding_source = models.CharField(_("funding source"), max_length=200, blank=True)
    vendors = models.ManyToManyField(
        Vendor, blank=True, related_name="deployments", verbose_name=_("vendors")
    )
    legal_basis = models.TextField(_("legal basis"), blank=True)
    legal_basis_url = models.URLField(_("legal basis link"), blank=True)
    court_cases = models.TextField(_("court cases"), blank=True)
    data_retention = models.TextField(_("data retention"), blank=True)
    accuracy_claims = models.TextField(_("accuracy claims"), blank=True)
    summary = models.TextField(_("summary"), blank=True, help_text=_("Markdown."))
    confidence = models.CharField(
        _("confidence"), max_length=12, choices=Confidence.choices, default=Confidence.REPORTED
    )
    last_verified_on = models.DateField(_("last verified on"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "id"]
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")
        constraints = [
            models.CheckConstraint(
                condition=valid_point("location"), name="deployment_valid_location"
            ),
            models.CheckConstraint(
                condition=Q(camera_count__isnull=True) | Q(camera_count__gte=0),
                name="deployment_camera_count_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(cost_inr__isnull=True) | Q(cost_inr__gte=0),
                name="deployment_cost_not_negative",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="deployment_title_not_empty"),
        ]
        indexes = [
            models.Index(fields=["technology", "status"]),
            # The lists' default order, so a deep page walks an index, not a sort.
            models.Index(
                F("updated_at").desc(),
                F("id"),
                name="deployment_published_recent",
                condition=Q(publication="published"),
            ),
            # The list's other sort options (NULLs where PostgreSQL sorts them), so any
            # page of them walks an index from the nearer end, or seeks into it.
            published_order_index("deployment_pub_title", "title"),
            published_order_index("deployment_pub_announced_d", "-announced_on"),
            published_order_index("deployment_pub_announced_a", "announced_on"),
            published_order_index("deployment_pub_cameras_d", "-camera_count"),
            # A state's list in the default order, and its counts, from the index alone: the
            # commonest filter of one-off API queries (state, with a status or technology).
            models.Index(
                fields=["state", "-updated_at", "id"],
                name="deployment_pub_state_recent",
                include=["status", "technology"],
                condition=Q(publication="published"),
            ),
            # Each agency's count of published deployments, read from the index alone.
            models.Index(
                fields=["lead_agency"],
                name="deployment_published_lead",
                condition=Q(publication="published"),
            ),
            GinIndex(
                fields=["search_document"], name="deployment_search_document", fastupdate=False
            ),
        ]

    def __str__(self):
        return self.title

    def slug_source(self):
        return self.title

    def agencies(self):
        """The lead agency first, then partners."""
        return [self.lead_agency, *self.partner_agencies.all()]


class LinkedDatabase(models.Model):
    """A database the deployment matches faces against or feeds (e.g. CCTNS)."""

    class Storage(models.TextChoices):
        PERMANENT = "permanent", _("Permanent")
        TEMPORARY = "temporary", _("Temporary")
        UNKNOWN = "unknown", _("Unknown")

    deployment = models.ForeignKey(Deployment, models.CASCADE, related_name="linked_databases")
    name = models.CharField(_("name"), max_length=200)
    is_public = models.BooleanField(_("public database"), null=True, blank=True)
    storage = models.CharField(
        _("storage"), max_length=10, choices=Storage.choices, default=Storage.UNKNOWN
    )

    class Meta:
        verbose_name = _("linked database")
        constraints = [
            models.UniqueConstraint(fields=["deployment", "name"], name="linked_database_unique")
        ]

    def __str__(self):
        return self.name


class Hotspot(PublicEntity):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=HotspotKind.choices, default=HotspotKind.OTHER
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = models.ForeignKey(
        "tracker.State", models.PROTECT, null=True, blank=True, verbose_name=_("state")
    )
    location = models.PointField(_("location"), srid=4326)
    area = models.MultiPolygonField(_("area"), srid=4326, null=True, blank=True)
    camera_count = models.IntegerField(_("number of cameras"), null=True, blank=True)
    deployments = models.ManyToManyField(
        Deployment, blank=True, related_name="hotspots", verbose_name=_("deployments")
    )
    agency = models.ForeignKey(
        Agency,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="hotspots",
        verbose_name=_("agency"),
    )
    identified_on = models.DateField(_("identified on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("hotspot")
        verbose_name_plural = _("hotspots")
        constraints = [
            models.CheckConstraint(
                condition=valid_point("location"), name="hotspot_valid_location"
            ),
            models.CheckConstraint(
                condition=Q(camera_count__isnull=True) | Q(camera_count__gte=0),
                name="hotspot_camera_count_not_negative",
            ),
        ]
        indexes = [
            GinIndex(fields=["search_document"], name="hotspot_search_document", fastupdate=False),
            # The list's default order over a million camera points.
            models.Index(
                fields=["name", "id"],
                name="hotspot_published_name",
                condition=Q(publication="published"),
            ),
            models.Index(
                fields=["state", "name", "id"],
                name="hotspot_published_state_name",
                condition=Q(publication="published"),
            ),
            # The list's other sort options (as for deployments).
            published_order_index("hotspot_pub_cameras_d", "-camera_count"),
            published_order_index("hotspot_pub_updated_d", "-updated_at"),
        ]

    def __str__(self):
        return self.name
