"""`manage.py import_deployments`: all or nothing, every problem with its line."""

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from tracker.models import Agency, Citation, Deployment, Publication, Source

pytestmark = pytest.mark.django_db

SAMPLE = Path(settings.BASE_DIR) / "fixtures" / "deployments-sample.csv"
HEADER = (
    "title,agency,technology,purpose_class,status,state,city,latitude,longitude,"
    "announced_year,vendor,cost_inr,summary,source_title,source_url\n"
)


def run_import(path, *args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import_deployments", str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), str(exc)
    return out.getvalue(), err.getvalue(), None


def test_sample_file_imports_fourteen_published_deployments():
    out, err, failure = run_import(SAMPLE)
    assert failure is None, err
    assert Deployment.objects.count() == 14
    assert Deployment.objects.published().count() == 14
    assert "Created 14 deployments" in out
    assert "+ deployment: Delhi Police facial recognition software" in out
    delhi = Deployment.objects.get(title="Delhi Police facial recognition software")
    assert delhi.state.code == "IN-DL"
    assert (delhi.location.x, delhi.location.y) == (77.21, 28.61)
    assert [v.name for v in delhi.vendors.all()] == ["Innefu Labs"]
    assert delhi.announced_on.year == 2018
    assert delhi.citations.get().source.url.startswith("https://www.business-standard.com/")
    national = Deployment.objects.get(title__startswith="National Automated Facial")
    assert national.state is None  # empty state means national scope
    surat = Deployment.objects.get(lead_agency__name="Surat City Police")
    assert surat.cost_inr == 380000000


def test_second_import_creates_nothing():
    run_import(SAMPLE)
    counts = (Deployment.objects.count(), Agency.objects.count(), Source.objects.count())
    citations = Citation.objects.count()
    out, err, failure = run_import(SAMPLE)
    assert failure is None, err
    assert "Created 0 deployments, 0 agencies, 0 sources, 0 citations" in out
    assert (Deployment.objects.count(), Agency.objects.count(), Source.objects.count()) == counts
    assert Citation.objects.count() == citations


def test_row_with_same_title_and_agency_adds_its_source(tmp_path):
    run_import(SAMPLE)
    extra = tmp_path / "extra.csv"
    extra.write_text(
        HEADER + "Delhi Police facial recognition software,delhi police,facial_recognition,"
        "surveillance,in_use,Delhi,New Delhi,28.61,77.21,2018,,,,Another report,"
        "https://example.org/another-report\n"
    )
    out, err, failure = run_import(extra)
    assert failure is None, err
    delhi = Deployment.objects.get(title="Delhi Police facial recognition software")
    assert Deployment.objects.count() == 14
    assert delhi.citations.count() == 2


def test_bad_rows_import_nothing_and_each_error_names_its_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER
        + "Good row,Some Police,facial_recognition,surveillance,in_use,Goa,Panaji,15.49,73.82,"
        "2020,,,,A source,https://example.org/good\n"
        + "Unknown status,Some Police,facial_recognition,surveillance,rumoured,Goa,,,,,,,,"
        "A source,https://example.org/a\n"
        + "Bad latitude,Some Police,facial_recognition,surveillance,in_use,Goa,,123,73.8,,,,,"
        "A source,https://example.org/b\n"
        + "No source URL,Some Police,facial_recognition,surveillance,in_use,Goa,,,,,,,,"
        "A source,\n"
        + "Unknown state,Some Police,facial_recognition,surveillance,in_use,Atlantis,,,,,,,,"
        "A source,https://example.org/c\n"
    )
    out, err, failure = run_import(bad)
    assert failure is not None and "nothing was imported" in failure
    assert Deployment.objects.count() == 0
    assert Agency.objects.count() == 0
    assert Source.objects.count() == 0
    lines = err.strip().splitlines()
    assert "line 3: status: unknown value 'rumoured'" in lines[0]
    assert lines[1] == "line 4: latitude: 123 is outside -90..90"
    assert lines[2] == "line 5: source_url: required"
    assert lines[3] == "line 6: state: unknown state or union territory 'Atlantis'"
    assert len(lines) == 4


def test_dry_run_validates_and_reports_but_changes_nothing():
    out, err, failure = run_import(SAMPLE, "--dry-run")
    assert failure is None, err
    assert "Would create 14 deployments" in out
    assert Deployment.objects.count() == 0


def test_missing_file_and_missing_columns_are_clear_errors(tmp_path):
    _, _, failure = run_import(tmp_path / "nope.csv")
    assert failure.endswith("nope.csv: no such file")
    partial = tmp_path / "partial.csv"
    partial.write_text("title,agency\nA,B\n")
    _, err, failure = run_import(partial)
    assert "line 1: technology: missing column" in err
    assert failure is not None


def test_imported_agencies_are_published_and_matched_case_insensitively(tmp_path):
    run_import(SAMPLE)
    assert Agency.objects.filter(name="Telangana State Police").count() == 1
    assert Agency.objects.published().count() == Agency.objects.count()
    assert Deployment.objects.filter(publication=Publication.DRAFT).count() == 0


def test_point_outside_the_named_state_is_imported_with_a_warning(tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_text(
        HEADER + "Cameras in Goa,Goa Police,facial_recognition,surveillance,in_use,Goa,Panaji,"
        "26.85,80.95,2021,,,,A source,https://example.org/goa\n"  # Lucknow's coordinates
    )
    out, err, failure = run_import(odd)
    assert failure is None
    assert Deployment.objects.filter(title="Cameras in Goa").exists()
    assert "warning: line 2: latitude, longitude: the point lies outside Goa" in err


def test_sample_file_points_all_lie_in_their_states():
    out, err, failure = run_import(SAMPLE)
    assert failure is None
    assert "warning" not in err


def good_row(**changes):
    values = {
        "title": "Cameras in Panaji",
        "agency": "Goa Police",
        "technology": "facial_recognition",
        "purpose_class": "surveillance",
        "status": "in_use",
        "state": "Goa",
        "city": "Panaji",
        "latitude": "15.49",
        "longitude": "73.82",
        "announced_year": "2020",
        "vendor": "",
        "cost_inr": "",
        "summary": "",
        "source_title": "A source",
        "source_url": "https://example.org/panaji",
    }
    values.update(changes)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(values.values())
    return out.getvalue()


def assert_refused(path, *expected_lines):
    out, err, failure = run_import(path)
    assert failure is not None and "nothing was imported" in failure, (out, err)
    assert err.strip().splitlines() == list(expected_lines)
    assert "Traceback" not in err
    assert Deployment.objects.count() == 0 and Agency.objects.count() == 0


def test_a_field_over_the_csv_size_limit_is_named_by_line_and_column(tmp_path):
    path = tmp_path / "huge.csv"
    limit = csv.field_size_limit()
    path.write_text(HEADER + good_row() + good_row(summary="x" * (limit + 1), title="Big"))
    assert_refused(path, f"line 3: summary: longer than the CSV limit of {limit} characters")


def test_duplicate_header_columns_are_refused(tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text(HEADER.replace("city,", "city,city,", 1) + good_row(city="Panaji,Margao"))
    assert_refused(path, "line 1: city: duplicate column")


def test_values_longer_than_their_columns_are_refused(tmp_path):
    path = tmp_path / "long.csv"
    long_url = "https://example.org/" + "a" * 2000
    path.write_text(
        HEADER
        + good_row(vendor="Staqu;" + "V" * 201)
        + good_row(source_url=long_url)
        + good_row(title="T" * 301, agency="A" * 201, source_title="S" * 501)
        + good_row(source_url="https://example.org:99999/x", cost_inr="¹6")
    )
    assert_refused(
        path,
        f"line 2: vendor: '{'V' * 40}': longer than 200 characters",
        "line 3: source_url: longer than 2000 characters",
        "line 4: title: longer than 300 characters",
        "line 4: agency: longer than 200 characters",
        "line 4: source_title: longer than 500 characters",
        "line 5: cost_inr: must be whole rupees, digits only",
        "line 5: source_url: must be an http or https URL",
    )


def test_a_nul_byte_is_a_line_error(tmp_path):
    path = tmp_path / "nul.csv"
    path.write_text(HEADER + good_row(summary="a\x00b"))
    out, err, failure = run_import(path)
    assert failure is not None
    assert err.startswith("line 2: ") and "Traceback" not in err
    assert Deployment.objects.count() == 0


def test_imported_rows_are_published_through_the_publication_service(tmp_path):
    """One history record each, already published: never a draft in between."""
    path = tmp_path / "one.csv"
    path.write_text(HEADER + good_row())
    run_import(path)
    deployment = Deployment.objects.get()
    records = list(deployment.history.all())
    assert [r.publication for r in records] == [Publication.PUBLISHED]
    agency = Agency.objects.get()
    assert [r.publication for r in agency.history.all()] == [Publication.PUBLISHED]


def test_agencies_are_matched_in_one_query_whatever_the_number_of_rows(tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    Agency.objects.create(name="Goa Police", aliases=["GP"], publication=Publication.PUBLISHED)
    Agency.objects.create(name="Other", short_name="Kerala Police", publication="published")
    counts = []
    for rows in (2, 8):
        path = tmp_path / f"{rows}.csv"
        path.write_text(
            HEADER
            + "".join(
                good_row(title=f"Row {n}", agency=["gp", "KERALA POLICE", "Goa Police"][n % 3])
                for n in range(rows)
            )
        )
        with CaptureQueriesContext(connection) as queries:
            run_import(path, "--dry-run")
        counts.append(sum("tracker_agency" in q["sql"] and "SELECT" in q["sql"] for q in queries))
    assert counts == [1, 1]
    run_import(tmp_path / "8.csv")
    assert Agency.objects.count() == 2  # every row matched an existing agency
    assert Deployment.objects.filter(lead_agency__name="Other").count() == 3
