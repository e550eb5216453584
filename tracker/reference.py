"""Reference data every installation has: India's states and union territories,
with their (simplified) boundaries for plausibility checks."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
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
    """Create or update the 36 states and union territories and their boundaries.

    Takes the model class so that data migrations can pass their historical model.
    """
    if state_model is None:
        from .models import State as state_model
    rows = json.loads(STATES_FILE.read_text(encoding="utf-8"))
    boundaries = state_boundaries()
    for row in rows:
        row = dict(row)
        code = row.pop("code")
        state_model.objects.update_or_create(
            code=code, defaults={**row, "boundary": boundaries.get(code)}
        )
    return len(rows)


def states_present():
    from .models import State

    return State.objects.filter(boundary__isnull=False).count() == len(
        json.loads(STATES_FILE.read_text(encoding="utf-8"))
    )
