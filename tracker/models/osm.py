"""Cameras mapped by OpenStreetMap's contributors, kept as a layer of their own.

OpenStreetMap's data is under the ODbL: it is never mixed into our entries (a
hotspot's ``camera_count`` stays what our sources say), it is shown with its
attribution, and each camera keeps the OSM id, version, timestamp and tags it
had in the last extract imported (``tracker.ingest.osm``). A camera missing
from a later extract, or deleted in it, is marked deleted, not removed, so a
re-import can bring it back and the record of what was matched stays.
"""

from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .entities import Hotspot, valid_point


class OsmElement(models.TextChoices):
    NODE = "node", _("node")
    WAY = "way", _("way")


class OsmCamera(models.Model):
    osm_type = models.CharField(_("OpenStreetMap element"), max_length=4, choices=OsmElement)
    osm_id = models.BigIntegerField(_("OpenStreetMap id"))
    version = models.IntegerField(_("version"))
    osm_timestamp = models.DateTimeField(_("last edited in OpenStreetMap"), null=True)
    tags = models.JSONField(_("tags"), default=dict)
    # A node's position; a way's (a camera drawn as a line or area) centre.
    location = models.PointField(_("location"), srid=4326)
    hotspot = models.ForeignKey(
        Hotspot,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="osm_cameras",
        verbose_name=_("hotspot"),
    )
    imported_at = models.DateTimeField(_("last changed by an import"))
    deleted_at = models.DateTimeField(_("deleted in OpenStreetMap"), null=True, blank=True)

    class Meta:
        verbose_name = _("OpenStreetMap camera")
        verbose_name_plural = _("OpenStreetMap cameras")
        constraints = [
            models.UniqueConstraint(fields=["osm_type", "osm_id"], name="osm_camera_unique"),
            models.CheckConstraint(condition=valid_point("location"), name="osm_camera_valid"),
        ]
        indexes = [
            # Each hotspot's count of mapped cameras.
            models.Index(
                fields=["hotspot"], name="osm_camera_live_hotspot", condition=Q(deleted_at=None)
            ),
        ]

    def __str__(self):
        return f"{self.osm_type}/{self.osm_id}"

    @property
    def osm_url(self):
        return f"https://www.openstreetmap.org/{self.osm_type}/{self.osm_id}"


class OsmImport(models.Model):
    """One run of ``import_osm``: what it read and what it changed (for operators, and the
    date the map's attribution gives for the layer)."""

    file_name = models.CharField(max_length=500)
    file_size = models.BigIntegerField()
    # The extract's own date (its header's replication timestamp), when it says one.
    extract_timestamp = models.DateTimeField(null=True, blank=True)
    bounds = models.PolygonField(srid=4326, null=True, blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    cameras_read = models.IntegerField()
    added = models.IntegerField()
    changed = models.IntegerField()
    deleted = models.IntegerField()
    matched = models.IntegerField()

    class Meta:
        ordering = ["-finished_at"]
        get_latest_by = "finished_at"

    def __str__(self):
        return f"{self.file_name} at {self.finished_at:%Y-%m-%d %H:%M}"
