"""Published deployments a new one may duplicate: a warning for moderators, never a block."""

from django.contrib.gis.measure import D
from django.db.models import Q

from tracker.models import Deployment, Publication

# A bounding box in degrees that surely contains every point within the radius (up to ~60°N),
# so the spatial index narrows the search before the exact distance on the sphere.
NEARBY_METRES = 500
_BOX_DEGREES = 0.011


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
