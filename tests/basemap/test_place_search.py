"""Place search answers from the packaged gazetteer, in English and Hindi, by prefix, and turns
away bad input with a 400 that names the field, never a 500."""

import json

import pytest

from tracker.catalogue import places

URL = "/places/search.json"

pytestmark = pytest.mark.django_db


def found(client, q, prefix=""):
    response = client.get(prefix + URL, {"q": q})
    assert response.status_code == 200
    return json.loads(response.content)["results"]


@pytest.mark.parametrize("q", ["luck", "Luck", "LUCKNOW", "लख", "लखनऊ", "lakhnau"])
def test_lucknow_is_found_by_english_or_hindi_prefix(client, q):
    first = found(client, q)[0]
    assert first["name"] == "Lucknow" and first["state"] == "Uttar Pradesh"
    assert first["other_name"] == "लखनऊ"
    assert (round(first["lat"], 1), round(first["lon"], 1)) == (26.8, 80.9)
    assert first["zoom"] >= 11


def test_hindi_pages_name_places_in_hindi(client):
    first = found(client, "luck", prefix="/hi")[0]
    assert first["name"] == "लखनऊ" and first["other_name"] == "Lucknow"
    assert first["state"] == "उत्तर प्रदेश"


def test_states_come_whole_with_their_box(client):
    first = found(client, "उत्तर प्र")[0]
    assert first["name"] == "Uttar Pradesh" and "zoom" not in first
    west, south, east, north = first["box"]
    assert west < 78 < 84 < east and south < 25 < 30 < north


def test_former_names_and_words_inside_names(client):
    assert found(client, "bomb")[0]["name"] == "Mumbai"
    assert found(client, "madras")[0]["name"] == "Chennai"
    assert "Uttar Pradesh" in [r["name"] for r in found(client, "pradesh")]


def test_the_largest_places_come_first(client):
    names = [r["name"] for r in found(client, "de")]
    assert names[0] == "Delhi" and len(names) <= places.SEARCH_RESULTS


@pytest.mark.parametrize("q", ["", "   ", "zzzzqqq", "luckलख", "ल uck ☃", "'; DROP TABLE x; --"])
def test_nothing_or_mixed_scripts_find_nothing(client, q):
    assert found(client, q) == []


@pytest.mark.parametrize(
    "q, message",
    [
        ("l" * 1000, "at most 100 characters"),
        ("luck\x00now", "Null characters are not allowed"),
        ("luck\x1bnow", "control characters"),
        ("\x07", "control characters"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, q, message):
    response = client.get(URL, {"q": q})
    assert response.status_code == 400
    assert any(message in said for said in json.loads(response.content)["q"])


def test_answers_are_public_and_cacheable(client):
    response = client.get(URL, {"q": "luck"})
    assert "max-age" in response["Cache-Control"] and not response.cookies
    again = client.get(URL, {"q": "luck"}, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
