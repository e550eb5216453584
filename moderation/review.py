"""Reads for moderators: the queue, a submission's diff, its sources' health and warnings."""

import json
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.gis.geos import Point
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker.catalogue.geography import point_plausibly_in_state
from tracker.catalogue.links import detail_url
from tracker.catalogue.visibility import public_rows
from tracker.ingest.normalise import normalise_url
from tracker.models import Dispute, ReviewItem, Source, State

from .diff import field_changes
from .duplicates import deployment_duplicates
from .entities import PROPOSABLE_FIELDS, entity_data, entity_model
from .evidence import entity_evidence, evidence_display_changes
from .models import DRAFT_KEY, EntityType, Submission, SubmissionKind, SubmissionStatus

QUEUE_AGES = {"1": 1, "7": 7, "30": 30}  # "older than N days"
SOURCES_KIND = "sources"
DISPUTES_KIND = "disputes"


def _older_than(days):
    return timezone.now() - timedelta(days=days) if days else None


def queue_submissions(*, kind="", age=""):
    """Pending submissions, oldest first (the queue index serves this), each with the
    approvals its current revision has (``approval_count``)."""
    if kind in (SOURCES_KIND, DISPUTES_KIND):
        return Submission.objects.none()
    found = Submission.objects.filter(status=SubmissionStatus.PENDING)
    if kind in EntityType.values:
        found = found.filter(entity_type=kind)
    before = _older_than(QUEUE_AGES.get(age))
    if before:
        found = found.filter(submitted_at__lte=before)
    approvals = models.Count("approvals", filter=models.Q(approvals__revision=models.F("revision")))
    return (
        found.select_related("volunteer")
        .annotate(approval_count=approvals)
        .order_by("submitted_at", "id")
    )


def queue_disputes(*, kind="", age=""):
    """Readers' open disputes, oldest first."""
    if kind and kind != DISPUTES_KIND:
        return Dispute.objects.none()
    found = Dispute.objects.filter(status=Dispute.Status.OPEN)
    before = _older_than(QUEUE_AGES.get(age))
    if before:
        found = found.filter(created_at__lte=before)
    return found.order_by("created_at", "id")


def queue_review_items(*, kind="", age=""):
    """Source review items not yet reviewed (changed, broken, moved, blocked), oldest first."""
    if kind and kind != SOURCES_KIND:
        return ReviewItem.objects.none()
    found = ReviewItem.objects.filter(reviewed_at__isnull=True)
    before = _older_than(QUEUE_AGES.get(age))
    if before:
        found = found.filter(created_at__lte=before)
    return found.select_related("source").order_by("created_at", "id")


def reviewable_submissions():
    """Every submission a moderator may open: all but drafts, which stay private to their
    author until sent."""
    return Submission.objects.exclude(status=SubmissionStatus.DRAFT)


# ---------------------------------------------------------------- one submission


@dataclass
class DisplayChange:
    field: str
    label: str
    old: str
    new: str


def _current_entity(submission):
    """The published entry a correction or a re-check is about (None for a new one)."""
    if submission.kind == SubmissionKind.NEW:
        return None
    return entity_model(submission.entity_type).objects.filter(pk=submission.target_id).first()


def _display(meta, name, value, names):
    if value is None or value == "":
        return "—"
    if name == "location":
        return f"{value[1]:.5f}, {value[0]:.5f}"
    if name == "area":
        try:
            shape = json.loads(value) if isinstance(value, str) else value
            count = sum(len(ring) for poly in shape.get("coordinates", []) for ring in poly)
        except (ValueError, AttributeError, TypeError):
            count = 0
        return _("an area of %(count)d points") % {"count": count}
    field = meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        return names.get((field.related_model, value), _("an entry that is not public"))
    if field.choices:
        return str(dict(field.choices).get(value, value))
    return str(value)


def _related_names(wanted, *, moderator):
    """{(model, pk): name} for the related rows a diff names: every row for a moderator,
    only public ones for anyone else (a draft agency's name stays unseen)."""
    names = {}
    for related, pks in wanted.items():
        hidden = not moderator and hasattr(related, "publication")
        rows = public_rows(related) if hidden else related._base_manager
        names.update({(related, obj.pk): str(obj) for obj in rows.filter(pk__in=pks)})
    return names


def submission_changes(submission, *, moderator=False) -> list[DisplayChange]:
    """The proposal against what is published now, field by field, in readable words.

    Related entries are named only when public, unless a ``moderator`` reads it."""
    model = entity_model(submission.entity_type)
    current_entity = _current_entity(submission)
    current = entity_data(current_entity, submission.entity_type) if current_entity else {}
    fields = PROPOSABLE_FIELDS[EntityType(submission.entity_type)]
    changes = field_changes(fields=fields, current=current, proposed=submission.data)
    meta = model._meta
    # Names of related rows, one query per related model.
    wanted = {}
    for change in changes:
        if change.field in ("location", "area"):
            continue
        field = meta.get_field(change.field)
        if isinstance(field, models.ForeignKey):
            wanted.setdefault(field.related_model, set()).update(
                v for v in (change.old, change.new) if v is not None
            )
    names = _related_names(wanted, moderator=moderator)
    return [
        DisplayChange(
            field=change.field,
            label=str(
                meta.get_field(
                    "location" if change.field == "location" else change.field
                ).verbose_name
            ).capitalize(),
            old=_display(meta, change.field, change.old, names),
            new=_display(meta, change.field, change.new, names),
        )
        for change in changes
    ]


def submission_evidence_changes(submission):
    """The evidence part of the diff: each proposed item against the entry's evidence."""
    if DRAFT_KEY in submission.data or not submission.evidence:
        return []
    urls = {item["url"] for item in submission.evidence}
    titles = dict(Source.objects.filter(url__in=urls).values_list("url", "title"))
    for item in submission.sources:
        titles.setdefault(normalise_url(item["url"]), item.get("title") or item["url"])
    return evidence_display_changes(
        current=entity_evidence(_current_entity(submission)),
        changes=submission.evidence,
        titles=titles,
    )


def submission_sources(submission):
    """Each cited URL with the health of the Source it matches, if it is already known."""
    known = {
        s.url: s
        for s in Source.objects.filter(
            url__in=[normalise_url(item["url"]) for item in submission.sources]
        )
    }
    return [
        {**item, "source": known.get(normalise_url(item["url"]))} for item in submission.sources
    ]


def submission_warnings(submission) -> list[dict]:
    """Possible duplicates and a point outside the named state: for moderators to weigh."""
    current_entity = _current_entity(submission)
    merged = {
        **(entity_data(current_entity, submission.entity_type) if current_entity else {}),
        **submission.data,
    }
    warnings = []
    location = merged.get("location")
    point = Point(location[0], location[1], srid=4326) if location else None
    state = State.objects.filter(pk=merged.get("state")).first() if merged.get("state") else None
    if point is not None and state is not None and point_plausibly_in_state(point, state) is False:
        warnings.append(
            {
                "message": _("The point lies outside %(state)s: check the coordinates.")
                % {"state": state.name},
                "url": "",
            }
        )
    if submission.entity_type == EntityType.DEPLOYMENT:
        for duplicate in deployment_duplicates(
            lead_agency_id=merged.get("lead_agency"),
            technology=merged.get("technology") or "",
            city=merged.get("city") or "",
            point=point,
            exclude_id=None if submission.kind == SubmissionKind.NEW else submission.target_id,
        ):
            warnings.append(
                {
                    "message": _(
                        "Possible duplicate: “%(title)s” (same agency, technology and city, "
                        "or within 500 m)."
                    )
                    % {"title": duplicate.title},
                    "url": detail_url(duplicate),
                }
            )
    return warnings
