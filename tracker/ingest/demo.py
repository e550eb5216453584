"""Demo data for `make run`: the sample deployments plus the Lucknow hotspots case.

Loading is idempotent (update_or_create by natural keys), so running it on
every start adds nothing the second time. It only ever matches rows flagged
``is_demo``: a real entry that shares a name with a demo one is never touched.
"""

import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import transaction

from ..models import (
    Agency,
    Citation,
    Deployment,
    Hotspot,
    RTIEvent,
    RTIRequest,
    Source,
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
