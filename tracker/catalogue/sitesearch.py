"""The header's search box: one query over deployments, agencies, hotspots and RTI requests.

Each kind is searched as its own list searches it (``search.search``, the
same documents and ranking, Devanagari place names included), and the page
shows the best few of each with how many match in all, linking to that
list for the rest. Counts and the ranked first rows are cached per data
version, so the page costs what the lists' first pages cost, at a million
camera points too.
"""

from dataclasses import dataclass

from ..models import Agency, Deployment, Hotspot, RTIRequest
from .datacache import cached
from .paging import page_ids, rows_in_order
from .search import MAX_QUERY_LENGTH, search
from .selectors.rows import agency_rows, deployment_rows, hotspot_rows, rti_request_rows

PER_KIND = 5


@dataclass(frozen=True)
class Found:
    """The best rows of one kind for a search, and how many match in all."""

    kind: str  # deployments, agencies, hotspots, rti
    count: int
    rows: list


KINDS = (
    ("deployments", Deployment, deployment_rows),
    ("agencies", Agency, agency_rows),
    ("hotspots", Hotspot, hotspot_rows),
    ("rti", RTIRequest, rti_request_rows),
)


def site_search(q, *, per_kind=PER_KIND):
    """[Found] for each kind, in the order of ``KINDS`` (an empty ``q`` finds nothing)."""
    q = (q or "").strip()[:MAX_QUERY_LENGTH]
    if not q:
        return []
    found = []
    for kind, model, rows in KINDS:
        matching = search(model.objects.published(), q)
        count = cached("site-search-count", matching.count, kind, q)
        ids = page_ids(matching, offset=0, limit=per_kind, count=count).ids
        found.append(Found(kind=kind, count=count, rows=rows_in_order(rows(), ids)))
    return found
