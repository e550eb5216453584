"""Reference data every installation has: India's states and union territories,
with their (simplified) boundaries for plausibility checks."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATES_FILE = ROOT / "fixtures" / "states.json"
# The same outline the map draws: one source for both.
BOUNDARIES_FILE = ROOT / "static" / "vendor" / "india-outline" / "india-states.geojson"


def _key(name):
    return " ".join(name.upper().replace("&", " AND ").split())


def state_boundaries():
    """{state code: MultiPolygon} from the vendored outline (disputed areas left out)."""
    from django.contrib.gis.geos import GEOSGeometry, MultiPolygon

    codes = {}
    for row in json.loads(STATES_FILE.read_text(encoding="utf-8")):
        for name in [row["name"], *row["aliases"]]:
            codes[_key(name)] = row["code"]
    boundaries = {}
    outline = json.loads(BOUNDARIES_FILE.read_text(encoding="utf-8"))
    for feature in outline["features"]:
        code = codes.get(_key(feature["properties"]["name"]))
        if code is None:
            continue
        shape = GEOSGeometry(json.dumps(feature["geometry"]), srid=4326)
        boundaries[code] = shape if shape.geom_type == "MultiPolygon" else MultiPolygon(shape)
    return boundaries


def states_load(state_model=None):
    """Create or update the 36 states and union territories.

    Takes the model class so that data migrations can pass their historical model.
    """
    if state_model is None:
        from ..models import State as state_model
    rows = json.loads(STATES_FILE.read_text(encoding="utf-8"))
    for row in rows:
        row = dict(row)
        code = row.pop("code")
        state_model.objects.update_or_create(code=code, defaults=row)
    return len(rows)


def state_boundaries_load(boundary_model=None):
    """Create or update every state's boundary from the vendored outline."""
    if boundary_model is None:
        from ..models import StateBoundary as boundary_model
    boundaries = state_boundaries()
    for code, shape in boundaries.items():
        boundary_model.objects.update_or_create(state_id=code, defaults={"shape": shape})
    return len(boundaries)


def reference_data_load():
    """States, then their boundaries (what the migrations load)."""
    states_load()
    state_boundaries_load()


def reference_data_present():
    from ..models import State, StateBoundary

    expected = len(json.loads(STATES_FILE.read_text(encoding="utf-8")))
    return State.objects.count() == expected == StateBoundary.objects.count()
