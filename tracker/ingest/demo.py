"""Demo data for `make run`: the sample deployments plus the Lucknow hotspots case.

Loading is idempotent (update_or_create by natural keys), so running it on
every start adds nothing the second time. It only ever matches rows flagged
``is_demo``: a real entry that shares a name with a demo one is never touched.
Removing it (``remove_demo_data``, for a site that was started with it) takes
the demo rows and everything that hangs only on them, and refuses while a real
entry points at a demo one, so no real entry ever changes.
"""

import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q

from ..models import (
    Agency,
    Citation,
    Deployment,
    Hotspot,
    RTIDocument,
    RTIEvent,
    RTIRequest,
    Source,
    Vendor,
)
from ..models.base import PublicEntity
from ..publication import entities_publish_new
from .csv_import import deployments_import

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
SAMPLE_CSV = FIXTURES / "deployments-sample.csv"
LUCKNOW_CASE = FIXTURES / "demo-lucknow.json"
RTI_CASES = FIXTURES / "demo-rti.json"


def point(pair):
    return Point(pair[0], pair[1], srid=4326)


def upsert(model, defaults, **lookup):
    """Like update_or_create on demo rows only, but saves only when something differs.

    A second load must not even add history entries. A new public entity is
    published through ``tracker.publication``; an existing one keeps its
    publication (an operator may have withdrawn it).
    """
    if issubclass(model, PublicEntity):
        lookup["is_demo"] = True
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**{**defaults, **lookup})
        if isinstance(obj, PublicEntity):
            return entities_publish_new(entities=[obj])[0]
        obj.save()
        return obj
    changed = [f for f, v in defaults.items() if getattr(obj, f) != v]
    if changed:
        for field in changed:
            setattr(obj, field, defaults[field])
        obj.save()
    return obj


@transaction.atomic
def demo_data_load():
    """Load the demo data; returns the import report of the sample CSV."""
    report = deployments_import(text=SAMPLE_CSV.read_text(encoding="utf-8"), is_demo=True)
    case = json.loads(LUCKNOW_CASE.read_text(encoding="utf-8"))

    spec = dict(case["agency"])
    name = spec.pop("name")
    spec["state_id"] = spec.pop("state")
    spec["location"] = point(spec["location"])
    agency = upsert(Agency, spec, name=name)

    deployment = upsert(
        Deployment, case["deployment"], title=case["deployment"]["title"], lead_agency=agency
    )

    for spot in case["hotspots"]:
        hotspot = upsert(
            Hotspot,
            {
                "kind": spot["kind"],
                "location": point(spot["location"]),
                "camera_count": spot["camera_count"],
                "state_id": agency.state_id,
                "agency": agency,
                "identified_on": date(2021, 1, 21),
            },
            name=spot["name"],
            city=agency.city,
        )
        hotspot.deployments.add(deployment)

    spec = dict(case["rti_request"])
    events = spec.pop("events")
    title = spec.pop("title")
    spec["filed_on"] = date.fromisoformat(spec["filed_on"])
    spec["received_on"] = date.fromisoformat(spec["received_on"])
    rti = upsert(RTIRequest, spec, title=title, authority=agency)
    rti.deployments.add(deployment)
    for event in events:
        upsert(
            RTIEvent,
            {"note": event["note"]},
            rti_request=rti,
            kind=event["kind"],
            date=date.fromisoformat(event["date"]),
        )
    for source in Source.objects.filter(citations__deployment=deployment):
        Citation.objects.get_or_create(source=source, rti_request=rti)
        for hotspot in deployment.hotspots.all():
            Citation.objects.get_or_create(source=source, hotspot=hotspot)
    demo_rti_requests_load()
    return report


def demo_rti_requests_load():
    """RTI requests whose deadlines have passed, to the sample agencies; then their derived
    status and deadlines (tracker.rti.lifecycle), for the overdue view and the statistics."""
    from ..rti.lifecycle import rti_request_refresh

    for spec in json.loads(RTI_CASES.read_text(encoding="utf-8"))["requests"]:
        spec = dict(spec)
        events, title = spec.pop("events"), spec.pop("title")
        authority = Agency.objects.get(name=spec.pop("authority"), is_demo=True)
        spec["filed_on"] = date.fromisoformat(spec["filed_on"])
        spec["received_on"] = date.fromisoformat(spec["received_on"])
        rti = upsert(RTIRequest, spec, title=title, authority=authority)
        for event in events:
            upsert(
                RTIEvent,
                {"note": event["note"]},
                rti_request=rti,
                kind=event["kind"],
                date=date.fromisoformat(event["date"]),
            )
    for rti in RTIRequest.objects.filter(is_demo=True):
        rti_request_refresh(rti_request=rti)


# Demo entities, each before the ones it may point at (an RTI request at its authority,
# a deployment at its lead agency), so that no deletion is refused half-way.
DEMO_ENTITIES = (RTIRequest, Hotspot, Deployment, Agency)


class DemoDataInUse(Exception):
    """Real entries point at demo ones; removing the demo data would change them."""

    def __init__(self, references):
        self.references = references
        super().__init__(f"{len(references)} real entries refer to demo entries")


def demo_references():
    """(real entry, field name, demo entry) for every link from a real entry to a demo one:
    a lead agency, an authority, a parent, a linked deployment or agency."""
    found = []
    for model in DEMO_ENTITIES:
        for field in model._meta.get_fields():
            if field.auto_created or not field.is_relation:
                continue
            if field.related_model not in DEMO_ENTITIES:
                continue
            real = model._base_manager.filter(is_demo=False, **{f"{field.name}__is_demo": True})
            for entry in real.distinct().order_by("pk"):
                targets = (
                    getattr(entry, field.name).filter(is_demo=True)
                    if field.many_to_many
                    else [getattr(entry, field.name)]
                )
                found += [(entry, field.name, target) for target in targets]
    return found


@transaction.atomic
def demo_data_remove():
    """Delete every demo entry, its citations, events and history, the demo sources no real
    entry cites (with their checks and archived versions) and the vendors only demo
    deployments named. Refuses, changing nothing, while a real entry points at a demo one.

    Returns {what: how many} of what was removed, and "sources kept": demo sources that
    real entries cite, which stay as real sources.
    """
    from ..checking.archive import versions_delete

    references = demo_references()
    if references:
        raise DemoDataInUse(references)
    removed = {}
    vendor_ids = set(
        Deployment._base_manager.filter(is_demo=True).values_list("vendors", flat=True)
    ) - {None}
    citations = Citation.objects.filter(
        Q(deployment__is_demo=True)
        | Q(agency__is_demo=True)
        | Q(hotspot__is_demo=True)
        | Q(rti_request__is_demo=True)
    )
    citation_ids = list(citations.values_list("pk", flat=True))
    attachments = [
        name
        for pair in RTIDocument.objects.filter(rti_request__is_demo=True).values_list(
            "file", "redacted_file"
        )
        for name in pair
        if name
    ]
    for model in DEMO_ENTITIES:
        rows = model._base_manager.filter(is_demo=True)
        ids = list(rows.values_list("pk", flat=True))
        rows.delete()
        model.history.filter(id__in=ids).delete()
        removed[str(model._meta.verbose_name_plural)] = len(ids)
    Citation.history.filter(id__in=citation_ids).delete()

    demo_sources = Source.objects.filter(is_demo=True)
    kept = demo_sources.filter(citations__isnull=False).distinct()
    removed["sources kept"] = kept.update(is_demo=False)
    source_ids = list(demo_sources.values_list("pk", flat=True))
    versions_delete(source_ids=source_ids)
    Source.objects.filter(pk__in=source_ids).delete()
    Source.history.filter(id__in=source_ids).delete()
    removed[str(Source._meta.verbose_name_plural)] = len(source_ids)

    unused = Vendor.objects.filter(pk__in=vendor_ids, deployments__isnull=True)
    removed[str(Vendor._meta.verbose_name_plural)] = unused.delete()[0]
    transaction.on_commit(lambda: [default_storage.delete(name) for name in attachments])
    return removed
