"""Evidence in the submission and correction forms (and the API), the diff a moderator
reads, and what approval writes."""

import pytest
from django.urls import reverse

from moderation.models import Submission
from tests.factories import CitationFactory, DeploymentFactory, SourceFactory
from tests.support.pages import (
    NEW_DEPLOYMENT_URL,
    api_submit,
    approve,
    deployment_body,
    deployment_post,
    token_client,
)
from tests.support.people import signed_in
from tracker.models import Citation, Deployment, Evidence

pytestmark = pytest.mark.django_db

NEWS_URL = "https://news.example.org/lucknow-station-frt"
TENDER_URL = "https://tenders.example.gov/lucknow-frt?utm_source=feed"


def evidence_rows(*rows, initial=0):
    """POST data of the evidence rows: (claim, source, quote, page[, delete])."""
    data = {"evidence-TOTAL_FORMS": str(len(rows)), "evidence-INITIAL_FORMS": str(initial)}
    for n, (claim, source, quote, page, *delete) in enumerate(rows):
        data.update(
            {
                f"evidence-{n}-claim": claim,
                f"evidence-{n}-source": source,
                f"evidence-{n}-quote": quote,
                f"evidence-{n}-page": page,
            }
        )
        if delete:
            data[f"evidence-{n}-DELETE"] = "on"
    return data


def test_a_new_entry_cites_a_source_per_claim(volunteer, moderator):
    client = signed_in(volunteer)
    form = client.get(NEW_DEPLOYMENT_URL).content.decode()
    assert "Evidence: which source supports which claim" in form
    assert 'name="evidence-0-claim"' in form and 'value="new:1"' in form
    data = deployment_post(
        source_url_2=TENDER_URL,
        source_title_2="Tender for station cameras",
        **evidence_rows(
            ("status", "new:1", "the cameras went live on Monday", ""),
            ("cost", "new:2", "Rs 4.2 crore", "12"),
        ),
    )
    assert client.post(NEW_DEPLOYMENT_URL, data).status_code == 302
    submission = Submission.objects.get()
    assert submission.evidence == [
        {
            "claim": "status",
            "url": NEWS_URL,
            "quote": "the cameras went live on Monday",
            "page": "",
        },
        {
            "claim": "cost",
            "url": "https://tenders.example.gov/lucknow-frt",
            "quote": "Rs 4.2 crore",
            "page": "12",
        },
    ]
    review = signed_in(moderator).get(reverse("moderation:review", args=[submission.pk]))
    text = review.content.decode()
    assert "Evidence that would change" in text
    assert "“Rs 4.2 crore” · page 12" in text and "Tender for station cameras" in text

    approve(submission, moderator)
    deployment = Deployment.objects.get()
    evidence = {e.claim: e for e in Evidence.objects.filter(citation__deployment=deployment)}
    assert evidence["cost"].page == "12" and evidence["cost"].citation.source.url.startswith(
        "https://tenders.example.gov/"
    )
    assert evidence["status"].quote == "the cameras went live on Monday"


def test_evidence_must_point_at_a_source_of_the_entry(volunteer):
    client = signed_in(volunteer)
    elsewhere = SourceFactory(url="https://news.example.org/elsewhere")
    response = client.post(
        NEW_DEPLOYMENT_URL,
        deployment_post(
            **evidence_rows(
                ("cost", "new:2", "", ""),  # the second source row is empty
                ("status", f"cited:{elsewhere.pk}", "", ""),  # a source it does not cite
                ("vendors", "", "a quote without a source", ""),
            )
        ),
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Source 2 is empty" in text
    assert "Evidence can only point at a source this entry cites" in text
    assert "Choose the source that supports this claim." in text
    assert "Check the evidence: a row below has a problem." in text
    assert not Submission.objects.exists()


def test_the_same_claim_and_source_twice_and_too_many_rows_are_refused(volunteer):
    client = signed_in(volunteer)
    twice = client.post(
        NEW_DEPLOYMENT_URL,
        deployment_post(**evidence_rows(("cost", "new:1", "", ""), ("cost", "new:1", "x", ""))),
    )
    assert "given twice for the same claim" in twice.content.decode()
    flood = deployment_post(**evidence_rows(("cost", "new:1", "", "")))
    flood["evidence-TOTAL_FORMS"] = "100000"
    response = client.post(NEW_DEPLOYMENT_URL, flood)
    assert response.status_code == 200 and "Check the evidence" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_correction_changes_and_removes_evidence_and_the_diff_says_so(volunteer, moderator):
    deployment = DeploymentFactory(title="Metro cameras", camera_count=10)
    news = CitationFactory(deployment=deployment, source__url="https://news.example.org/metro")
    court = CitationFactory(
        deployment=deployment,
        source__url="https://court.example.org/order",
        source__kind="court_record",
    )
    Evidence.objects.create(citation=news, claim="camera_count", quote="ten cameras")
    Evidence.objects.create(citation=court, claim="legal_basis", page="3")
    url = reverse("moderation:submit-correction", args=["deployment", deployment.pk])
    client = signed_in(volunteer)
    form = client.get(url).content.decode()
    assert "ten cameras" in form and f'value="cited:{news.source.pk}" selected' in form

    camera_row = ("camera_count", f"cited:{news.source.pk}", "ten cameras", "")
    legal_row = ("legal_basis", f"cited:{court.source.pk}", "", "3", "delete")
    vendor_row = ("vendors", f"cited:{court.source.pk}", "supplied by Acme", "")
    data = deployment_post(
        agency=deployment.lead_agency,
        title="Metro cameras",
        camera_count="10",
        why="The court order and the news report support it.",
        **evidence_rows(camera_row, legal_row, vendor_row, initial=2),
    )
    # Only evidence changes: that is a change worth sending.
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    submission = Submission.objects.get()
    assert submission.evidence == [
        {"claim": "legal_basis", "url": court.source.url, "remove": True},
        {"claim": "vendors", "url": court.source.url, "quote": "supplied by Acme", "page": ""},
    ]
    text = signed_in(moderator).get(reverse("moderation:review", args=[submission.pk])).content
    text = text.decode()
    assert "removed" in text and "added" in text and "supplied by Acme" in text
    mine = client.get(reverse("moderation:my-submission", args=[submission.pk])).content.decode()
    assert "Evidence that would change" in mine

    approve(submission, moderator)
    claims = set(
        Evidence.objects.filter(citation__deployment=deployment).values_list("claim", flat=True)
    )
    assert claims == {"camera_count", "vendors"}


def test_a_draft_keeps_its_evidence_rows(volunteer):
    client = signed_in(volunteer)
    data = deployment_post(action="draft", **evidence_rows(("cost", "new:1", "Rs 5 crore", "7")))
    client.post(NEW_DEPLOYMENT_URL, data)
    submission = Submission.objects.get()
    form = client.get(reverse("moderation:my-submission-edit", args=[submission.pk]))
    assert "Rs 5 crore" in form.content.decode()


def test_the_api_takes_evidence_and_names_what_is_wrong(volunteer):
    api = token_client(volunteer)
    body = deployment_body()
    body["evidence"] = [
        {"claim": "status", "source_url": "https://news.example.org/pune-anpr", "quote": "live"}
    ]
    response = api_submit(api, body)
    assert response.status_code == 201, response.content
    assert response.json()["evidence"][0]["claim"] == "status"

    body["evidence"] = [{"claim": "cost", "source_url": "https://elsewhere.example.org/x"}]
    response = api_submit(api, body)
    assert response.status_code == 400
    assert response.json() == {
        "evidence": [
            "item 1, source: Evidence can only point at a source this entry cites: "
            "give it as a source."
        ]
    }
    assert Submission.objects.count() == 1
    assert not Citation.objects.exists()
