"""Importing deployments from a CSV file (the format: README.md, "Importing data").

All or nothing: every row is validated first, every problem is reported as
``line N: column: problem``, and only a clean file touches the database, in
one transaction. Re-importing the same file creates nothing.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q

from ..catalogue.geography import point_plausibly_in_state
from ..models import (
    Agency,
    AgencyKind,
    Citation,
    DatePrecision,
    Deployment,
    DeploymentStatus,
    LocationPrecision,
    Publication,
    PurposeClass,
    Source,
    State,
    Technology,
    Vendor,
)
from .normalise import normalise_url

COLUMNS = [
    "title",
    "agency",
    "technology",
    "purpose_class",
    "status",
    "state",
    "city",
    "latitude",
    "longitude",
    "announced_year",
    "vendor",
    "cost_inr",
    "summary",
    "source_title",
    "source_url",
]
REQUIRED = {
    "title",
    "agency",
    "technology",
    "purpose_class",
    "status",
    "source_title",
    "source_url",
}
CHOICES = {
    "technology": Technology,
    "purpose_class": PurposeClass,
    "status": DeploymentStatus,
}


class ImportFailed(Exception):
    """The file has problems; nothing was imported."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s) found; nothing was imported")


@dataclass
class DeploymentRow:
    line: int
    title: str
    agency: str
    technology: str
    purpose_class: str
    status: str
    state: State | None
    city: str
    location: Point | None
    announced_year: int | None
    vendors: list[str]
    cost_inr: int | None
    summary: str
    source_title: str
    source_url: str


@dataclass
class ImportReport:
    deployments: list[Deployment] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    citations: int = 0
    vendors: list[Vendor] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def created_anything(self):
        return bool(self.deployments or self.agencies or self.sources or self.citations)


def state_lookup():
    """Every accepted spelling of a state (name, alias, ISO code), lower-cased."""
    names = {}
    for state in State.objects.all():
        for name in [state.name, state.code, state.code.split("-")[1], *state.aliases]:
            names[name.strip().lower()] = state
    return names


def parse_deployment_rows(text: str) -> list[DeploymentRow]:
    """Validate every row; raise ImportFailed listing all problems."""
    reader = csv.DictReader(io.StringIO(text))
    errors = []
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImportFailed([f"line 1: {c}: missing column" for c in missing])
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise ImportFailed([f"line 1: {c}: unknown column" for c in unknown])

    states = state_lookup()
    rows = []
    for raw in reader:
        line = reader.line_num
        row_errors = []
        clean = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        if None in raw:
            row_errors.append(f"line {line}: row: more fields than columns")

        def problem(column, message, errs=row_errors, line=line):
            errs.append(f"line {line}: {column}: {message}")

        for column in COLUMNS:
            if column in REQUIRED and not clean.get(column):
                problem(column, "required")
        for column, vocabulary in CHOICES.items():
            value = clean.get(column, "")
            if value and value not in vocabulary.values:
                problem(
                    column,
                    f"unknown value {value!r} (expected one of {', '.join(vocabulary.values)})",
                )

        state = None
        if clean["state"]:
            state = states.get(clean["state"].lower())
            if state is None:
                problem("state", f"unknown state or union territory {clean['state']!r}")

        location = parse_location(clean["latitude"], clean["longitude"], problem)

        year = None
        if clean["announced_year"]:
            if not re.fullmatch(r"\d{4}", clean["announced_year"]):
                problem("announced_year", "must be four digits")
            elif not 1900 <= int(clean["announced_year"]) <= date.today().year + 1:
                problem("announced_year", "is not a plausible year")
            else:
                year = int(clean["announced_year"])

        cost = None
        if clean["cost_inr"]:
            if not clean["cost_inr"].isdigit():
                problem("cost_inr", "must be whole rupees, digits only")
            else:
                cost = int(clean["cost_inr"])

        if clean["source_url"]:
            try:
                URLValidator(schemes=["http", "https"])(clean["source_url"])
            except ValidationError:
                problem("source_url", "must be an http or https URL")

        for column, limit in (
            ("title", 300),
            ("agency", 200),
            ("city", 100),
            ("source_title", 500),
        ):
            if len(clean[column]) > limit:
                problem(column, f"longer than {limit} characters")

        if row_errors:
            errors.extend(row_errors)
            continue
        rows.append(
            DeploymentRow(
                line=line,
                title=clean["title"],
                agency=clean["agency"],
                technology=clean["technology"],
                purpose_class=clean["purpose_class"],
                status=clean["status"],
                state=state,
                city=clean["city"],
                location=location,
                announced_year=year,
                vendors=[v.strip() for v in clean["vendor"].split(";") if v.strip()],
                cost_inr=cost,
                summary=clean["summary"],
                source_title=clean["source_title"],
                source_url=normalise_url(clean["source_url"]),
            )
        )
    if errors:
        raise ImportFailed(errors)
    if not rows:
        raise ImportFailed(["line 2: row: the file has no data rows"])
    return rows


def parse_location(latitude, longitude, problem):
    if not latitude and not longitude:
        return None
    if not latitude or not longitude:
        problem(
            "latitude" if not latitude else "longitude",
            "give both latitude and longitude, or neither",
        )
        return None
    values = {}
    for column, text, limit in (("latitude", latitude, 90), ("longitude", longitude, 180)):
        try:
            value = float(text)
        except ValueError:
            problem(column, f"not a number: {text!r}")
            continue
        if not -limit <= value <= limit:
            problem(column, f"{text} is outside -{limit}..{limit}")
            continue
        values[column] = value
    if len(values) != 2:
        return None
    return Point(values["longitude"], values["latitude"], srid=4326)


def find_agency(name):
    """An existing agency by name or alias, case-insensitively."""
    return (
        Agency.objects.filter(Q(name__iexact=name) | Q(short_name__iexact=name))
        .order_by("id")
        .first()
        or Agency.objects.filter(aliases__icontains=[name]).order_by("id").first()
        or next(
            (
                a
                for a in Agency.objects.exclude(aliases=[]).order_by("id")
                if name.lower() in (x.lower() for x in a.aliases)
            ),
            None,
        )
    )


def guess_agency_kind(name):
    lowered = name.lower()
    if "police" in lowered:
        return AgencyKind.POLICE
    if "ministry" in lowered or "bureau" in lowered:
        return AgencyKind.CENTRAL
    if "railway" in lowered or "metro" in lowered or "airport" in lowered:
        return AgencyKind.TRANSPORT
    if "municipal" in lowered or "corporation" in lowered:
        return AgencyKind.MUNICIPAL
    return AgencyKind.OTHER


def publisher_from_title(title):
    """ "The Hindu: Smart cameras..." was published by The Hindu."""
    head, sep, _ = title.partition(": ")
    return head if sep and len(head) <= 80 else ""


@transaction.atomic
def deployments_import(*, text: str, dry_run: bool = False, is_demo: bool = False) -> ImportReport:
    """Import a CSV document; published at once, since an operator's import is trusted."""
    rows = parse_deployment_rows(text)
    report = ImportReport()
    for row in rows:
        if point_plausibly_in_state(row.location, row.state) is False:
            report.warnings.append(
                f"line {row.line}: latitude, longitude: the point lies outside {row.state.name}"
                " (imported; check the coordinates)"
            )
        agency = find_agency(row.agency)
        if agency is None:
            agency = Agency.objects.create(
                name=row.agency,
                kind=guess_agency_kind(row.agency),
                state=row.state,
                city=row.city,
                publication=Publication.PUBLISHED,
                is_demo=is_demo,
            )
            report.agencies.append(agency)

        deployment = Deployment.objects.filter(title__iexact=row.title, lead_agency=agency).first()
        if deployment is None:
            deployment = Deployment.objects.create(
                title=row.title,
                lead_agency=agency,
                technology=row.technology,
                purpose_class=row.purpose_class,
                status=row.status,
                state=row.state,
                city=row.city,
                location=row.location,
                location_precision=location_precision(row),
                announced_on=date(row.announced_year, 1, 1) if row.announced_year else None,
                announced_precision=DatePrecision.YEAR,
                cost_inr=row.cost_inr,
                summary=row.summary,
                publication=Publication.PUBLISHED,
                is_demo=is_demo,
            )
            for name in row.vendors:
                vendor, created = Vendor.objects.get_or_create(name=name)
                if created:
                    report.vendors.append(vendor)
                deployment.vendors.add(vendor)
            report.deployments.append(deployment)

        source, created = Source.objects.get_or_create(
            url=row.source_url,
            defaults={
                "title": row.source_title,
                "publisher": publisher_from_title(row.source_title),
                "is_demo": is_demo,
            },
        )
        if created:
            report.sources.append(source)
        _, created = Citation.objects.get_or_create(source=source, deployment=deployment)
        report.citations += int(created)

    if dry_run:
        transaction.set_rollback(True)
    return report


def location_precision(row):
    if row.location is None:
        return ""
    return LocationPrecision.CITY if row.city else LocationPrecision.STATE
