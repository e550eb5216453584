"""Sources, their health checks, and the citations that tie them to claims."""

from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import ChoiceLabels, WithoutDocumentManager
from .vocab import SourceCheckOutcome, SourceHealth, SourceKind

HEALTH_FIELDS = [
    "last_checked_at",
    "http_status",
    "final_url",
    "etag",
    "last_modified",
    "fingerprint",
    "last_changed_at",
    "consecutive_failures",
    "health",
    "next_check_at",
    "check_claimed_at",
]


class Source(ChoiceLabels):
    url = models.URLField(_("URL"), max_length=2000, unique=True)
    title = models.CharField(_("title"), max_length=500)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=SourceKind.choices, default=SourceKind.NEWS
    )
    language = models.CharField(_("language"), max_length=10, blank=True, default="en")
    published_on = models.DateField(_("published on"), null=True, blank=True)
    archive_url = models.URLField(_("archived copy"), max_length=2000, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Health, maintained by the source checker.
    health = models.CharField(
        _("health"),
        max_length=12,
        choices=SourceHealth.choices,
        default=SourceHealth.UNCHECKED,
        db_index=True,
    )
    last_checked_at = models.DateTimeField(_("last checked at"), null=True, blank=True)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    final_url = models.URLField(_("final URL"), max_length=2000, blank=True)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    fingerprint = models.CharField(_("content fingerprint"), max_length=64, blank=True)
    last_changed_at = models.DateTimeField(_("last changed at"), null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    next_check_at = models.DateTimeField(null=True, blank=True, db_index=True)
    check_claimed_at = models.DateTimeField(null=True, blank=True)
    # Full-text document, written by a database trigger (migration 0008_search_documents).
    search_document = SearchVectorField(null=True, editable=False)
    objects = WithoutDocumentManager()

    history = HistoricalRecords(excluded_fields=[*HEALTH_FIELDS, "search_document"])

    class Meta:
        ordering = ["id"]
        verbose_name = _("source")
        # tracker.permissions.SOURCE_REVIEW
        permissions = [("review_source", "Can review sources that changed or broke")]
        indexes = [
            GinIndex(fields=["search_document"], name="source_search_document", fastupdate=False)
        ]

    def __str__(self):
        return self.title or self.url


class SourceCheck(ChoiceLabels):
    """One fetch of a source: kept so moderators can see its history."""

    source = models.ForeignKey(Source, models.CASCADE, related_name="checks")
    checked_at = models.DateTimeField(_("checked at"), db_index=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=SourceCheckOutcome.choices)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.URLField(max_length=2000, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    bytes = models.PositiveBigIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    text_excerpt = models.TextField(blank=True)

    class Meta:
        ordering = ["-checked_at", "-id"]
        verbose_name = _("source check")


class ArchivedText(models.Model):
    """The readable text of a page, stored once however many versions share it."""

    sha256 = models.CharField(max_length=64, unique=True)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("archived text")


class SourceVersion(models.Model):
    """A version of a source whose text changed: the evidence of what a page said when.

    The raw response lives in a WARC file under ARCHIVE_ROOT (``warc_path`` is
    relative to it); the extracted text in ``text``.
    """

    source = models.ForeignKey(Source, models.CASCADE, related_name="versions")
    source_check = models.ForeignKey(
        SourceCheck, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.ForeignKey(ArchivedText, models.PROTECT, related_name="versions")
    fetched_at = models.DateTimeField(_("fetched at"), db_index=True)
    url = models.URLField(_("URL fetched"), max_length=2000)
    http_status = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=200, blank=True)
    bytes = models.PositiveBigIntegerField(default=0)
    warc_path = models.CharField(max_length=300)
    warc_offset = models.PositiveBigIntegerField(default=0)
    warc_bytes = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-fetched_at", "-id"]
        verbose_name = _("source version")


class CheckerStatus(models.Model):
    """One row: whether the checker can reach the internet, as the last sweeps judged it."""

    offline_since = models.DateTimeField(null=True, blank=True)
    offline_reason = models.CharField(max_length=300, blank=True)
    last_online_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("checker status")

    @classmethod
    def current(cls) -> "CheckerStatus":
        return cls.objects.get_or_create(pk=1)[0]


CITATION_TARGETS = ("deployment", "agency", "hotspot", "rti_request")


class Citation(models.Model):
    """A source supporting a claim about exactly one entity."""

    source = models.ForeignKey(Source, models.PROTECT, related_name="citations")
    deployment = models.ForeignKey(
        "tracker.Deployment", models.CASCADE, null=True, blank=True, related_name="citations"
    )
    agency = models.ForeignKey(
        "tracker.Agency", models.CASCADE, null=True, blank=True, related_name="citations"
    )
    hotspot = models.ForeignKey(
        "tracker.Hotspot", models.CASCADE, null=True, blank=True, related_name="citations"
    )
    rti_request = models.ForeignKey(
        "tracker.RTIRequest", models.CASCADE, null=True, blank=True, related_name="citations"
    )
    claim = models.CharField(_("claim supported"), max_length=500, blank=True)
    quote = models.TextField(_("quote"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    TARGETS = CITATION_TARGETS

    class Meta:
        ordering = ["id"]
        verbose_name = _("citation")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(deployment__isnull=False, agency=None, hotspot=None, rti_request=None)
                    | Q(deployment=None, agency__isnull=False, hotspot=None, rti_request=None)
                    | Q(deployment=None, agency=None, hotspot__isnull=False, rti_request=None)
                    | Q(deployment=None, agency=None, hotspot=None, rti_request__isnull=False)
                ),
                name="citation_exactly_one_target",
            ),
            *[
                models.UniqueConstraint(
                    fields=["source", target],
                    condition=Q(**{f"{target}__isnull": False}),
                    name=f"citation_unique_{target}",
                )
                for target in CITATION_TARGETS
            ],
        ]

    def __str__(self):
        return f"{self.source} → {self.target}"

    @property
    def target(self):
        return self.deployment or self.agency or self.hotspot or self.rti_request
