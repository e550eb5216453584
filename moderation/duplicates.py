"""Entries and submissions a proposal may duplicate.

- Published deployments a new one may duplicate: a warning for moderators, never a block.
- Published agencies a proposed agency's name or aliases already name: a new agency
  cannot take the name of one on the site (choose it instead).
- Other volunteers' pending submissions that look like the same thing
  (``likely_same``): the volunteer is warned and must confirm before sending.
"""

import math
import re

from django.contrib.gis.measure import D
from django.db.models import Q

from tracker.models import Agency, Deployment, Publication

from .models import Submission, SubmissionKind, SubmissionStatus

# A bounding box in degrees that surely contains every point within the radius (up to ~60°N),
# so the spatial index narrows the search before the exact distance on the sphere.
NEARBY_METRES = 500
_BOX_DEGREES = 0.011
EARTH_RADIUS_METRES = 6_371_000
LIKELY_DUPLICATES_SCANNED = 500  # other volunteers' newest pending submissions compared


def deployment_duplicates(
    *, lead_agency_id=None, technology="", city="", point=None, exclude_id=None, limit=10
):
    """Published deployments with the same agency, technology and city, or a point within
    500 m of ``point``."""
    same = Q(pk__in=[])
    if lead_agency_id and technology and city:
        same |= Q(lead_agency_id=lead_agency_id, technology=technology, city__iexact=city.strip())
    if point is not None:
        same |= Q(location__dwithin=(point, _BOX_DEGREES)) & Q(
            location__distance_lte=(point, D(m=NEARBY_METRES))
        )
    found = Deployment.objects.filter(same, publication=Publication.PUBLISHED)
    if exclude_id:
        found = found.exclude(pk=exclude_id)
    return list(found.select_related("lead_agency").order_by("id")[:limit])


def name_key(name) -> str:
    """A name as compared for duplicates: case, punctuation and spacing do not count
    ("U.P. Police" is "UP police")."""
    return " ".join(re.sub(r"[^\w\s]", "", str(name or "")).casefold().split())


def agencies_named(names, *, exclude_id=None) -> list[Agency]:
    """Published agencies whose name, short name or one of whose other names is one of
    ``names`` (compared by ``name_key``). Agencies number in the thousands at most, and
    names compare in Python the way ``name_key`` says (Unicode case and punctuation)."""
    keys = {name_key(name) for name in names} - {""}
    if not keys:
        return []
    rows = Agency.objects.filter(publication=Publication.PUBLISHED).values_list(
        "pk", "name", "short_name", "aliases"
    )
    matching = [
        pk
        for pk, name, short_name, aliases in rows.iterator(chunk_size=2000)
        if pk != exclude_id and keys & {name_key(n) for n in (name, short_name, *aliases)}
    ]
    return list(Agency.objects.filter(pk__in=matching).order_by("name", "id")[:10])


def metres_apart(a, b) -> float:
    """Great-circle distance between two [longitude, latitude] points."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_METRES * math.asin(math.sqrt(min(1.0, h)))


def _near(a, b):
    try:
        return bool(a and b) and metres_apart(a, b) <= NEARBY_METRES
    except (TypeError, ValueError):
        return False


def _same_text(a, b):
    return bool(name_key(a)) and name_key(a) == name_key(b)


def _names(data):
    """A proposed agency's names: its name, short name and other names."""
    aliases = data.get("aliases") or []
    return {name_key(n) for n in [data.get("name"), data.get("short_name"), *aliases] if n} - {""}


def likely_same(entity_type, a: dict, b: dict) -> bool:
    """Whether two proposals (submission data) probably describe the same thing.

    Deployments: the same agency, technology and city; or points within 500 m; or the
    same title. Agencies: a name of one is a name of the other. Hotspots: the same name
    in the same city, or points within 500 m. RTI requests: the same authority and
    reference number, or the same authority and title.
    """
    if entity_type == "deployment":
        same_place = a.get("city") and _same_text(a.get("city"), b.get("city"))
        return bool(
            (
                a.get("lead_agency")
                and a.get("lead_agency") == b.get("lead_agency")
                and a.get("technology") == b.get("technology")
                and same_place
            )
            or _near(a.get("location"), b.get("location"))
            or _same_text(a.get("title"), b.get("title"))
            or (
                a.get("new_agency")
                and b.get("new_agency")
                and _names(a["new_agency"]) & _names(b["new_agency"])
                and a.get("technology") == b.get("technology")
                and same_place
            )
        )
    if entity_type == "agency":
        return bool(_names(a) & _names(b))
    if entity_type == "hotspot":
        return bool(
            (_same_text(a.get("name"), b.get("name")) and _same_text(a.get("city"), b.get("city")))
            or _near(a.get("location"), b.get("location"))
        )
    if entity_type == "rti_request":
        same_authority = a.get("authority") and a.get("authority") == b.get("authority")
        return bool(
            same_authority
            and (
                _same_text(a.get("reference_number"), b.get("reference_number"))
                or _same_text(a.get("title"), b.get("title"))
            )
        )
    return False


def likely_duplicates(*, volunteer, entity_type, kind, target_id, data) -> list[Submission]:
    """Other volunteers' pending submissions that probably propose the same thing: a
    correction of the same entry, or a new entry ``likely_same`` as this one."""
    others = Submission.objects.filter(
        status=SubmissionStatus.PENDING, entity_type=entity_type, kind=kind
    ).exclude(volunteer=volunteer)
    if kind == SubmissionKind.EDIT:
        return list(others.filter(target_id=target_id).order_by("submitted_at", "id")[:5])
    newest = others.order_by("-submitted_at", "-id")[:LIKELY_DUPLICATES_SCANNED]
    return [other for other in newest if likely_same(entity_type, data, other.data)][:5]
