"""Verification levels are derived from the sources cited, per claim and per entry."""

import itertools

import pytest

from tests.factories import CitationFactory, DeploymentFactory, SourceFactory
from tracker.models import Citation, Deployment, Evidence, SourceKind, VerificationLevel
from tracker.models.evidence import OFFICIAL_KINDS, claim_levels

OFFICIAL = list(OFFICIAL_KINDS)
UNOFFICIAL = [k for k in SourceKind.values if k not in OFFICIAL]

# (sources as (kind, publisher, url host), level): the rule, row by row.
TABLE = [
    ([], "unverified"),
    ([("news", "Daily A", "a.example")], "reported"),
    ([("research", "", "lab.example")], "reported"),
    ([("social_media", "", "social.example")], "reported"),
    ([("other", "Someone", "x.example")], "reported"),
    ([("official_document", "Home Department", "gov.example")], "confirmed"),
    ([("tender", "", "tenders.example")], "confirmed"),
    ([("court_record", "High Court", "court.example")], "confirmed"),
    ([("rti_reply", "", "rti.example")], "confirmed"),
    # Same publisher twice, whatever the spelling of its name: one publisher.
    ([("news", "Daily A", "a.example"), ("news", " daily a ", "a2.example")], "reported"),
    # No publisher named: the web site is the publisher (www. or not).
    ([("news", "", "www.a.example"), ("news", "", "a.example")], "reported"),
    ([("news", "", "a.example"), ("news", "", "b.example")], "corroborated"),
    ([("news", "Daily A", "a.example"), ("news", "Daily B", "b.example")], "corroborated"),
    ([("news", "Daily A", "a.example"), ("research", "Lab", "lab.example")], "corroborated"),
    (
        [("news", "Daily A", "a.example"), ("news", "Daily A", "a.example"), ("tender", "", "t")],
        "confirmed",
    ),
    ([("news", "Daily A", "a.example"), ("rti_reply", "", "rti.example")], "confirmed"),
]


def _sources(spec):
    return [
        SourceFactory(kind=kind, publisher=publisher, url=f"https://{host}/story-{n}")
        for n, (kind, publisher, host) in enumerate(spec)
    ]


def _cited(deployment, sources, claim=None):
    for source in sources:
        citation = Citation.objects.create(source=source, deployment=deployment)
        if claim:
            Evidence.objects.create(citation=citation, claim=claim)


@pytest.mark.django_db
@pytest.mark.parametrize(("spec", "expected"), TABLE)
def test_level_table_per_entry_and_per_claim(spec, expected):
    deployment = DeploymentFactory()
    _cited(deployment, _sources(spec), claim="cost")
    deployment.refresh_from_db()
    assert deployment.confidence == expected
    levels = claim_levels([deployment.pk])
    assert levels.get((deployment.pk, "cost"), "unverified") == expected


@pytest.mark.django_db
def test_every_pair_of_kinds_and_publishers():
    """Every two sources: any official kind confirms; otherwise two publishers corroborate."""
    deployment = DeploymentFactory()
    cases = list(itertools.product(SourceKind.values, SourceKind.values, (True, False)))
    for n, (first, second, same_publisher) in enumerate(cases):
        Citation.objects.filter(deployment=deployment).delete()
        sources = [
            SourceFactory(kind=first, publisher="One", url=f"https://one.example/{n}"),
            SourceFactory(
                kind=second,
                publisher="One" if same_publisher else "Two",
                url=f"https://two.example/{n}",
            ),
        ]
        _cited(deployment, sources)
        deployment.refresh_from_db()
        if first in OFFICIAL or second in OFFICIAL:
            wanted = VerificationLevel.CONFIRMED
        elif same_publisher:
            wanted = VerificationLevel.REPORTED
        else:
            wanted = VerificationLevel.CORROBORATED
        assert deployment.confidence == wanted, (first, second, same_publisher)


@pytest.mark.django_db
def test_claims_have_their_own_levels():
    deployment = DeploymentFactory()
    tender = SourceFactory(kind="tender", publisher="")
    news = SourceFactory(kind="news", publisher="Daily A")
    tender_citation = Citation.objects.create(source=tender, deployment=deployment)
    news_citation = Citation.objects.create(source=news, deployment=deployment)
    Evidence.objects.create(citation=tender_citation, claim="cost", page="12")
    Evidence.objects.create(citation=news_citation, claim="status", quote="now in use")
    levels = claim_levels([deployment.pk])
    assert levels == {(deployment.pk, "cost"): "confirmed", (deployment.pk, "status"): "reported"}
    deployment.refresh_from_db()
    assert deployment.confidence == "confirmed"


@pytest.mark.django_db
def test_stored_level_follows_every_change_and_counts_as_an_update():
    deployment = DeploymentFactory()
    assert Deployment.objects.get(pk=deployment.pk).confidence == "unverified"
    citation = CitationFactory(deployment=deployment, source__kind="news")
    after_citing = Deployment.objects.get(pk=deployment.pk)
    assert after_citing.confidence == "reported"
    assert after_citing.updated_at > deployment.updated_at

    # A source's kind corrected in the admin moves the level of every entry citing it.
    source = citation.source
    source.kind = SourceKind.COURT_RECORD
    source.save()
    assert Deployment.objects.get(pk=deployment.pk).confidence == "confirmed"

    citation.delete()
    assert Deployment.objects.get(pk=deployment.pk).confidence == "unverified"
