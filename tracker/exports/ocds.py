"""Procurement as an Open Contracting Data Standard 1.1 release package, built by PostgreSQL.

Every published deployment with procurement facts (a tender date, a cost, a
funding source, a vendor, or a tender or procurement status) is one release:
the lead agency is the buyer, the vendors are the suppliers of its award, the
cost is the value in INR, the funding source is the budget, and the cited
sources are the tender's documents. Our status maps onto OCDS's stages
(``STAGES``); parties carry their Wikidata ids as ``XI-WIKIDATA`` identifiers
(the org-id.guide list for Wikidata). A release's ``ocid`` is ``OCDS_PREFIX``
and the deployment's id; its ``id`` adds the time of the last change, so each
change is a new release of the same contracting process.

Like the other exports, the JSON is assembled in SQL and streamed, so the
package costs a constant number of queries however many deployments there are.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Exists, Max, OuterRef, Q

from ..catalogue.visibility import public_value
from ..models import Citation, Deployment, DeploymentStatus, Source, SourceKind, Vendor
from ..sql.columns import quote
from .datasets import DATA_LICENSE

OCDS_VERSION = "1.1"
WIKIDATA_SCHEME = "XI-WIKIDATA"  # org-id.guide's code for Wikidata items
ISO_UTC = 'YYYY-MM-DD"T"HH24:MI:SS"Z"'
# A date recorded in India, as the start of that day in India.
INDIA_DAY = 'YYYY-MM-DD"T00:00:00+05:30"'
RELEASES_PER_FETCH = 1000


@dataclass(frozen=True)
class Stage:
    """How far a deployment's procurement went, in OCDS's terms (closed codelists:
    releaseTag, tenderStatus, awardStatus, contractStatus; None leaves it out)."""

    tag: str
    tender: str | None
    award: str | None = None
    contract: str | None = None


S = DeploymentStatus
STAGES = {
    S.ANNOUNCED: Stage("planning", "planned"),
    S.TENDER: Stage("tender", "active"),
    S.PROCUREMENT: Stage("award", "complete", "pending"),
    S.PILOT: Stage("contract", "complete", "active", "active"),
    S.IMPLEMENTATION: Stage("implementation", "complete", "active", "active"),
    S.IN_USE: Stage("implementation", "complete", "active", "active"),
    # Suspended: the contract stands, the system is not in use.
    S.SUSPENDED: Stage("implementation", "complete", "active", "active"),
    S.DISCONTINUED: Stage("contractTermination", "complete", "active", "terminated"),
    S.UNKNOWN: Stage("tender", None),
}
# Vendors known before an award is recorded make a pending award.
AWARD_WITH_VENDORS = "pending"
DOCUMENT_TYPES = {SourceKind.TENDER: "tenderNotice"}


def procurement_q():
    """Deployments with at least one procurement fact."""
    vendors = Deployment.vendors.through.objects.filter(deployment=OuterRef("pk"))
    return (
        Q(tender_published_on__isnull=False)
        | Q(cost_inr__isnull=False)
        | ~Q(funding_source="")
        | Q(status__in=[S.TENDER, S.PROCUREMENT])
        | Q(Exists(vendors))
    )


def ocid_prefix():
    return settings.OCDS_PREFIX


def _case(column, mapping, params):
    """SQL: ``mapping[column]`` (values as parameters), NULL for anything else."""
    whens = []
    for key, value in mapping.items():
        if value is not None:
            whens.append("WHEN %s THEN %s")
            params.extend([str(key), value])
    return f"CASE {column} {' '.join(whens)} END" if whens else "NULL"


def _identifier(wikidata):
    """An org-id identifier for a Wikidata id column; NULL when it is empty."""
    return (
        f"CASE WHEN {wikidata} <> '' THEN json_build_object('scheme', '{WIKIDATA_SCHEME}', "
        f"'id', {wikidata}, 'uri', 'https://www.wikidata.org/wiki/' || {wikidata}) END"
    )


def _rows_sql(queryset):
    """The deployments' own columns and their public buyer, in id order."""
    rows = (
        queryset.filter(procurement_q())
        .order_by("id")
        .values(
            "id",
            "title",
            "status",
            "updated_at",
            "tender_published_on",
            "in_use_since",
            "cost_inr",
            "cost_covers",
            "funding_source",
            buyer_id=public_value("lead_agency", "id"),
            buyer_name=public_value("lead_agency", "name"),
            buyer_wikidata=public_value("lead_agency", "wikidata_id"),
            buyer_website=public_value("lead_agency", "website"),
            buyer_city=public_value("lead_agency", "city"),
            buyer_region=public_value("lead_agency", "state__name"),
        )
    )
    return rows.query.sql_with_params()


def release_sql(queryset):
    """SQL and parameters: one text row per release, in deployment id order."""
    inner, inner_params = _rows_sql(queryset)
    params = []  # the stages' and document types' values, in the order the SQL uses them
    prefix = "%s"
    tag = _case("t.status", {k: v.tag for k, v in STAGES.items()}, params)
    tender_status = _case("t.status", {k: v.tender for k, v in STAGES.items()}, params)
    award_status = _case("t.status", {k: v.award for k, v in STAGES.items()}, params)
    contract_status = _case("t.status", {k: v.contract for k, v in STAGES.items()}, params)
    document_type = _case("s.kind", DOCUMENT_TYPES, params)
    vendor_link = Deployment.vendors.through._meta.db_table
    value = (
        "CASE WHEN t.cost_inr IS NOT NULL "
        "THEN json_build_object('amount', t.cost_inr, 'currency', 'INR') END"
    )
    award_id = "'award-' || t.id"
    sql = f"""
    SELECT json_strip_nulls(json_build_object(
        'ocid', {prefix} || '-' || t.id,
        'id', {prefix} || '-' || t.id || '-'
              || to_char(t.updated_at AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISSUS'),
        'date', to_char(t.updated_at AT TIME ZONE 'UTC', '{ISO_UTC}'),
        'tag', json_build_array(st.tag),
        'initiationType', 'tender',
        'language', 'en',
        'parties', (
            SELECT json_agg(p.party ORDER BY p.sort)
            FROM (
                SELECT 0 AS sort, json_build_object(
                    'id', 'agency-' || t.buyer_id, 'name', t.buyer_name,
                    'identifier', {_identifier("t.buyer_wikidata")},
                    'address', json_build_object(
                        'locality', NULLIF(t.buyer_city, ''), 'region', t.buyer_region,
                        'countryName', 'India'),
                    'contactPoint', CASE WHEN t.buyer_website <> ''
                        THEN json_build_object('url', t.buyer_website) END,
                    'roles', json_build_array('buyer')) AS party
                WHERE t.buyer_id IS NOT NULL
                UNION ALL
                SELECT 1, json_array_elements(suppliers.parties)
            ) AS p
        ),
        'buyer', CASE WHEN t.buyer_id IS NOT NULL
            THEN json_build_object('id', 'agency-' || t.buyer_id, 'name', t.buyer_name) END,
        'planning', CASE WHEN t.funding_source <> '' THEN json_build_object(
            'budget', json_build_object('description', t.funding_source)) END,
        'tender', json_build_object(
            'id', 'tender-' || t.id,
            'title', t.title,
            'description', NULLIF(t.cost_covers, ''),
            'status', st.tender_status,
            'value', {value},
            'tenderPeriod', CASE WHEN t.tender_published_on IS NOT NULL THEN json_build_object(
                'startDate', to_char(t.tender_published_on, '{INDIA_DAY}')) END,
            'documents', documents.list),
        'awards', CASE WHEN st.award_status IS NOT NULL OR suppliers.list IS NOT NULL
            THEN json_build_array(json_build_object(
                'id', {award_id},
                'status', COALESCE(st.award_status, '{AWARD_WITH_VENDORS}'),
                'value', {value},
                'suppliers', suppliers.list)) END,
        'contracts', CASE WHEN st.contract_status IS NOT NULL
            THEN json_build_array(json_build_object(
                'id', 'contract-' || t.id,
                'awardID', {award_id},
                'status', st.contract_status,
                'value', {value},
                'period', CASE WHEN t.in_use_since IS NOT NULL THEN json_build_object(
                    'startDate', to_char(t.in_use_since, '{INDIA_DAY}')) END)) END
    ))::text
    FROM ({inner}) AS t
    CROSS JOIN LATERAL (SELECT {tag} AS tag, {tender_status} AS tender_status,
                               {award_status} AS award_status,
                               {contract_status} AS contract_status) AS st
    LEFT JOIN LATERAL (
        SELECT json_agg(json_build_object(
            'id', 'vendor-' || v.id, 'name', v.name,
            'identifier', {_identifier("v.wikidata_id")},
            'address', CASE WHEN v.country <> ''
                THEN json_build_object('countryName', v.country) END,
            'contactPoint', CASE WHEN v.website <> '' THEN json_build_object('url', v.website) END,
            'roles', json_build_array('supplier')) ORDER BY v.name, v.id) AS parties,
            json_agg(json_build_object('id', 'vendor-' || v.id, 'name', v.name)
                     ORDER BY v.name, v.id) AS list
        FROM {quote(vendor_link)} AS dv JOIN {quote(Vendor._meta.db_table)} AS v
             ON v.id = dv.vendor_id
        WHERE dv.deployment_id = t.id
    ) AS suppliers ON true
    LEFT JOIN LATERAL (
        SELECT json_agg(json_build_object(
            'id', s.id::text,
            'documentType', {document_type},
            'title', NULLIF(s.title, ''),
            'url', s.url,
            'datePublished', CASE WHEN s.published_on IS NOT NULL
                THEN to_char(s.published_on, '{INDIA_DAY}') END,
            'language', NULLIF(s.language, '')) ORDER BY s.id) AS list
        FROM {quote(Source._meta.db_table)} AS s
        WHERE s.id IN (SELECT c.source_id FROM {quote(Citation._meta.db_table)} AS c
                       WHERE c.deployment_id = t.id)
    ) AS documents ON true
    ORDER BY t.id
    """
    return sql, (ocid_prefix(), ocid_prefix(), *inner_params, *params)


def last_change(queryset):
    """When the newest deployment in the package last changed (ISO 8601, UTC), or None."""
    newest = queryset.filter(procurement_q()).aggregate(newest=Max("updated_at"))["newest"]
    return newest and newest.strftime("%Y-%m-%dT%H:%M:%SZ")


def package_chunks(queryset, *, uri, published_fallback) -> Iterator[bytes]:
    """The whole package as JSON, releases streamed from a server-side cursor."""
    head = {
        "uri": uri,
        "version": OCDS_VERSION,
        "publishedDate": last_change(queryset) or published_fallback,
        "publisher": {"name": settings.DATA_PUBLISHER, "uri": settings.SITE_URL + "/"},
        "license": DATA_LICENSE["path"],
    }
    text = json.dumps(head, ensure_ascii=False)
    yield (text[:-1] + ', "releases": [').encode()
    sql, params = release_sql(queryset)
    first = True
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(RELEASES_PER_FETCH):
            body = ",".join(row[0] for row in rows)
            yield (body if first else "," + body).encode()
            first = False
    yield b"]}"
