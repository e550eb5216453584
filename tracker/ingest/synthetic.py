"""A large, realistic-looking synthetic dataset for benchmarks (never for the public site).

Deployments spread over India's states roughly by population, around real
cities, across the vocabularies, each with a cited source; plus agencies,
vendors, hotspots and RTI requests. Rows are bulk-inserted (no history
records) and marked ``is_demo``; the same seed gives the same data.

``hotspots=N`` loads N camera points with PostgreSQL's COPY instead, with
the table's secondary indexes dropped during the load and rebuilt after it,
so a million points take minutes rather than hours.
"""

import random
from datetime import date, timedelta

from django.contrib.gis.geos import Point
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from ..catalogue.datacache import data_changed, sources_changed
from ..models import (
    Agency,
    AgencyKind,
    AgencyLevel,
    Citation,
    DatePrecision,
    Deployment,
    DeploymentStatus,
    Hotspot,
    HotspotKind,
    LocationPrecision,
    Publication,
    PurposeClass,
    PurposeTag,
    RTIRequest,
    Source,
    SourceKind,
    Technology,
    Vendor,
    VerificationLevel,
)
from ..rti.lifecycle import rti_request_derived

# State code: (weight ~ population in millions, [(city, longitude, latitude), ...]).
STATE_CITIES = {
    "IN-UP": (
        200,
        [
            ("Lucknow", 80.95, 26.85),
            ("Kanpur", 80.33, 26.45),
            ("Varanasi", 82.97, 25.32),
            ("Agra", 78.01, 27.18),
            ("Ghaziabad", 77.44, 28.67),
        ],
    ),  # noqa: E501
    "IN-MH": (
        112,
        [
            ("Mumbai", 72.88, 19.08),
            ("Pune", 73.86, 18.52),
            ("Nagpur", 79.09, 21.15),
            ("Nashik", 73.79, 20.0),
        ],
    ),  # noqa: E501
    "IN-BR": (104, [("Patna", 85.14, 25.59), ("Gaya", 85.0, 24.79), ("Bhagalpur", 86.98, 25.24)]),
    "IN-WB": (
        91,
        [("Kolkata", 88.36, 22.57), ("Howrah", 88.31, 22.59), ("Siliguri", 88.43, 26.73)],
    ),  # noqa: E501
    "IN-MP": (73, [("Bhopal", 77.41, 23.26), ("Indore", 75.86, 22.72), ("Gwalior", 78.18, 26.22)]),
    "IN-TN": (
        72,
        [("Chennai", 80.27, 13.08), ("Coimbatore", 76.96, 11.02), ("Madurai", 78.12, 9.93)],
    ),  # noqa: E501
    "IN-RJ": (69, [("Jaipur", 75.79, 26.91), ("Jodhpur", 73.02, 26.24), ("Udaipur", 73.71, 24.59)]),
    "IN-KA": (
        61,
        [("Bengaluru", 77.59, 12.97), ("Mysuru", 76.64, 12.3), ("Hubballi", 75.12, 15.36)],
    ),  # noqa: E501
    "IN-GJ": (
        60,
        [("Ahmedabad", 72.57, 23.02), ("Surat", 72.83, 21.17), ("Vadodara", 73.18, 22.31)],
    ),  # noqa: E501
    "IN-AP": (
        49,
        [("Visakhapatnam", 83.22, 17.69), ("Vijayawada", 80.65, 16.51), ("Tirupati", 79.42, 13.63)],
    ),  # noqa: E501
    "IN-OD": (42, [("Bhubaneswar", 85.82, 20.3), ("Cuttack", 85.88, 20.46)]),
    "IN-TS": (35, [("Hyderabad", 78.47, 17.39), ("Warangal", 79.59, 17.97)]),
    "IN-KL": (
        33,
        [("Thiruvananthapuram", 76.94, 8.52), ("Kochi", 76.27, 9.93), ("Kozhikode", 75.78, 11.26)],
    ),  # noqa: E501
    "IN-JH": (33, [("Ranchi", 85.31, 23.34), ("Jamshedpur", 86.2, 22.8)]),
    "IN-AS": (31, [("Guwahati", 91.74, 26.14), ("Dibrugarh", 94.91, 27.47)]),
    "IN-PB": (28, [("Ludhiana", 75.86, 30.9), ("Amritsar", 74.87, 31.63)]),
    "IN-CG": (26, [("Raipur", 81.63, 21.25), ("Bilaspur", 82.14, 22.08)]),
    "IN-HR": (25, [("Gurugram", 77.03, 28.46), ("Faridabad", 77.32, 28.41)]),
    "IN-DL": (17, [("New Delhi", 77.21, 28.61), ("Delhi", 77.1, 28.7)]),
    "IN-JK": (12, [("Srinagar", 74.8, 34.08), ("Jammu", 74.86, 32.73)]),
    "IN-UK": (10, [("Dehradun", 78.03, 30.32), ("Haridwar", 78.16, 29.95)]),
    "IN-HP": (7, [("Shimla", 77.17, 31.1)]),
    "IN-TR": (4, [("Agartala", 91.28, 23.83)]),
    "IN-ML": (3, [("Shillong", 91.89, 25.58)]),
    "IN-MN": (3, [("Imphal", 93.94, 24.82)]),
    "IN-NL": (2, [("Kohima", 94.11, 25.67)]),
    "IN-GA": (1.5, [("Panaji", 73.83, 15.49)]),
    "IN-AR": (1.4, [("Itanagar", 93.62, 27.08)]),
    "IN-PY": (1.2, [("Puducherry", 79.81, 11.94)]),
    "IN-MZ": (1.1, [("Aizawl", 92.72, 23.73)]),
    "IN-CH": (1.1, [("Chandigarh", 76.78, 30.73)]),
    "IN-SK": (0.6, [("Gangtok", 88.61, 27.33)]),
    "IN-DH": (0.6, [("Daman", 72.83, 20.4)]),
    "IN-AN": (0.4, [("Port Blair", 92.73, 11.62)]),
    "IN-LA": (0.3, [("Leh", 77.58, 34.15)]),
    "IN-LD": (0.1, [("Kavaratti", 72.64, 10.57)]),
}

TECHNOLOGY_WEIGHTS = {
    Technology.FACIAL_RECOGNITION: 40,
    Technology.VIDEO_ANALYTICS: 20,
    Technology.PLATE_RECOGNITION: 15,
    Technology.BIOMETRIC_AUTHENTICATION: 12,
    Technology.DRONE_SURVEILLANCE: 6,
    Technology.EMOTION_RECOGNITION: 3,
    Technology.OTHER: 4,
}
SURVEILLANCE_TAGS = [
    PurposeTag.CRIMINAL_IDENTIFICATION,
    PurposeTag.MISSING_PERSONS,
    PurposeTag.WOMENS_SAFETY,
    PurposeTag.CROWD_MONITORING,
    PurposeTag.TRAFFIC_ENFORCEMENT,
]
AUTHENTICATION_TAGS = [
    PurposeTag.ATTENDANCE,
    PurposeTag.ACCESS_CONTROL,
    PurposeTag.VOTER_VERIFICATION,
    PurposeTag.WELFARE_AUTHENTICATION,
]
VENDOR_NAMES = [
    "Staqu", "Innefu Labs", "NEC", "IDEMIA", "Hikvision", "Dahua", "Bharat Electronics",
    "Tech Mahindra", "Larsen & Toubro", "Honeywell", "Matrix Comsec", "Videonetics",
    "FaceTagr", "AllGoVision", "Gemini Traze", "Vehant", "CP Plus", "Bosch", "Axis",
    "Siemens", "Wipro", "HCL", "Tata Advanced Systems", "iSpirt Labs", "Pelco",
]  # fmt: skip
PUBLISHERS = ["The Hindu", "Indian Express", "Scroll", "The Wire", "Times of India", "MediaNama"]
FUNDING = ["Nirbhaya Fund", "Smart Cities Mission", "State budget", "Municipal budget", ""]
BATCH = 5000


class AlreadyGenerated(Exception):
    """The database already holds synthetic data for this seed."""


def synthetic_dataset_generate(*, deployments, seed, hotspots=None, log=print):
    """Insert ``deployments`` synthetic deployments (and the rest) using random ``seed``.

    ``hotspots`` (when given) is the number of hotspots, loaded with COPY;
    otherwise there is one hotspot per 20 deployments, linked to them.
    """
    if deployments < 0:
        raise ValueError("deployments must be zero or more")
    if hotspots is not None and hotspots < 0:
        raise ValueError("hotspots must be zero or more")
    tag = f"s{seed}"
    if Agency.objects.filter(slug=f"synthetic-{tag}-police-in-up").exists():
        raise AlreadyGenerated(f"synthetic data for seed {seed} already exists")
    rng = random.Random(seed)
    with transaction.atomic():
        agencies = _agencies(tag)
        log(f"{len(agencies)} agencies")
        vendors = [Vendor.objects.get_or_create(name=name)[0] for name in VENDOR_NAMES]
        ids = _deployments(rng, tag, deployments, agencies, vendors, log)
        if hotspots is None:
            _hotspots(rng, tag, ids, agencies)
        else:
            _hotspots_copied(rng, tag, hotspots, agencies, log)
        _rti_requests(rng, tag, ids, agencies)
        data_changed()  # bulk inserts send no signals
        sources_changed()
    return len(ids)


def _agencies(tag):
    rows = []
    for code, (_, cities) in STATE_CITIES.items():
        city = cities[0][0]
        for kind, level, name in (
            (AgencyKind.POLICE, AgencyLevel.STATE, f"{city} Police"),
            (AgencyKind.MUNICIPAL, AgencyLevel.CITY, f"{city} Municipal Corporation"),
            (AgencyKind.STATE_DEPARTMENT, AgencyLevel.STATE, f"Home Department ({code})"),
        ):
            rows.append(
                Agency(
                    name=name,
                    slug=f"synthetic-{tag}-{kind.replace('_', '-')}-{code.lower()}",
                    kind=kind,
                    level=level,
                    state_id=code,
                    city=city,
                    publication=Publication.PUBLISHED,
                    is_demo=True,
                )
            )
    Agency.objects.bulk_create(rows)
    by_state = {}
    for agency in Agency.objects.filter(slug__startswith=f"synthetic-{tag}-"):
        by_state.setdefault(agency.state_id, []).append(agency.pk)
    return by_state


def _deployments(rng, tag, count, agencies, vendors, log):
    codes = list(STATE_CITIES)
    weights = [STATE_CITIES[c][0] for c in codes]
    technologies = list(TECHNOLOGY_WEIGHTS)
    tech_weights = list(TECHNOLOGY_WEIGHTS.values())
    statuses = DeploymentStatus.values
    status_weights = [8, 6, 5, 10, 12, 30, 3, 4, 6]
    created = 0
    while created < count:
        size = min(BATCH, count - created)
        rows, sources = [], []
        for i in range(created, created + size):
            code = rng.choices(codes, weights)[0]
            city, lon, lat = rng.choice(STATE_CITIES[code][1])
            technology = rng.choices(technologies, tech_weights)[0]
            authentication = technology == Technology.BIOMETRIC_AUTHENTICATION
            purpose = PurposeClass.AUTHENTICATION if authentication else PurposeClass.SURVEILLANCE
            tags = rng.sample(AUTHENTICATION_TAGS if authentication else SURVEILLANCE_TAGS, 1)
            announced = date(2015, 1, 1) + timedelta(days=rng.randrange(11 * 365))
            title = f"{Technology(technology).label} for {PurposeTag(tags[0]).label} in {city}"
            source_kind = rng.choice([SourceKind.NEWS, SourceKind.NEWS, SourceKind.TENDER])
            rows.append(
                Deployment(
                    title=f"{title} #{i + 1}",
                    slug=f"{slugify(title)[:80]}-{tag}-{i + 1}",
                    lead_agency_id=rng.choice(agencies[code]),
                    technology=technology,
                    purpose_class=purpose,
                    purpose_tags=tags,
                    status=rng.choices(statuses, status_weights)[0],
                    announced_on=announced,
                    announced_precision=rng.choice(DatePrecision.values),
                    state_id=code,
                    city=city,
                    location=Point(
                        round(lon + rng.gauss(0, 0.08), 5), round(lat + rng.gauss(0, 0.08), 5)
                    ),
                    location_precision=rng.choice(
                        [
                            LocationPrecision.EXACT,
                            LocationPrecision.LOCALITY,
                            LocationPrecision.CITY,
                        ]
                    ),
                    camera_count=rng.choice([None, rng.randrange(1, 5000)]),
                    cost_inr=rng.choice([None, rng.randrange(10**5, 10**10)]),
                    funding_source=rng.choice(FUNDING),
                    summary=f"Synthetic entry {i + 1} for benchmarks: {title.lower()}.",
                    # The level its one source gives it (tracker.models.evidence).
                    confidence=VerificationLevel.CONFIRMED
                    if source_kind == SourceKind.TENDER
                    else VerificationLevel.REPORTED,
                    # A few drafts, so "published only" is measured too.
                    publication=Publication.DRAFT if rng.random() < 0.03 else Publication.PUBLISHED,
                    is_demo=True,
                )
            )
            sources.append(
                Source(
                    url=f"https://news.example.org/synthetic/{tag}/{i + 1}",
                    title=f"Report on {title.lower()}",
                    publisher=rng.choice(PUBLISHERS),
                    kind=source_kind,
                    is_demo=True,
                )
            )
        rows = Deployment.objects.bulk_create(rows)
        sources = Source.objects.bulk_create(sources)
        Citation.objects.bulk_create(
            Citation(source=s, deployment=d, claim="Reported.")
            for d, s in zip(rows, sources, strict=True)
        )
        Deployment.vendors.through.objects.bulk_create(
            Deployment.vendors.through(deployment_id=d.pk, vendor_id=v.pk)
            for d in rows
            for v in rng.sample(vendors, rng.choice([0, 1, 1, 2]))
        )
        Deployment.partner_agencies.through.objects.bulk_create(
            Deployment.partner_agencies.through(
                deployment_id=d.pk, agency_id=rng.choice(agencies[d.state_id])
            )
            for d in rows
            if rng.random() < 0.2 and len(agencies[d.state_id]) > 1
        )
        created += size
        log(f"{created} deployments")
    return list(Deployment.objects.filter(slug__contains=f"-{tag}-").values_list("pk", "state_id"))


def _hotspots(rng, tag, deployment_ids, agencies):
    rows, links = [], []
    for n, (deployment_id, code) in enumerate(deployment_ids[::20]):
        city, lon, lat = rng.choice(STATE_CITIES[code][1])
        rows.append(
            Hotspot(
                name=f"{rng.choice(HotspotKind.labels)} {n + 1}, {city}",
                slug=f"synthetic-{tag}-hotspot-{n + 1}",
                kind=rng.choice(HotspotKind.values),
                city=city,
                state_id=code,
                location=Point(
                    round(lon + rng.gauss(0, 0.03), 5), round(lat + rng.gauss(0, 0.03), 5)
                ),
                camera_count=rng.randrange(1, 50),
                agency_id=rng.choice(agencies[code]),
                publication=Publication.PUBLISHED,
                is_demo=True,
            )
        )
        links.append(deployment_id)
    rows = Hotspot.objects.bulk_create(rows)
    Hotspot.deployments.through.objects.bulk_create(
        Hotspot.deployments.through(hotspot_id=h.pk, deployment_id=d)
        for h, d in zip(rows, links, strict=True)
    )


def _rti_requests(rng, tag, deployment_ids, agencies):
    rows = []
    for n, (_, code) in enumerate(deployment_ids[::100]):
        filed = date(2018, 1, 1) + timedelta(days=rng.randrange(7 * 365))
        rows.append(
            RTIRequest(
                title=f"Face recognition records, request {n + 1}",
                slug=f"synthetic-{tag}-rti-{n + 1}",
                authority_id=rng.choice(agencies[code]),
                filed_by="A researcher",
                filed_on=filed,
                received_on=filed + timedelta(days=rng.randrange(1, 10)),
                publication=Publication.PUBLISHED,
                is_demo=True,
            )
        )
    for row in rows:  # no events: status and deadlines follow from the dates alone
        for name, value in rti_request_derived(row, events=[]).items():
            setattr(row, name, value)
    RTIRequest.objects.bulk_create(rows)


HOTSPOT_COLUMNS = (
    "slug", "publication", "withdrawn_reason", "is_demo", "created_at", "updated_at", "name",
    "kind", "city", "state_id", "location", "camera_count", "agency_id", "notes",
)  # fmt: skip


def _hotspots_copied(rng, tag, count, agencies, log):
    """``count`` published hotspots around the cities, streamed into the table with COPY."""
    codes = list(STATE_CITIES)
    weights = [STATE_CITIES[c][0] for c in codes]
    kinds, labels = HotspotKind.values, HotspotKind.labels
    now = timezone.now()
    table = Hotspot._meta.db_table
    columns = ", ".join(HOTSPOT_COLUMNS)
    with connection.cursor() as cursor:
        # Check foreign keys row by row now: an index cannot be built on a table
        # with deferred checks pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with connection.cursor() as cursor, _secondary_indexes_rebuilt(cursor, table):
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for n in range(1, count + 1):
                code = rng.choices(codes, weights)[0]
                city, lon, lat = rng.choice(STATE_CITIES[code][1])
                kind = rng.randrange(len(kinds))
                x, y = round(lon + rng.gauss(0, 0.05), 5), round(lat + rng.gauss(0, 0.05), 5)
                copy.write_row(
                    (
                        f"synthetic-{tag}-camera-{n}",
                        Publication.PUBLISHED,
                        "",
                        True,
                        now,
                        now,
                        f"{labels[kind]} camera {n}, {city}",
                        kinds[kind],
                        city,
                        code,
                        f"SRID=4326;POINT({x} {y})",
                        rng.randrange(1, 50),
                        rng.choice(agencies[code]),
                        "",
                    )
                )
                if n % 100_000 == 0:
                    log(f"{n} hotspots")
        log("rebuilding hotspot indexes")
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")


class _secondary_indexes_rebuilt:
    """Drop a table's non-unique indexes for a bulk load and create them again after it:
    building an index once is far faster than updating it a million times."""

    def __init__(self, cursor, table):
        self.cursor, self.table = cursor, table

    def __enter__(self):
        self.cursor.execute(
            "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = %s::regclass AND NOT x.indisunique",
            [self.table],
        )
        self.definitions = self.cursor.fetchall()
        for name, _definition in self.definitions:
            self.cursor.execute(f'DROP INDEX "{name}"')
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            for _name, definition in self.definitions:
                self.cursor.execute(definition)
        return False
