"""Evidence: which cited source supports which claim of a deployment, and the rule that
turns evidence into a verification level.

A deployment cites sources (``Citation``); each piece of evidence ties one of those
citations to one claim (status, cost, vendors...), with an optional quote and page.
Evidence can only point at a source the entry cites: it hangs on the citation.

The level of a set of sources, best first:

- confirmed: one of them is an official document, a tender, a court record or an
  RTI reply;
- corroborated: two independent publishers (different publishers; a source
  without one counts as its web site's);
- reported: one publisher;
- unverified: no source.

A claim's level is that of the sources cited for it; an entry's level (the
deployment's ``confidence``) is that of every source it cites. The rule is SQL
(``level_of``), so one UPDATE refreshes any number of entries and a page reads
every claim's level in one query; ``tracker.verification`` keeps the stored
levels current.
"""

from django.contrib.postgres.aggregates import BoolOr
from django.db import models
from django.db.models import Case, Count, F, Func, Q, Value, When
from django.db.models.functions import Coalesce, Lower, NullIf, Trim
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import ChoiceLabels
from .vocab import Claim, SourceKind, VerificationLevel

# Sources that confirm a claim on their own: what the state or a court put on record.
OFFICIAL_KINDS = (
    SourceKind.OFFICIAL_DOCUMENT,
    SourceKind.TENDER,
    SourceKind.COURT_RECORD,
    SourceKind.RTI_REPLY,
)

QUOTE_MAX = 2000
PAGE_MAX = 20

# A URL's host without "www.": the publisher of a source that names none.
HOST_PATTERN = r"^[A-Za-z][A-Za-z0-9+.-]*://(?:www\.)?([^/:?#]+)"


class Evidence(ChoiceLabels):
    """A cited source supporting one claim of the entry that cites it."""

    citation = models.ForeignKey(
        "tracker.Citation", models.CASCADE, related_name="evidence", verbose_name=_("citation")
    )
    claim = models.CharField(_("claim"), max_length=20, choices=Claim.choices)
    quote = models.TextField(_("quote"), blank=True, max_length=QUOTE_MAX)
    page = models.CharField(_("page"), max_length=PAGE_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["claim", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.UniqueConstraint(fields=["citation", "claim"], name="evidence_unique_claim")
        ]

    def __str__(self):
        return f"{self.get_claim_display()}: {self.citation.source}"


def publisher_key(source):
    """SQL: who published the source at ``source`` (a path to a Source, like
    ``citation__source``), for telling independent publishers apart: its publisher's
    name in lower case, or its web site's host when it names none."""
    named = NullIf(Lower(Trim(F(f"{source}__publisher"))), Value(""))
    host = Lower(Func(F(f"{source}__url"), Value(HOST_PATTERN), function="substring"))
    return Coalesce(named, host, output_field=models.CharField())


def level_aggregates(source, *, only=None, name="level"):
    """Aggregates over the sources at ``source`` that ``level_of`` reads, named
    ``<name>_...``; ``only``: a condition narrowing the rows aggregated."""
    return {
        f"{name}_official": BoolOr(Q(**{f"{source}__kind__in": OFFICIAL_KINDS}), filter=only),
        f"{name}_publishers": Count(publisher_key(source), distinct=True, filter=only),
        f"{name}_sources": Count(f"{source}__id", filter=only),
    }


def level_of(name="level"):
    """SQL: the level of the sources aggregated by ``level_aggregates`` under ``name``."""
    return Case(
        When(**{f"{name}_official": True}, then=Value(VerificationLevel.CONFIRMED)),
        When(**{f"{name}_publishers__gte": 2}, then=Value(VerificationLevel.CORROBORATED)),
        When(**{f"{name}_sources__gte": 1}, then=Value(VerificationLevel.REPORTED)),
        default=Value(VerificationLevel.UNVERIFIED),
        output_field=models.CharField(),
    )


def claim_levels(deployment_ids):
    """{(deployment id, claim): level} for every claim with evidence, in one query.

    A claim without evidence is absent: its level is unverified.
    """
    rows = (
        Evidence.objects.filter(citation__deployment_id__in=deployment_ids)
        .order_by()
        .values("citation__deployment_id", "claim")
        .annotate(**level_aggregates("citation__source"))
        .annotate(level=level_of())
        .values_list("citation__deployment_id", "claim", "level")
    )
    return {(deployment_id, claim): level for deployment_id, claim, level in rows}


def claim_level_sql(*, deployment, claim):
    """SQL: the level of ``claim`` of ``deployment`` (each a value or an ``OuterRef``), from
    every source cited for that claim; NULL when no source is (unverified)."""
    same_claim = (
        Evidence.objects.filter(citation__deployment=deployment, claim=claim)
        .order_by()
        .values("claim")
        .annotate(**level_aggregates("citation__source"))
        .annotate(level=level_of())
        .values("level")
    )
    return models.Subquery(same_claim, output_field=models.CharField())


def every_claim_level(*, deployment=None):
    """The evidence of ``deployment`` (an ``OuterRef``) grouped into one row whose
    ``level_<claim>`` is each claim's level, for every claim (unverified where no source
    is cited): one pass over the deployment's evidence, where ``claim_level_sql`` per
    claim reads it once per claim. No row at all when it has no evidence.

    Without ``deployment``: one such row per deployment with evidence, its id in
    ``deployment`` (a page's levels, read in one grouped pass)."""
    rows = Evidence.objects.order_by()
    if deployment is None:
        rows = rows.values(deployment=F("citation__deployment"))
    else:
        rows = rows.filter(citation__deployment=deployment).annotate(_group=Value(1))
        rows = rows.values("_group")
    for code in Claim.values:
        rows = rows.annotate(
            **level_aggregates("citation__source", only=Q(claim=code), name=f"of_{code}")
        )
    return rows.annotate(**{f"level_{code}": level_of(f"of_{code}") for code in Claim.values})


def deployment_level(citation_model=None):
    """SQL: a deployment's level, from every source it cites (for ``update()``).

    ``citation_model``: a migration's historical Citation (the current one otherwise).
    """
    if citation_model is None:
        from .sources import Citation as citation_model

    cited = (
        citation_model.objects.filter(deployment=models.OuterRef("pk"))
        .order_by()
        .values("deployment")
        .annotate(**level_aggregates("source"))
        .annotate(level=level_of())
        .values("level")
    )
    return Coalesce(
        models.Subquery(cited),
        Value(VerificationLevel.UNVERIFIED),
        output_field=models.CharField(),
    )
