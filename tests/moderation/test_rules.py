"""The pure rules: the moderator's diff, what a correction keeps, and file sniffing."""

import pytest

from moderation.diff import FieldChange, field_changes
from moderation.entities import data_changes
from tracker.uploads import sniff_content_type

FIELDS = ["title", "city", "location", "camera_count"]


@pytest.mark.parametrize(
    ("current", "proposed", "expected"),
    [
        # a new entry: every value given is a change, empty ones are not
        (
            {},
            {"title": "New", "city": "", "camera_count": None},
            [FieldChange("title", None, "New")],
        ),
        # a correction: only what differs, in the fields' order
        (
            {"title": "A", "city": "Pune", "camera_count": 10},
            {"camera_count": 12, "title": "A"},
            [FieldChange("camera_count", 10, 12)],
        ),
        # clearing a value shows the old one going
        ({"city": "Pune"}, {"city": ""}, [FieldChange("city", "Pune", "")]),
        # a moved point
        (
            {"location": [80.9, 26.8]},
            {"location": [81.0, 26.8]},
            [FieldChange("location", [80.9, 26.8], [81.0, 26.8])],
        ),
        # unknown fields are not shown
        ({}, {"is_demo": True}, []),
    ],
)
def test_field_changes(current, proposed, expected):
    assert field_changes(fields=FIELDS, current=current, proposed=proposed) == expected


@pytest.mark.parametrize(
    ("current", "proposed", "kept"),
    [
        ({"title": "A", "city": "Pune"}, {"title": "A", "city": "Pune"}, {}),
        ({"title": "A", "city": "Pune"}, {"title": "B", "city": "Pune"}, {"title": "B"}),
        ({"city": None}, {"city": ""}, {}),
        ({"city": "Pune"}, {"city": ""}, {"city": ""}),
    ],
)
def test_a_correction_keeps_only_what_changed(current, proposed, kept):
    assert data_changes(current, proposed) == kept


@pytest.mark.parametrize(
    ("head", "content_type"),
    [
        (b"%PDF-1.7\n%", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"<!DOCTYPE html><html>", None),
        (b"PK\x03\x04", None),
        (b"", None),
    ],
)
def test_attachments_are_typed_by_their_content(head, content_type):
    assert sniff_content_type(head) == content_type
