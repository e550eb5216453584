"""Importing deployments from a CSV file (the format: README.md, "Importing data").

All or nothing: every row is validated first, every problem is reported as
``line N: column: problem``, and only a clean file touches the database, in
one transaction. Re-importing the same file creates nothing. A row is
validated by a form whose fields come from the models, so lengths and
vocabularies cannot drift from the database; rows are published through
``tracker.publication``, since an operator's import is trusted.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.contrib.gis.geos import Point
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower

from ..catalogue.geography import point_plausibly_in_state
from ..models import (
    Agency,
    AgencyKind,
    Citation,
    DatePrecision,
    Deployment,
    LocationPrecision,
    Source,
    State,
    Vendor,
)
from ..publication import entities_publish_new
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


class ImportFailed(Exception):
    """The file has problems; nothing was imported."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s) found; nothing was imported")


def _messages(choices=()):
    """Error messages in the import's words: ``line N: column: <message>``."""
    expected = ", ".join(code for code, _ in choices if code)
    return {
        "required": "required",
        "max_length": "longer than %(limit_value)d characters",
        "null_characters_not_allowed": "contains a NUL character",
        "invalid_choice": f"unknown value %(value)r (expected one of {expected})",
    }


def _model_field(model, name, *, required=None):
    """The form field Django makes for a model field, with the import's messages."""
    model_field = model._meta.get_field(name)
    form_field = model_field.formfield()
    form_field.error_messages.update(_messages(getattr(form_field, "choices", ())))
    if required is not None:
        form_field.required = required
    return form_field


NOT_A_URL = "must be an http or https URL"


class DeploymentRowForm(forms.Form):
    """One CSV row: each column checked against the model field it fills."""

    title = _model_field(Deployment, "title")
    agency = _model_field(Agency, "name", required=True)
    technology = _model_field(Deployment, "technology")
    purpose_class = _model_field(Deployment, "purpose_class")
    status = _model_field(Deployment, "status")
    city = _model_field(Deployment, "city")
    summary = _model_field(Deployment, "summary")
    source_title = _model_field(Source, "title")
    source_url = forms.CharField(
        max_length=Source._meta.get_field("url").max_length,
        validators=[URLValidator(schemes=["http", "https"], message=NOT_A_URL)],
        error_messages=_messages(),
    )

    def clean_source_url(self):
        try:
            url = normalise_url(self.cleaned_data["source_url"])
        except ValueError:  # e.g. a port above 65535, which URLValidator lets through
            raise forms.ValidationError(NOT_A_URL) from None
        limit = Source._meta.get_field("url").max_length
        if len(url) > limit:
            raise forms.ValidationError(f"longer than {limit} characters")
        return url


VENDOR_NAME = _model_field(Vendor, "name")


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


def _oversized_column(text, first_line, header):
    """The column of the record starting at ``first_line`` whose field broke csv's size limit."""
    record = "".join(text.splitlines(keepends=True)[first_line - 1 :])
    limit, index, size, quoted = csv.field_size_limit(), 0, 0, False
    for char in record:
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            break
        elif char == "," and not quoted:
            index, size = index + 1, 0
            continue
        size += 1
        if size > limit:
            return header[index] if index < len(header) else "row"
    return "row"


class UnreadableRecord(Exception):
    """csv cannot read a record (a field over its size limit, a NUL byte): the file ends there."""


def _records(text, reader, header):
    """(line, raw dict) for each record; raise UnreadableRecord with the problem's line."""
    first_line = reader.line_num + 1
    while True:
        try:
            raw = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            line = first_line  # csv does not count the line it failed on
            if "field larger than field limit" in str(error):
                column = _oversized_column(text, first_line, header)
                message = f"longer than the CSV limit of {csv.field_size_limit()} characters"
            else:
                column, message = "row", f"not readable as CSV ({error})"
            raise UnreadableRecord(f"line {line}: {column}: {message}") from None
        yield reader.line_num, raw
        first_line = reader.line_num + 1


def _check_header(reader):
    header = [h.strip() for h in (reader.fieldnames or [])]
    duplicates = sorted({c for c in header if header.count(c) > 1})
    if duplicates:
        raise ImportFailed([f"line 1: {c}: duplicate column" for c in duplicates])
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImportFailed([f"line 1: {c}: missing column" for c in missing])
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise ImportFailed([f"line 1: {c}: unknown column" for c in unknown])
    return header


def parse_deployment_rows(text: str) -> list[DeploymentRow]:
    """Validate every row; raise ImportFailed listing all problems."""
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = _check_header(reader)
    except csv.Error as error:
        raise ImportFailed([f"line 1: row: not readable as CSV ({error})"]) from None
    states = state_lookup()
    rows, errors = [], []
    try:
        for line, raw in _records(text, reader, header):
            row = _parse_row(line, raw, states, errors)
            if row is not None:
                rows.append(row)
    except UnreadableRecord as unreadable:
        raise ImportFailed([*errors, str(unreadable)]) from None
    if errors:
        raise ImportFailed(errors)
    if not rows:
        raise ImportFailed(["line 2: row: the file has no data rows"])
    return rows


def _parse_row(line, raw, states, errors):
    """The row as a DeploymentRow, or None with its problems added to ``errors``."""
    row_errors = {}

    def problem(column, message):
        row_errors.setdefault(column, []).append(message)

    clean = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
    if None in raw:
        problem("row", "more fields than columns")
    form = DeploymentRowForm(data=clean)
    form.is_valid()
    for column, messages in form.errors.items():
        for message in messages:
            problem(column, message)
    state = _parse_state(clean["state"], states, problem)
    location = parse_location(clean["latitude"], clean["longitude"], problem)
    year = _parse_year(clean["announced_year"], problem)
    cost = _parse_cost(clean["cost_inr"], problem)
    vendors = _parse_vendors(clean["vendor"], problem)
    if row_errors:
        for column in ["row", *COLUMNS]:
            errors += [f"line {line}: {column}: {m}" for m in row_errors.get(column, [])]
        return None
    data = form.cleaned_data
    return DeploymentRow(
        line=line,
        title=data["title"],
        agency=data["agency"],
        technology=data["technology"],
        purpose_class=data["purpose_class"],
        status=data["status"],
        state=state,
        city=data["city"],
        location=location,
        announced_year=year,
        vendors=vendors,
        cost_inr=cost,
        summary=data["summary"],
        source_title=data["source_title"],
        source_url=data["source_url"],
    )


def _parse_state(text, states, problem):
    if not text:
        return None
    state = states.get(text.lower())
    if state is None:
        problem("state", f"unknown state or union territory {text!r}")
    return state


def _parse_year(text, problem):
    if not text:
        return None
    if not re.fullmatch(r"\d{4}", text):
        problem("announced_year", "must be four digits")
    elif not 1900 <= int(text) <= date.today().year + 1:
        problem("announced_year", "is not a plausible year")
    else:
        return int(text)
    return None


def _parse_cost(text, problem):
    if not text:
        return None
    if not re.fullmatch(r"[0-9]+", text):  # ASCII digits: str.isdigit() also takes "¹"
        problem("cost_inr", "must be whole rupees, digits only")
    elif len(text) > 18:
        problem("cost_inr", "too large")
    else:
        return int(text)
    return None


def _parse_vendors(text, problem):
    names = [name.strip() for name in text.split(";") if name.strip()]
    for name in names:
        try:
            VENDOR_NAME.clean(name)
        except forms.ValidationError as error:
            for message in error.messages:
                problem("vendor", f"{name[:40]!r}: {message}")
    return names


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
            problem(column, f"not a number: {text[:40]!r}")
            continue
        if not -limit <= value <= limit:  # NaN fails this too
            problem(column, f"{text} is outside -{limit}..{limit}")
            continue
        values[column] = value
    if len(values) != 2:
        return None
    return Point(values["longitude"], values["latitude"], srid=4326)


def agencies_by_name(names, *, is_demo=False):
    """{lower-cased name: agency} for every name an agency answers to, in one query.

    A name or short name wins over an alias, then the oldest agency. Demo data
    only ever matches demo agencies, and real data real ones.
    """
    wanted = sorted({name.lower() for name in names})
    by_alias = RawSQL(
        f"SELECT id FROM {Agency._meta.db_table}, unnest(aliases) AS alias"
        " WHERE lower(alias) = ANY(%s)",
        (wanted,),
    )
    candidates = (
        Agency.objects.filter(is_demo=is_demo)
        .annotate(lower_name=Lower("name"), lower_short_name=Lower("short_name"))
        .filter(Q(lower_name__in=wanted) | Q(lower_short_name__in=wanted) | Q(pk__in=by_alias))
        .order_by("id")
    )
    by_name, by_alias_name = {}, {}
    for agency in candidates:
        for name in (agency.lower_name, agency.lower_short_name):
            by_name.setdefault(name, agency)
        for alias in agency.aliases:
            by_alias_name.setdefault(alias.lower(), agency)
    matches = {**by_alias_name, **by_name}
    return {name: matches[name] for name in wanted if name in matches}


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


def _agencies_for(rows, report, *, is_demo):
    """The agency of every row: matched in one query, the unknown ones created published."""
    agencies = agencies_by_name([row.agency for row in rows], is_demo=is_demo)
    new = {}
    for row in rows:
        key = row.agency.lower()
        if key not in agencies and key not in new:
            new[key] = Agency(
                name=row.agency,
                kind=guess_agency_kind(row.agency),
                state=row.state,
                city=row.city,
                is_demo=is_demo,
            )
    entities_publish_new(entities=list(new.values()))
    report.agencies.extend(new.values())
    return {**agencies, **new}


@transaction.atomic
def deployments_import(*, text: str, dry_run: bool = False, is_demo: bool = False) -> ImportReport:
    """Import a CSV document; published at once, since an operator's import is trusted.

    With ``is_demo`` (the demo data) rows only ever match demo rows, so loading
    demo data never changes a real entry that happens to share a name.
    """
    rows = parse_deployment_rows(text)
    report = ImportReport()
    for row in rows:
        if point_plausibly_in_state(row.location, row.state) is False:
            report.warnings.append(
                f"line {row.line}: latitude, longitude: the point lies outside {row.state.name}"
                " (imported; check the coordinates)"
            )
    agencies = _agencies_for(rows, report, is_demo=is_demo)
    for row in rows:
        agency = agencies[row.agency.lower()]
        deployment = Deployment.objects.filter(
            title__iexact=row.title, lead_agency=agency, is_demo=is_demo
        ).first()
        if deployment is None:
            deployment = Deployment(
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
                is_demo=is_demo,
            )
            entities_publish_new(entities=[deployment])
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
