"""Every filter of the API (tracker/catalogue/filters.py), alone and combined, and every bad
value a 400."""

import pytest

from tests.support.pages import ids

URL = "/api/v1/deployments/"

# (query, names of the deployments expected, in any order)
SINGLE_FILTERS = [
    ("", {"lucknow", "mumbai", "delhi", "national"}),
    ("state=IN-UP", {"lucknow"}),
    ("state=in-mh", {"mumbai"}),
    ("agency=lucknow-police", {"lucknow", "mumbai"}),  # lead or partner
    ("agency={mumbai_police.id}", {"mumbai", "delhi"}),
    ("technology=plate_recognition", {"mumbai"}),
    ("status=pilot", {"mumbai"}),
    ("purpose=authentication", {"delhi"}),
    ("purpose=womens_safety", {"lucknow"}),  # a purpose tag
    ("vendor=staqu", {"lucknow", "mumbai"}),
    ("vendor={nec.id}", {"mumbai"}),
    ("q=Mumbai", {"mumbai", "delhi"}),  # the lead agency is Mumbai Police
    ("q=plate readers", {"mumbai"}),
    ("q=attendance", {"delhi"}),
    ("announced_after=2021-01-01", {"mumbai", "delhi"}),
    ("announced_before=2021-03-01", {"lucknow", "mumbai", "national"}),
    ("year=2019", {"lucknow", "national"}),
    ("updated_since=2024-06-01", {"mumbai", "delhi"}),
    ("updated_since=2024-06-01T00:00:01Z", {"delhi"}),
    ("updated_since=2024-06-01T05:30:00%2B05:30", {"mumbai", "delhi"}),
    ("in_bbox=72,18,74,20", {"mumbai"}),
    ("in_bbox=68,6,98,38", {"lucknow", "mumbai", "delhi"}),
    ("near=80.95,26.85&radius_km=50", {"lucknow"}),
    ("near=77.2,28.6", {"delhi"}),  # default radius 10 km
    ("near=77.2,28.6&radius_km=600", {"lucknow", "delhi"}),
]

COMBINED_FILTERS = [
    ("state=IN-MH&technology=plate_recognition", {"mumbai"}),
    ("state=IN-UP&technology=plate_recognition", set()),
    ("agency=lucknow-police&status=pilot", {"mumbai"}),
    ("purpose=surveillance&in_bbox=70,15,85,30", {"lucknow", "mumbai"}),
    ("vendor=staqu&announced_after=2020-01-01", {"mumbai"}),
    ("q=face&year=2023", {"delhi"}),
    ("technology=facial_recognition&updated_since=2023-06-01", {"lucknow"}),
    ("near=80.95,26.85&radius_km=2000&status=in_use&purpose=surveillance", {"lucknow"}),
]


def _query(world, query):
    return query.format(**vars(world))


@pytest.mark.parametrize("query,expected", SINGLE_FILTERS + COMBINED_FILTERS)
def test_filters_select_exactly_the_matching_published_deployments(client, world, query, expected):
    response = client.get(f"{URL}?{_query(world, query)}")
    assert set(ids(response)) == {getattr(world, name).id for name in expected}


@pytest.mark.parametrize(
    "query,expected_order",
    [
        ("ordering=-announced_on", ["delhi", "mumbai", "national", "lucknow"]),
        ("ordering=announced_on", ["lucknow", "national", "mumbai", "delhi"]),
        ("ordering=updated_at", ["national", "lucknow", "mumbai", "delhi"]),
        ("ordering=title", ["lucknow", "national", "mumbai", "delhi"]),
    ],
)
def test_ordering(client, world, query, expected_order):
    response = client.get(f"{URL}?{query}")
    assert ids(response) == [getattr(world, name).id for name in expected_order]


def test_updated_since_with_ordering_syncs_page_by_page(client, world):
    """A client remembering the last updated_at it saw gets exactly the newer rows."""
    first = client.get(f"{URL}?ordering=updated_at&limit=2").json()
    assert [r["id"] for r in first["results"]] == [world.national.id, world.lucknow.id]
    since = first["results"][-1]["updated_at"].replace("+", "%2B")
    rest = client.get(f"{URL}?ordering=updated_at&updated_since={since}").json()
    assert [r["id"] for r in rest["results"]] == [world.lucknow.id, world.mumbai.id, world.delhi.id]


INVALID = [
    ("state", "XX"),
    ("state", ""),  # empty: leave the parameter out instead
    ("q", ""),
    ("in_bbox", "1e1,2,3,4"),  # plain decimals only, as the schema's pattern says
    ("in_bbox", " 72,18,73,19"),
    ("near", "080,20"),
    ("ordering", "title,"),
    ("technology", "laser"),
    ("status", "bogus"),
    ("purpose", "fun"),
    ("announced_after", "2021-13-01"),
    ("announced_before", "yesterday"),
    ("updated_since", "soon"),
    ("updated_since", "\n"),
    ("year", "abc"),
    ("in_bbox", "1,2,3"),
    ("in_bbox", "200,0,201,1"),
    ("in_bbox", "a,b,c,d"),
    ("near", "1"),
    ("near", "0,95"),
    ("ordering", "colour"),
    ("limit", "0"),
    ("limit", "501"),
    ("limit", "x"),
    ("offset", "-1"),
    ("offset", "100000000000000000000"),
]


@pytest.mark.parametrize("param,value", INVALID)
def test_invalid_value_is_a_400_naming_the_parameter(client, world, param, value):
    response = client.get(URL, {param: value})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == [param]
    assert response.json()[param][0]


@pytest.mark.parametrize(
    "param,value",
    [
        ("state", "IN-ZZ"),
        ("agency", "no-such-agency"),
        ("agency", "secret-draft"),  # exists, but is not published
        ("vendor", "nobody"),
        ("vendor", "¹6"),
        ("agency", "\x00³"),  # no stored name holds a NUL character
        ("updated_since", "9999-12-31T23:59:59-23:00"),  # beyond the year 9999 in UTC
    ],
)
def test_a_well_formed_name_of_nothing_matches_nothing(client, world, param, value):
    response = client.get(URL, {param: value})
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_far_past_timestamps_match_everything(client, world):
    everything = client.get(URL).json()["count"]
    response = client.get(URL, {"updated_since": "0001-01-01T00:00:00+05:30"})
    assert response.json()["count"] == everything > 0


def test_box_corners_in_either_order_and_radius_alone(client, world):
    one = ids(client.get(URL, {"in_bbox": "80,26,81.5,27.5"}))
    assert one
    assert ids(client.get(URL, {"in_bbox": "81.5,27.5,80,26"})) == one
    assert ids(client.get(URL, {"radius_km": "5"})) == ids(client.get(URL))


@pytest.mark.parametrize(
    "query,param",
    [
        ("near=80,26&radius_km=0", "radius_km"),
        ("near=80,26&radius_km=2001", "radius_km"),
        ("near=80,26&radius_km=far", "radius_km"),
    ],
)
def test_invalid_radius_is_a_400_naming_radius_km(client, world, query, param):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [param]


@pytest.mark.parametrize(
    "url,query",
    [
        ("/api/v1/export/deployments.csv", "status=bogus"),
        ("/api/v1/export/deployments.geojson", "in_bbox=1,2"),
        ("/api/v1/deployments/?format=geojson", "state=XX"),
        ("/api/v1/deployments/?format=geojson", "offset=100000000000000000000"),
        ("/api/v1/agencies/", "kind=spies"),
        ("/api/v1/hotspots/", "near=500,0"),
        ("/api/v1/rti-requests/", "status=lost"),
        ("/api/v1/sources/", "health=sparkling"),
    ],
)
def test_every_endpoint_rejects_bad_values_as_json(client, world, url, query):
    response = client.get(f"{url}{'&' if '?' in url else '?'}{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == [query.split("=")[0]]


def test_other_entities_filter_too(client, world):
    assert ids(client.get("/api/v1/agencies/?state=IN-MH")) == [world.mumbai_police.id]
    assert ids(client.get("/api/v1/hotspots/?agency=lucknow-police")) == [world.market.id]
    assert ids(client.get("/api/v1/hotspots/?in_bbox=72,18,74,20")) == []
    assert ids(client.get("/api/v1/rti-requests/?agency=lucknow-police&status=filed")) == [
        world.rti.id
    ]
    assert ids(client.get("/api/v1/rti-requests/?state=IN-MH")) == []
    assert ids(client.get("/api/v1/sources/?q=Lucknow")) == [world.news.id]


def test_the_filterset_is_shared_with_plain_django_pages(world):
    """The public list pages use the same FilterSet: invalid input is an error, not ignored."""
    from tracker.catalogue.filters import DeploymentFilter
    from tracker.models import Deployment

    bad = DeploymentFilter({"status": "bogus"}, queryset=Deployment.objects.published())
    assert not bad.is_valid() and "status" in bad.errors
    assert list(bad.qs) == []
    good = DeploymentFilter({"state": "in-up"}, queryset=Deployment.objects.published())
    assert list(good.qs) == [world.lucknow]
