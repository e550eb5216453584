"""`manage.py import_osm`: OpenStreetMap's cameras in a layer of their own, matched to
hotspots, updated and deleted by later extracts, and every bad file refused whole."""

from io import StringIO

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import HotspotFactory
from tests.support.osm import CAMERA, node, osm_xml, way, write_osm
from tracker.ingest.osm import is_camera, osm_cameras_match
from tracker.models import OsmCamera, OsmImport, Publication

pytestmark = pytest.mark.django_db

BOUNDS = (80.0, 26.0, 81.5, 27.5)
ODD_TAGS = {
    **CAMERA,
    "operator": 'Lucknow Police & "Smart City" <LSCL>',
    "name:hi": "हज़रतगंज कैमरा",
    "camera:direction": "",
    "surveillance:zone": "traffic;town",
    "note": "x" * 255,
}


def run(path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_osm", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(path, *args):
    with pytest.raises(CommandError) as caught:
        run(path, *args)
    return str(caught.value)


@pytest.fixture
def hotspots():
    square = Polygon.from_bbox((80.940, 26.840, 80.950, 26.850))
    return {
        # An area: any camera inside it is its own, however far from its point.
        "area": HotspotFactory(
            name="Hazratganj crossing",
            location=Point(80.945, 26.845, srid=4326),
            area=MultiPolygon(square, srid=4326),
            camera_count=12,
        ),
        # A point only: cameras within OSM_MATCH_METRES (150 m) of it.
        "point": HotspotFactory(
            name="Charbagh station", location=Point(80.920, 26.830, srid=4326), camera_count=40
        ),
        "draft": HotspotFactory(
            name="Draft square",
            location=Point(80.900, 26.800, srid=4326),
            publication=Publication.DRAFT,
        ),
    }


def first_extract():
    return [
        node(1, 80.9491, 26.8409, ODD_TAGS),  # inside the area, near its corner
        node(2, 80.9210, 26.8305, {**CAMERA, "surveillance:type": "ALPR"}),  # ~110 m away
        node(3, 80.9230, 26.8300, {"man_made": "surveillance"}),  # ~300 m: unmatched
        node(4, 80.9000, 26.8000, CAMERA),  # at the draft hotspot: not matched to it
        node(5, 80.9300, 26.8300, {"man_made": "surveillance", "surveillance:type": "guard"}),
        node(6, 80.9300, 26.8300, {"highway": "traffic_signals"}),
        node(7, 80.9201, 26.8301),
        node(8, 80.9203, 26.8301),
        node(9, 80.9203, 26.8303),
        way(20, [7, 8, 9, 7], {**CAMERA, "camera:type": "dome"}),  # a camera drawn as an area
        node(30, 75.0, 20.0, CAMERA),  # outside the extract's bounds in later files
    ]


def test_is_camera_keeps_cameras_and_number_plate_readers_only():
    assert is_camera({"man_made": "surveillance"})
    assert is_camera({"man_made": "surveillance", "surveillance:type": "camera"})
    assert is_camera({"man_made": "surveillance", "surveillance:type": "ALPR"})
    assert not is_camera({"man_made": "surveillance", "surveillance:type": "guard"})
    assert not is_camera({"man_made": "tower", "surveillance:type": "camera"})
    assert not is_camera({})


def test_first_import_keeps_cameras_with_their_osm_record_and_matches_hotspots(tmp_path, hotspots):
    out, err = run(write_osm(tmp_path / "lucknow.osm", first_extract()))
    assert "Read 6 cameras: 6 added, 0 changed, 0 marked deleted" in out
    assert "3 matched to hotspots" in out  # in the area; near the station (a node, a way)
    cameras = {str(c): c for c in OsmCamera.objects.all()}
    assert set(cameras) == {"node/1", "node/2", "node/3", "node/4", "way/20", "node/30"}
    odd = cameras["node/1"]
    assert odd.tags == ODD_TAGS
    assert odd.version == 1 and odd.osm_timestamp.isoformat() == "2025-06-01T10:00:00+00:00"
    assert odd.hotspot == hotspots["area"]
    assert cameras["node/2"].hotspot == hotspots["point"]
    assert cameras["node/3"].hotspot is None
    assert cameras["node/4"].hotspot is None  # drafts are not public: nothing is matched
    centre = cameras["way/20"].location
    assert (round(centre.x, 4), round(centre.y, 4)) == (80.9202, 26.8302)
    assert cameras["way/20"].tags["camera:type"] == "dome"
    # Our own counts stay ours.
    hotspots["area"].refresh_from_db()
    assert hotspots["area"].camera_count == 12
    assert OsmImport.objects.get().cameras_read == 6


def test_way_within_reach_is_matched_and_counted_like_a_node(tmp_path, hotspots):
    run(write_osm(tmp_path / "a.osm", first_extract()))
    # The way's centre is ~30 m from Charbagh station.
    assert OsmCamera.objects.get(osm_type="way").hotspot == hotspots["point"]
    assert hotspots["point"].osm_cameras.filter(deleted_at=None).count() == 2


def test_the_match_distance_holds_in_every_direction(tmp_path, hotspots, settings):
    # Charbagh station is at 80.920, 26.830: a degree of latitude is ~110.6 km there, a
    # degree of longitude ~99.3 km.
    run(
        write_osm(
            tmp_path / "ring.osm",
            [
                node(41, 80.920, 26.830 + 140 / 110_574, CAMERA),  # 140 m north
                node(42, 80.920, 26.830 - 160 / 110_574, CAMERA),  # 160 m south
                node(43, 80.920 + 140 / 99_340, 26.830, CAMERA),  # 140 m east
                node(44, 80.920 - 160 / 99_340, 26.830, CAMERA),  # 160 m west
            ],
        )
    )
    matched = dict(OsmCamera.objects.values_list("osm_id", "hotspot__name"))
    assert matched == {41: "Charbagh station", 42: None, 43: "Charbagh station", 44: None}
    settings.OSM_MATCH_METRES = 170
    osm_cameras_match()
    assert OsmCamera.objects.filter(hotspot=hotspots["point"]).count() == 4


def test_same_file_again_changes_nothing(tmp_path, hotspots):
    path = write_osm(tmp_path / "a.osm", first_extract(), bounds=BOUNDS)
    run(path)
    before = list(OsmCamera.objects.order_by("id").values())
    out, _ = run(path)
    assert "0 added, 0 changed, 0 marked deleted; 6 in the layer" in out
    assert list(OsmCamera.objects.order_by("id").values()) == before
    assert OsmImport.objects.count() == 2


def test_newer_extract_updates_changed_and_marks_deleted(tmp_path, hotspots):
    run(write_osm(tmp_path / "old.osm", first_extract(), bounds=BOUNDS))
    newer = [e for e in first_extract() if e[1] not in (1, 2, 3, 30)] + [
        node(1, 80.9211, 26.8301, {**CAMERA, "camera:mount": "pole"}, version=2),  # moved
        node(3, 80.9230, 26.8300, version=2, visible=False),  # deleted in OSM
        # node 2 is simply gone from the extract; node 30 lies outside its bounds
    ]
    out, _ = run(write_osm(tmp_path / "new.osm", newer, bounds=BOUNDS))
    assert "0 added, 1 changed, 2 marked deleted; 4 in the layer" in out
    moved = OsmCamera.objects.get(osm_id=1)
    assert moved.version == 2 and moved.tags == {**CAMERA, "camera:mount": "pole"}
    assert moved.hotspot == hotspots["point"]  # now by the station, not in the area
    gone = OsmCamera.objects.filter(deleted_at__isnull=False)
    assert {str(c) for c in gone} == {"node/2", "node/3"}
    assert OsmCamera.objects.get(osm_id=30).deleted_at is None
    assert hotspots["area"].osm_cameras.filter(deleted_at=None).count() == 0
    # An older extract never rolls a changed camera back; the cameras it holds that
    # were missing are live again.
    out, _ = run(write_osm(tmp_path / "old-again.osm", first_extract(), bounds=BOUNDS))
    assert OsmCamera.objects.get(osm_id=1).version == 2
    assert "0 added, 2 changed, 0 marked deleted" in out
    assert not OsmCamera.objects.filter(deleted_at__isnull=False).exists()


def _nothing_changed(before):
    assert list(OsmCamera.objects.order_by("id").values()) == before[0]
    assert OsmImport.objects.count() == before[1]


@pytest.fixture
def imported(tmp_path, hotspots):
    run(write_osm(tmp_path / "good.osm", first_extract()))
    return list(OsmCamera.objects.order_by("id").values()), OsmImport.objects.count()


def test_truncated_file_is_refused_whole(tmp_path, imported):
    text = osm_xml(first_extract())
    path = tmp_path / "cut.osm"
    path.write_text(text[: len(text) * 2 // 3])
    assert "not a readable OpenStreetMap file" in refused(path)
    _nothing_changed(imported)


def test_non_osm_files_are_refused(tmp_path, imported):
    for name, body in [
        ("page.osm", b"<html><body>Not found</body></html>"),
        ("photo.osm.pbf", bytes(range(256)) * 40),
        ("empty.osm", b""),
    ]:
        path = tmp_path / name
        path.write_bytes(body)
        message = refused(path)
        assert "nothing was imported" in message and name in message
    assert "no such file" in refused(tmp_path / "missing.osm.pbf")
    _nothing_changed(imported)


def test_impossible_coordinates_are_refused_naming_the_node(tmp_path, imported):
    path = write_osm(tmp_path / "bad.osm", [*first_extract(), node(40, 80.9, 200.0, CAMERA)])
    message = refused(path)
    assert "node 40: impossible coordinates (latitude 200" in message
    _nothing_changed(imported)


@pytest.mark.parametrize("length", [256, 10_000])
def test_overlong_tag_values_are_refused(tmp_path, imported, length):
    tags = {**CAMERA, "description": "y" * length}
    path = write_osm(tmp_path / "long.osm", [*first_extract(), node(41, 80.9, 26.9, tags)])
    message = refused(path)
    assert "too long" in message or "longer than OpenStreetMap's 255 characters" in message
    _nothing_changed(imported)


def test_extract_missing_most_cameras_is_refused_unless_meant(tmp_path, hotspots):
    many = [node(100 + i, 80.5 + i / 1000, 26.5, CAMERA) for i in range(20)]
    run(write_osm(tmp_path / "full.osm", many, bounds=BOUNDS))
    few = write_osm(tmp_path / "few.osm", many[:5], bounds=BOUNDS)
    assert "lacks 15 of the 20 cameras" in refused(few)
    assert OsmCamera.objects.filter(deleted_at=None).count() == 20
    out, _ = run(few, "--allow-mass-deletion")
    assert "15 marked deleted" in out


def test_change_file_applies_its_deletions_without_deleting_the_rest(tmp_path, hotspots):
    run(write_osm(tmp_path / "a.osm", first_extract()))
    change = tmp_path / "today.osc"
    change.write_text(
        '<?xml version="1.0"?><osmChange version="0.6" generator="tests">'
        '<delete><node id="4" version="2" timestamp="2025-07-01T00:00:00Z" lat="0" lon="0"/>'
        "</delete></osmChange>"
    )
    out, _ = run(change)
    assert "0 added, 0 changed, 1 marked deleted; 5 in the layer" in out
    deleted = OsmCamera.objects.get(osm_id=4)
    assert deleted.version == 2 and deleted.deleted_at is not None
    # A deletion is final for older versions: the first extract does not bring it back.
    run(write_osm(tmp_path / "a.osm", first_extract()))
    assert OsmCamera.objects.get(osm_id=4).deleted_at is not None


def test_operator_imports_and_sees_osm_cameras_counted_per_hotspot(client, tmp_path, hotspots):
    page = client.get(f"/hotspots/{hotspots['area'].pk}/", follow=True)
    assert b"Cameras mapped in OpenStreetMap" not in page.content  # no import yet
    run(write_osm(tmp_path / "a.osm", first_extract()))
    for key, expected in (("area", "1"), ("point", "2")):
        page = client.get(f"/hotspots/{hotspots[key].pk}/", follow=True)
        text = page.content.decode()
        assert 'id="osm-camera-count">' + expected in text
        assert "© OpenStreetMap contributors (ODbL)" in text
    # Our own count is shown beside it, unchanged.
    assert "12" in client.get(f"/hotspots/{hotspots['area'].pk}/", follow=True).content.decode()


def test_map_layer_serves_live_osm_cameras_for_the_view(client, tmp_path, hotspots):
    run(write_osm(tmp_path / "a.osm", first_extract(), bounds=BOUNDS))
    box = "bbox=80.5,26.5,81.2,27.2&zoom=12"
    answer = client.get(f"/map/osm-cameras.geojson?{box}").json()
    found = {(f["properties"]["osm_type"], f["properties"]["osm_id"]) for f in answer["features"]}
    assert found == {("node", 1), ("node", 2), ("node", 3), ("node", 4), ("way", 20)}
    odd = next(f for f in answer["features"] if f["properties"]["osm_id"] == 1)
    assert odd["properties"]["operator"] == ODD_TAGS["operator"]
    run(write_osm(tmp_path / "b.osm", first_extract()[1:], bounds=BOUNDS))
    answer = client.get(f"/map/osm-cameras.geojson?{box}").json()
    assert 1 not in {f["properties"]["osm_id"] for f in answer["features"]}
    home = client.get("/").content.decode()
    assert 'data-osm-url="/map/osm-cameras.geojson"' in home
    assert "OpenStreetMap contributors (ODbL)" in home
