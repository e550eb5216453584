"""The map's own background: state outlines with names in the page's language, and place
labels per view that grow denser as one zooms in and stay small at every zoom."""

import json

import pytest

from tracker.catalogue import places

pytestmark = pytest.mark.django_db

LABELS = "/map/places.json"
INDIA = "67.5,5.6,98.5,37.6"
LUCKNOW_CITY = "80.77,26.70,81.10,27.00"  # about a screen at zoom 12


def labels(client, bbox, zoom, prefix=""):
    response = client.get(prefix + LABELS, {"bbox": bbox, "zoom": zoom})
    assert response.status_code == 200
    return json.loads(response.content)["labels"]


def names(rows):
    return [row[2] for row in rows]


def test_labels_grow_denser_with_zoom(client):
    country = labels(client, INDIA, 4)
    assert 5 <= len(country) <= 60 and "Mumbai" in names(country)
    assert all(row[3] == 1 for row in country)  # only cities of a million and more
    # At city zoom every place the gazetteer has there is named, Lucknow among them.
    city = labels(client, LUCKNOW_CITY, 12)
    assert "Lucknow" in names(city)
    inside = [
        p for p in places.gazetteer().places if 80.77 <= p.lon <= 81.10 and 26.70 <= p.lat <= 27.00
    ]
    assert len(city) == len(inside) > 1


def test_labels_are_in_hindi_on_hindi_pages_where_known(client):
    city = labels(client, LUCKNOW_CITY, 12, prefix="/hi")
    lucknow = [row for row in city if row[2] == "लखनऊ"]
    assert lucknow and lucknow[0][4] == "hi"
    # A place GeoNames knows only in English keeps its English name, marked as such.
    assert all(row[4] == "en" for row in city if not any("\u0900" <= c <= "\u097f" for c in row[2]))


@pytest.mark.parametrize("zoom", range(3, 19))
def test_every_view_stays_under_100_kb(client, zoom):
    # The widest box the map ever asks for at this zoom: India, or four screens.
    step = 360 / 2**zoom * 10
    bbox = INDIA if zoom < 7 else f"{80.95 - step},{26.85 - step},{80.95 + step},{26.85 + step}"
    response = client.get(LABELS, {"bbox": bbox, "zoom": zoom})
    assert len(response.content) < 100_000
    assert len(json.loads(response.content)["labels"]) <= places.MAX_LABELS


@pytest.mark.parametrize(
    "params, field",
    [
        ({"bbox": "1,2,3", "zoom": 5}, "bbox"),
        ({"bbox": "x" * 5000, "zoom": 5}, "bbox"),
        ({"bbox": INDIA, "zoom": 99}, "zoom"),
        ({"bbox": INDIA, "zoom": "five"}, "zoom"),
        ({"bbox": "0,0,400,10", "zoom": 5}, "bbox"),
    ],
)
def test_bad_views_are_a_400_naming_the_field(client, params, field):
    response = client.get(LABELS, params)
    assert response.status_code == 400 and field in json.loads(response.content)


def test_state_outlines_carry_names_and_label_points(client):
    response = client.get("/hi/map/states.geojson")
    assert response.status_code == 200
    features = json.loads(response.content)["features"]
    assert len(features) == 36
    up = next(f for f in features if f["properties"]["code"] == "IN-UP")
    assert up["properties"]["name"] == "उत्तर प्रदेश" and up["properties"]["lang"] == "hi"
    lon, lat = up["properties"]["label"]
    assert 77 < lon < 84 and 24 < lat < 30
    assert up["properties"]["minzoom"] <= 5
    # Small territories are named only once there is room.
    chandigarh = next(f for f in features if f["properties"]["code"] == "IN-CH")
    assert chandigarh["properties"]["minzoom"] >= 9


def test_other_script_names_of_places_and_states():
    rest, named = places.other_script_names("लखनऊ police")
    assert rest == "police" and "Lucknow" in named[0]
    rest, named = places.other_script_names("Uttar Pradesh")
    assert rest == "" and "उत्तर प्रदेश" in named[0]
    assert places.other_script_names("cameras") == ("cameras", [])
