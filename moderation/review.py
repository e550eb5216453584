"""Reads for moderators: the queue, a submission's diff, its sources' health and warnings."""

import json
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.gis.geos import Point
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker.catalogue.geography import point_plausibly_in_state
from tracker.catalogue.links import detail_url
from tracker.catalogue.visibility import public_rows
from tracker.ingest.normalise import normalise_url
from tracker.models import Dispute, LinkedDatabase, Publication, ReviewItem, Source, State

from .diff import field_changes
from .duplicates import agencies_named, deployment_duplicates, likely_duplicates
from .entities import (
    DATE_PRECISIONS,
    NEW_AGENCY_KEY,
    PROPOSABLE_FIELDS,
    entity_data,
    entity_model,
)
from .evidence import entity_evidence, evidence_display_changes
from .models import DRAFT_KEY, EntityType, Submission, SubmissionKind, SubmissionStatus
from .services import approvals_counted

QUEUE_AGES = {"1": 1, "7": 7, "30": 30}  # "older than N days"
SOURCES_KIND = "sources"
DISPUTES_KIND = "disputes"


def _older_than(days):
    return timezone.now() - timedelta(days=days) if days else None


def queue_submissions(*, kind="", age=""):
    """Pending submissions, oldest first (the queue index serves this), each with the
    approvals of the version a review shows now (``approval_count``)."""
    if kind in (SOURCES_KIND, DISPUTES_KIND):
        return Submission.objects.none()
    found = Submission.objects.filter(status=SubmissionStatus.PENDING)
    if kind in EntityType.values:
        found = found.filter(entity_type=kind)
    before = _older_than(QUEUE_AGES.get(age))
    if before:
        found = found.filter(submitted_at__lte=before)
    return approvals_counted(found.select_related("volunteer")).order_by("submitted_at", "id")


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


# ---------------------------------------------------------------- a volunteer's list


@dataclass
class SubmissionRow:
    """A submission as a volunteer's lists show it: where its published entry is (once
    approved), and until when its withdrawal can be undone."""

    submission: Submission
    live_url: str = ""
    undo_until: object = None


def submission_rows(submissions) -> list[SubmissionRow]:
    """Rows for ``submissions``; the published entries' pages are found in one query per
    kind of entry."""
    approved = {}
    for submission in submissions:
        if submission.status == SubmissionStatus.APPROVED and submission.target_id:
            approved.setdefault(submission.entity_type, set()).add(submission.target_id)
    live = {}
    for entity_type, ids in approved.items():
        model = entity_model(entity_type)
        for entity in model.objects.filter(pk__in=ids, publication=Publication.PUBLISHED).only(
            "pk", "slug"
        ):
            live[(entity_type, entity.pk)] = detail_url(entity)
    return [
        SubmissionRow(
            submission=submission,
            live_url=live.get((submission.entity_type, submission.target_id), "")
            if submission.status == SubmissionStatus.APPROVED
            else "",
            undo_until=submission.withdrawal_undo_until(),
        )
        for submission in submissions
    ]


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
    if value is None or value == "" or value == []:
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
    if name == "vendors":
        return ", ".join(value)
    if name == "linked_databases":
        return "; ".join(_database_display(item) for item in value)
    field = meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        return names.get((field.related_model, value), _("an entry that is not public"))
    if field.many_to_many:
        return ", ".join(
            names.get((field.related_model, pk), _("an entry that is not public")) for pk in value
        )
    if isinstance(field, ArrayField) and field.base_field.choices:
        labels = dict(field.base_field.choices)
        return ", ".join(str(labels.get(item, item)) for item in value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field.choices:
        return str(dict(field.choices).get(value, value))
    return str(value)


def _database_display(item):
    public = {True: _("public"), False: _("private")}.get(item.get("is_public"), _("not known"))
    storage = dict(LinkedDatabase.Storage.choices).get(item.get("storage"), item.get("storage"))
    return f"{item.get('name')} ({public}, {str(storage).lower()})"


def _label(meta, name):
    if name == "linked_databases":
        return _("Linked databases")
    if name in DATE_PRECISIONS.values():
        date_field = next(d for d, p in DATE_PRECISIONS.items() if p == name)
        return _("%(date)s: precision") % {
            "date": str(meta.get_field(date_field).verbose_name).capitalize()
        }
    return str(meta.get_field(name).verbose_name).capitalize()


def _related_names(meta, changes, *, moderator):
    """{(model, pk): name} for the rows foreign keys and links point at, one query per
    related model: every row for a moderator, only public ones for anyone else (a draft
    agency's name stays unseen)."""
    wanted = {}
    for change in changes:
        if change.field in ("location", "area", "vendors", "linked_databases"):
            continue
        field = meta.get_field(change.field)
        if isinstance(field, models.ForeignKey) or field.many_to_many:
            for value in (change.old, change.new):
                values = value if isinstance(value, list) else [value]
                wanted.setdefault(field.related_model, set()).update(
                    v for v in values if v is not None
                )
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
    names = _related_names(meta, changes, moderator=moderator)
    proposed_agency = submission.data.get(NEW_AGENCY_KEY)
    shown = []
    for change in changes:
        new = _display(meta, change.field, change.new, names)
        if change.field == "lead_agency" and proposed_agency:
            new = _("New: %(name)s (below)") % {"name": proposed_agency.get("name")}
        shown.append(
            DisplayChange(
                field=change.field,
                label=_label(meta, change.field),
                old=_display(meta, change.field, change.old, names),
                new=new,
            )
        )
    if proposed_agency and not any(c.field == "lead_agency" for c in shown):
        shown.insert(
            0,
            DisplayChange(
                field="lead_agency",
                label=_label(meta, "lead_agency"),
                old=_display(meta, "lead_agency", current.get("lead_agency"), names),
                new=_("New: %(name)s (below)") % {"name": proposed_agency.get("name")},
            ),
        )
    return shown


def proposed_agency_rows(submission) -> list[DisplayChange]:
    """The agency proposed with a deployment, field by field (empty when there is none)."""
    proposed = submission.data.get(NEW_AGENCY_KEY)
    if not proposed:
        return []
    meta = entity_model(EntityType.AGENCY)._meta
    states = {s.pk: str(s) for s in State.objects.filter(pk=proposed.get("state"))}
    rows = []
    for name, value in proposed.items():
        try:
            meta.get_field(name)
        except FieldDoesNotExist:
            continue
        shown = states.get(value, value) if name == "state" else value
        rows.append(
            DisplayChange(
                field=name,
                label=_label(meta, name),
                old="",
                new=_display(meta, name, shown, {}) if name != "state" else (shown or "—"),
            )
        )
    return rows


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
    proposed = submission.data.get(NEW_AGENCY_KEY) or (
        submission.data if submission.entity_type == EntityType.AGENCY else None
    )
    if proposed:
        names = [proposed.get("name"), proposed.get("short_name"), *(proposed.get("aliases") or [])]
        exclude = submission.target_id if submission.kind == SubmissionKind.EDIT else None
        for agency in agencies_named([n for n in names if n], exclude_id=exclude):
            warnings.append(
                {
                    "message": _("An agency on the site has this name: “%(name)s”.")
                    % {"name": agency.name},
                    "url": detail_url(agency),
                }
            )
    if submission.status == SubmissionStatus.PENDING:
        for other in likely_duplicates(
            volunteer=submission.volunteer,
            entity_type=submission.entity_type,
            kind=submission.kind,
            target_id=submission.target_id,
            data=submission.data,
        ):
            warnings.append(
                {
                    "message": _("Another pending submission may be the same: “%(title)s”.")
                    % {"title": other.title},
                    "url": reverse("moderation:review", args=[other.pk]),
                }
            )
    return warnings
