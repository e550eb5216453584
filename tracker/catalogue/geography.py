"""Geography rules shared by the site, the API, the import and the admin.

The distance and box filters readers use live in ``filters`` (``near``,
``BBoxFilter``); this module holds what is about places themselves: whether a
point is plausibly in its state, and a state's name in the reader's language.
"""

from django.contrib.gis.db.models.functions import Envelope
from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language

from .datacache import cached

EARTH_KM_PER_DEGREE = 111.32
# How far outside a state's simplified outline a point may lie and still count as in it.
STATE_SLACK_KM = 25


def _slack_degrees():
    return STATE_SLACK_KM / EARTH_KM_PER_DEGREE


def point_plausibly_in_state(point, state):
    """Whether a point lies inside (or within ~25 km of) the state's boundary.

    A warning for moderators, never a hard block: coordinates are often city
    centres, and boundaries are simplified. Unknown when no boundary is stored.
    """
    from ..models import StateBoundary

    if point is None or state is None:
        return None
    boundary = StateBoundary.objects.filter(state=state).first()
    if boundary is None:
        return None
    return boundary.shape.distance(point) <= _slack_degrees()


def plausibly_in_state_sql(point: str = "location", state: str = "state"):
    """``point_plausibly_in_state`` as SQL, for many rows in the query that lists them.

    True, False, or None when there is no point, no state or no stored boundary.
    """
    from ..models import StateBoundary

    boundary = StateBoundary.objects.filter(state=OuterRef(state))
    near_enough = boundary.filter(shape__dwithin=(OuterRef(point), _slack_degrees()))
    return Case(
        When(Q(**{f"{point}__isnull": True}) | ~Exists(boundary), then=Value(None)),
        When(Exists(near_enough), then=True),
        default=False,
        output_field=BooleanField(null=True),
    )


def state_name(name: str, name_hi: str = "") -> str:
    """A state's name in the interface language: its Hindi name on Hindi pages, when known.

    ``state_name_sql`` is the same rule for names PostgreSQL writes (the map layer).
    """
    return name_hi if name_hi and get_language() == "hi" else name


def state_name_sql(path: str = "state"):
    """SQL for the name of the state at ``path`` in the interface language (see ``state_name``)."""
    if get_language() == "hi":
        return Coalesce(NullIf(F(f"{path}__name_hi"), Value("")), F(f"{path}__name"))
    return F(f"{path}__name")


def state_extents():
    """{code: [minlon, minlat, maxlon, maxlat]} of every state's outline, so a map can
    show a state when it is chosen or found (reference data: cached)."""
    from ..models import StateBoundary

    def compute():
        rows = StateBoundary.objects.annotate(box=Envelope("shape")).values_list("state_id", "box")
        return {code: [round(v, 3) for v in box.extent] for code, box in rows}

    return cached("state-extents", compute)
