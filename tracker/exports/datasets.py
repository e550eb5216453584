"""Bulk exports built by PostgreSQL: flat CSV through COPY, GeoJSON through PostGIS.

The column dictionary here is the one description of the exported data: the
API's export endpoint, ``manage.py export_dataset`` and its Frictionless
``datapackage.json`` all read it, so the files and their documentation never
disagree. Column names are stable; multi-valued columns join their values
with ``;``. Related entities that are not published are left out.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Case, F, Func, OuterRef, Q, TextField, Value, When
from django.db.models.functions import Cast, Concat

from ..catalogue.filters import (
    AgencyFilter,
    DeploymentFilter,
    EvidenceFilter,
    HotspotFilter,
    RTIRequestFilter,
    SourceFilter,
)
from ..catalogue.visibility import public_q, public_rows, public_value
from ..models import (
    Agency,
    AgencyKind,
    AgencyLevel,
    Citation,
    Claim,
    DatePrecision,
    Deployment,
    DeploymentStatus,
    Evidence,
    Hotspot,
    HotspotKind,
    LinkedDatabase,
    LocationPrecision,
    PurposeClass,
    PurposeTag,
    RTIOutcome,
    RTIRequest,
    RTIRoute,
    RTIStatus,
    Source,
    SourceHealth,
    SourceKind,
    Technology,
    VerificationLevel,
)
from ..models.evidence import claim_level_sql
from ..sql import geojson
from ..sql.columns import SEPARATOR, Joined, copy_out, quote, select_sql

ISO_UTC = 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'  # to_char pattern: ISO 8601 in UTC, microseconds
# Everything published is reusable under this licence (the data package, releases, OCDS).
DATA_LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}


@dataclass(frozen=True)
class Column:
    """One exported column: its stable name, how to compute it, its type and meaning.

    ``type`` is a Frictionless Table Schema type. ``geo`` columns (longitude,
    latitude) appear in CSV only: GeoJSON carries the geometry instead.
    """

    name: str
    expression: object
    type: str
    description: str
    geo: bool = False


@dataclass(frozen=True)
class Export:
    """An exportable entity: its rows, filters, columns and geometry field (if any)."""

    name: str
    title: str
    description: str
    model: type
    filterset_class: type
    columns: tuple
    geometry: str | None = None

    def queryset(self):
        """Every row the public may see, before filters."""
        return public_rows(self.model)

    def filtered(self, params):
        """(queryset, errors): the public rows filtered by API-style parameters."""
        filterset = self.filterset_class(params, queryset=self.queryset())
        if not filterset.is_valid():
            return None, filterset.errors
        return filterset.qs, None


def codes(vocabulary):
    """Every code of a vocabulary, as documentation lists them."""
    return ", ".join(vocabulary.values)


def coded(text, vocabulary, *, empty=""):
    """A column description ending in the vocabulary's codes, generated so that a new choice
    is documented at once in the CSV and GeoJSON docs, datapackage.json and the OpenAPI schema."""
    return f"{text}: {codes(vocabulary)}" + (f"; {empty}" if empty else "") + "."


# Expressions for columns drawn from related rows.


def array_joined(field):
    return Func(F(field), Value(SEPARATOR), function="array_to_string", output_field=TextField())


def if_published(relation, value):
    """``relation__value`` when the related entity is published, else NULL."""
    return public_value(relation, value)


def source_urls(target):
    return Joined(Citation, target, "source__url")


def common_tail():
    return (
        Column(
            "is_demo",
            "is_demo",
            "boolean",
            "true for demo data (loaded by make run, or synthetic), not a researched entry.",
        ),
        Column("created_at", "created_at", "datetime", "When the entry was created (UTC)."),
        Column("updated_at", "updated_at", "datetime", "When the entry last changed (UTC)."),
    )


def location_columns():
    return (
        Column("longitude", F("location__x"), "number", "Longitude, WGS 84 degrees.", geo=True),
        Column("latitude", F("location__y"), "number", "Latitude, WGS 84 degrees.", geo=True),
    )


def state_columns(field="state"):
    return (
        Column(
            "state_code",
            f"{field}_id",
            "string",
            "ISO 3166-2 code of the state or union territory; empty for national scope.",
        ),
        Column("state_name", f"{field}__name", "string", "Name of the state or union territory."),
    )


def _published_ids(through, owner, target):
    return Joined(through, owner, f"{target}_id", where=public_q(target))


DEPLOYMENT_COLUMNS = (
    Column("id", "id", "integer", "Stable id of the deployment; never reused."),
    Column("slug", "slug", "string", "Readable identifier used in page addresses."),
    Column("title", "title", "string", "Name of the system or project."),
    Column(
        "lead_agency_id",
        if_published("lead_agency", "id"),
        "integer",
        "Id of the lead agency (see agencies).",
    ),
    Column(
        "lead_agency_name", if_published("lead_agency", "name"), "string", "Lead agency's name."
    ),
    Column(
        "partner_agency_ids",
        _published_ids(Deployment.partner_agencies.through, "deployment", "agency"),
        "string",
        "Ids of partner agencies, separated by ';'.",
    ),
    Column(
        "technology",
        "technology",
        "string",
        coded("Technology code", Technology),
    ),
    Column("purpose_class", "purpose_class", "string", coded("Purpose class", PurposeClass)),
    Column(
        "purpose_tags",
        array_joined("purpose_tags"),
        "string",
        coded("Purpose tag codes, ';'-separated", PurposeTag),
    ),
    Column(
        "status",
        "status",
        "string",
        coded("Status code", DeploymentStatus),
    ),
    Column("announced_on", "announced_on", "date", "When it was announced."),
    Column(
        "announced_precision",
        "announced_precision",
        "string",
        coded("Precision of announced_on", DatePrecision),
    ),
    Column("tender_published_on", "tender_published_on", "date", "When a tender was published."),
    Column("in_use_since", "in_use_since", "date", "When it went into use."),
    Column("last_reported_use", "last_reported_use", "date", "Last reported use."),
    *state_columns(),
    Column("district", "district", "string", "District."),
    Column("city", "city", "string", "City or town."),
    *location_columns(),
    Column(
        "location_precision",
        "location_precision",
        "string",
        coded("How exact the location is", LocationPrecision, empty="empty without a location"),
    ),
    Column("camera_count", "camera_count", "integer", "Number of cameras, where reported."),
    Column("cost_inr", "cost_inr", "integer", "Reported cost in Indian rupees."),
    Column("cost_covers", "cost_covers", "string", "What the cost covers."),
    Column("funding_source", "funding_source", "string", "Funding source, e.g. Nirbhaya Fund."),
    Column(
        "vendor_names",
        Joined(Deployment.vendors.through, "deployment", "vendor__name"),
        "string",
        "Vendors' names, ';'-separated.",
    ),
    Column(
        "vendor_wikidata_ids",
        Joined(
            Deployment.vendors.through, "deployment", "vendor__wikidata_id", order="vendor__name"
        ),
        "string",
        "Vendors' Wikidata item ids, ';'-separated in the order of vendor_names (empty where "
        "a vendor has none).",
    ),
    Column(
        "linked_databases",
        Joined(LinkedDatabase, "deployment", "name"),
        "string",
        "Databases it matches against or feeds (e.g. CCTNS), ';'-separated.",
    ),
    Column("legal_basis", "legal_basis", "string", "Legal instrument relied on."),
    Column("legal_basis_url", "legal_basis_url", "string", "Link to the legal basis."),
    Column("court_cases", "court_cases", "string", "Court cases concerning it."),
    Column("data_retention", "data_retention", "string", "Reported data retention."),
    Column("accuracy_claims", "accuracy_claims", "string", "Reported accuracy claims."),
    Column(
        "confidence",
        "confidence",
        "string",
        coded(
            "Verification level, derived from the sources cited (confirmed: an official "
            "document, tender, court record or RTI reply; corroborated: two independent "
            "publishers; reported: one; unverified: none)",
            VerificationLevel,
        ),
    ),
    Column(
        "evidence",
        Joined(
            Evidence,
            "citation__deployment",
            Concat(
                "claim",
                Value(":"),
                Cast("citation__source_id", TextField()),
                output_field=TextField(),
            ),
        ),
        "string",
        "Each claim with the id of a source supporting it, as claim:source_id, "
        "';'-separated (quotes and pages in the evidence file); a claim not listed has no "
        "source.",
    ),
    Column(
        "last_verified_on",
        "last_verified_on",
        "date",
        "When someone last re-checked the entry against a live source; empty if never.",
    ),
    Column("summary", "summary", "string", "Summary (Markdown)."),
    Column(
        "source_urls", source_urls("deployment"), "string", "Cited sources' URLs, ';'-separated."
    ),
    *common_tail(),
)

AGENCY_COLUMNS = (
    Column("id", "id", "integer", "Stable id of the agency; never reused."),
    Column("slug", "slug", "string", "Readable identifier used in page addresses."),
    Column("name", "name", "string", "Name of the agency."),
    Column("short_name", "short_name", "string", "Short name or acronym."),
    Column("aliases", array_joined("aliases"), "string", "Other names, ';'-separated."),
    Column(
        "kind",
        "kind",
        "string",
        coded("Kind of agency", AgencyKind),
    ),
    Column("level", "level", "string", coded("Level of government", AgencyLevel, empty="or empty")),
    *state_columns(),
    Column("city", "city", "string", "City or town."),
    Column("parent_id", if_published("parent", "id"), "integer", "Id of the parent agency."),
    Column("parent_name", if_published("parent", "name"), "string", "Parent agency's name."),
    Column("website", "website", "string", "Official website."),
    Column(
        "wikidata_id",
        "wikidata_id",
        "string",
        "Wikidata item id (Q followed by a number), to join other data sets; empty if none.",
    ),
    *location_columns(),
    Column("pio_address", "pio_address", "string", "Address of the Public Information Officer."),
    Column("rti_portal_url", "rti_portal_url", "string", "Online RTI portal."),
    Column("appellate_authority", "appellate_authority", "string", "First appellate authority."),
    Column("description", "description", "string", "Description."),
    Column("source_urls", source_urls("agency"), "string", "Cited sources' URLs, ';'-separated."),
    *common_tail(),
)

HOTSPOT_COLUMNS = (
    Column("id", "id", "integer", "Stable id of the hotspot; never reused."),
    Column("slug", "slug", "string", "Readable identifier used in page addresses."),
    Column("name", "name", "string", "Name of the place."),
    Column(
        "kind",
        "kind",
        "string",
        coded("Kind of place", HotspotKind),
    ),
    Column("city", "city", "string", "City or town."),
    *state_columns(),
    *location_columns(),
    Column("camera_count", "camera_count", "integer", "Number of cameras, where reported."),
    Column("agency_id", if_published("agency", "id"), "integer", "Id of the responsible agency."),
    Column("agency_name", if_published("agency", "name"), "string", "Responsible agency's name."),
    Column(
        "deployment_ids",
        _published_ids(Hotspot.deployments.through, "hotspot", "deployment"),
        "string",
        "Ids of deployments covering it, ';'-separated.",
    ),
    Column("identified_on", "identified_on", "date", "When it was identified as a hotspot."),
    Column("notes", "notes", "string", "Notes."),
    Column("source_urls", source_urls("hotspot"), "string", "Cited sources' URLs, ';'-separated."),
    *common_tail(),
)

RTI_COLUMNS = (
    Column("id", "id", "integer", "Stable id of the RTI request; never reused."),
    Column("slug", "slug", "string", "Readable identifier used in page addresses."),
    Column("title", "title", "string", "Title of the request."),
    Column("reference_number", "reference_number", "string", "Registration or reference number."),
    Column(
        "authority_id", if_published("authority", "id"), "integer", "Id of the public authority."
    ),
    Column(
        "authority_name", if_published("authority", "name"), "string", "Public authority's name."
    ),
    Column(
        "filed_by", "filed_by", "string", "Display name chosen by the filer (may be anonymous)."
    ),
    Column("filed_on", "filed_on", "date", "When it was filed."),
    Column("received_on", "received_on", "date", "When the authority received it."),
    Column("route", "route", "string", coded("How it was filed", RTIRoute, empty="or empty")),
    Column("life_or_liberty", "life_or_liberty", "boolean", "Concerns life or liberty (48 hours)."),
    Column("third_party", "third_party", "boolean", "Involves third-party information."),
    Column(
        "status",
        "status",
        "string",
        coded("RTI status code as of the moment of the export (India)", RTIStatus),
    ),
    Column(
        "overdue",
        "overdue",
        "boolean",
        "As of the export: the public authority owes a decision whose deadline has passed.",
    ),
    Column(
        "deemed_refused",
        "deemed_refused",
        "boolean",
        "As of the export: no reply came within the PIO's deadline (section 7(2)).",
    ),
    Column(
        "decision_due_on",
        "decision_due_on",
        "date",
        "The Public Information Officer's deadline (empty while unknown or paused for a fee).",
    ),
    Column(
        "first_appeal_due_on",
        "first_appeal_due_on",
        "date",
        "The applicant's last day to file a first appeal (section 19(1)).",
    ),
    Column(
        "next_deadline",
        "next_deadline",
        "string",
        "The earliest deadline still open as of the export: decision, first_appeal, "
        "first_appeal_decision, first_appeal_decision_extended, second_appeal; or empty.",
    ),
    Column("next_deadline_on", "next_deadline_on", "date", "When that deadline falls."),
    Column(
        "outcome",
        "outcome",
        "string",
        coded("Outcome code", RTIOutcome, empty="empty while open"),
    ),
    Column("exemption_sections", "exemption_sections", "string", "Exemption sections cited."),
    Column(
        "deployment_ids",
        _published_ids(RTIRequest.deployments.through, "rtirequest", "deployment"),
        "string",
        "Ids of related deployments, ';'-separated.",
    ),
    Column(
        "agency_ids",
        _published_ids(RTIRequest.agencies.through, "rtirequest", "agency"),
        "string",
        "Ids of related agencies, ';'-separated.",
    ),
    Column("application_text", "application_text", "string", "Text of the application."),
    Column(
        "source_urls", source_urls("rti_request"), "string", "Cited sources' URLs, ';'-separated."
    ),
    *common_tail(),
)

SOURCE_COLUMNS = (
    Column("id", "id", "integer", "Stable id of the source."),
    Column("url", "url", "string", "Normalised URL."),
    Column("title", "title", "string", "Title."),
    Column("publisher", "publisher", "string", "Publisher."),
    Column(
        "kind",
        "kind",
        "string",
        coded("Kind of source", SourceKind),
    ),
    Column("language", "language", "string", "Language code."),
    Column("published_on", "published_on", "date", "When it was published."),
    Column("archive_url", "archive_url", "string", "Archived copy."),
    Column(
        "health",
        "health",
        "string",
        coded("Health from the last check", SourceHealth),
    ),
    Column("last_checked_at", "last_checked_at", "datetime", "When it was last checked (UTC)."),
    Column("http_status", "http_status", "integer", "HTTP status of the last check."),
    Column("final_url", "final_url", "string", "URL after redirects at the last check."),
    Column("last_changed_at", "last_changed_at", "datetime", "When its text last changed (UTC)."),
    *common_tail(),
)


EVIDENCE_COLUMNS = (
    Column("id", "id", "integer", "Stable id of this piece of evidence."),
    Column(
        "deployment_id",
        "citation__deployment_id",
        "integer",
        "Id of the deployment whose claim it supports (see deployments).",
    ),
    Column("claim", "claim", "string", coded("The claim supported", Claim)),
    Column(
        "source_id", "citation__source_id", "integer", "Id of the supporting source (see sources)."
    ),
    Column("source_url", "citation__source__url", "string", "The supporting source's URL."),
    Column(
        "source_kind",
        "citation__source__kind",
        "string",
        coded("Kind of the supporting source", SourceKind),
    ),
    Column("quote", "quote", "string", "The words of the source that support the claim."),
    Column("page", "page", "string", "Page of the source where it says so."),
    Column(
        "claim_level",
        claim_level_sql(deployment=OuterRef("citation__deployment"), claim=OuterRef("claim")),
        "string",
        coded(
            "Verification level of this claim of this deployment, from every source cited for it",
            VerificationLevel,
        ),
    ),
    Column("created_at", "created_at", "datetime", "When the evidence was recorded (UTC)."),
)

EXPORTS = {
    export.name: export
    for export in (
        Export(
            "deployments",
            "Deployments",
            "Facial-recognition and AI-camera systems or projects.",
            Deployment,
            DeploymentFilter,
            DEPLOYMENT_COLUMNS,
            "location",
        ),
        Export(
            "agencies",
            "Agencies",
            "Public bodies and operators running or buying the systems.",
            Agency,
            AgencyFilter,
            AGENCY_COLUMNS,
            "location",
        ),
        Export(
            "hotspots",
            "Hotspots",
            "Places where cameras are concentrated.",
            Hotspot,
            HotspotFilter,
            HOTSPOT_COLUMNS,
            "location",
        ),
        Export(
            "rti-requests",
            "RTI requests",
            "Right to Information requests about the systems and what happened to them.",
            RTIRequest,
            RTIRequestFilter,
            RTI_COLUMNS,
        ),
        Export(
            "sources",
            "Sources",
            "Documents cited by published entries, with their health.",
            Source,
            SourceFilter,
            SOURCE_COLUMNS,
        ),
        Export(
            "evidence",
            "Evidence",
            "Which cited source supports which claim of a deployment (status, technology, "
            "vendors, cost, camera count, location, key dates, legal basis, data retention, "
            "accuracy claims), with the quote and page; a claim with no row has no source.",
            Evidence,
            EvidenceFilter,
            EVIDENCE_COLUMNS,
        ),
    )
}


def column_descriptions(name):
    """{column name: description} for one export: also documents the API's fields."""
    return {column.name: column.description for column in EXPORTS[name].columns}


# Building the documents.


def csv_value(column):
    """The column as CSV text: ISO 8601 UTC times and true/false, as Frictionless reads them."""
    expr = column.expression
    if isinstance(expr, str):
        expr = F(expr)
    if column.type == "datetime":
        return Func(
            expr,
            template=f"to_char(%(expressions)s AT TIME ZONE 'UTC', '{ISO_UTC}')",
            output_field=TextField(),
        )
    if isinstance(expr, Joined):
        return expr
    if column.type == "boolean":
        return Case(When(Q(**{column.name: True}), then=Value("true")), default=Value("false"))
    return column.expression


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


CSV_TEXT_NOTE = (
    " A text cell that would begin with =, +, -, @, a tab or a carriage return begins"
    " with an apostrophe instead, so that spreadsheets never run it as a formula."
)


def csv_safe_sql(name):
    """SQL for the text column ``name`` with a leading formula character neutralised.

    Such a cell gets a leading apostrophe, which spreadsheets read as "this is
    text". Numbers and coordinates (negative longitudes) are typed columns and
    are never touched.
    """
    column = quote(name)
    starts = ", ".join(f"chr({ord(c)})" for c in FORMULA_STARTS)
    return f"CASE WHEN left({column}, 1) IN ({starts}) THEN chr(39) || {column} ELSE {column} END"


# Excel on Windows reads a CSV file as the system's code page unless it starts with UTF-8's
# byte-order mark; every other reader is better off without one.
EXCEL_BOM = "\ufeff".encode()


def csv_chunks(export, queryset, *, excel=False) -> Iterator[bytes]:
    """The rows as CSV (header first), streamed out of PostgreSQL's COPY; ``excel`` starts
    the file with the byte-order mark Excel needs to read its letters right."""
    if excel:
        yield EXCEL_BOM
    columns = {c.name: csv_value(c) for c in export.columns}
    cells = ", ".join(
        f"{csv_safe_sql(c.name)} AS {quote(c.name)}" if c.type == "string" else quote(c.name)
        for c in export.columns
    )
    sql, params = select_sql(queryset, columns, projection=lambda alias: cells)
    yield from copy_out(sql, params)


def geojson_properties(export):
    """Feature properties for an export: every column but the coordinates."""
    return {c.name: c.expression for c in export.columns if not c.geo}


def geojson_chunks(export, queryset) -> Iterator[bytes]:
    """The rows as one FeatureCollection, streamed feature by feature from PostGIS."""
    if export.geometry is None:
        raise ValueError(f"{export.name} has no geometry")
    return geojson.feature_collection_chunks(
        queryset, geojson_properties(export), geometry=export.geometry
    )


def datapackage(files, *, version=None, created=None):
    """A Frictionless data package describing ``files``: {export name: [file names]}; a
    release gives its ``version`` and the time its snapshot was taken (``created``)."""
    resources = []
    for name, file_names in files.items():
        export = EXPORTS[name]
        for file_name in file_names:
            is_csv = file_name.endswith(".csv")
            columns = export.columns if is_csv else [c for c in export.columns if not c.geo]
            resource = {
                "name": f"{name}-{'csv' if is_csv else 'geojson'}",
                "title": export.title,
                "description": export.description,
                "path": file_name,
                "format": "csv" if is_csv else "geojson",
                "mediatype": "text/csv" if is_csv else "application/geo+json",
                "encoding": "utf-8",
            }
            fields = [
                {"name": c.name, "type": c.type, "description": c.description} for c in columns
            ]
            if is_csv:
                resource["profile"] = "tabular-data-resource"
                resource["description"] += CSV_TEXT_NOTE
                resource["schema"] = {"fields": fields, "primaryKey": ["id"]}
            else:
                resource["description"] += (
                    " A GeoJSON FeatureCollection (RFC 7946); each feature's properties "
                    "are the fields listed, its geometry the location."
                )
                resource["schema"] = {"fields": fields}
            resources.append(resource)
    package = {
        "profile": "data-package",
        "name": "panoptic-tracker",
        "title": "Panoptic Tracker: facial-recognition and AI-camera deployments in India",
        "licenses": [dict(DATA_LICENSE)],
        "resources": resources,
    }
    if version is not None:
        package["version"] = version
    if created is not None:
        package["created"] = created
    return package
