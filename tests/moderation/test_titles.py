"""Every submission has a human title, the same in My submissions, the queue, the review page,
e-mails and the API: the proposed title or name, or "Correction: <entry>"; never "(untitled)"."""

import json

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from moderation.models import Submission
from tests.factories import DeploymentFactory
from tests.support.pages import NEW_DEPLOYMENT_URL, approve, as_browser_sends, deployment_post
from tests.support.people import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_submissions(volunteer):
    """A new deployment, a correction, and a draft with no title yet."""
    client = signed_in(volunteer)
    client.post(NEW_DEPLOYMENT_URL, deployment_post(title="Pune station cameras"))
    deployment = DeploymentFactory(title="Metro face boarding", camera_count=3)
    url = reverse("moderation:submit-correction", args=["deployment", deployment.pk])
    post = as_browser_sends(client.get(url).context["form"])
    post.update(camera_count="30", why="The tender says 30.", action="submit")
    post["source_url_1"] = "https://news.example.org/metro"
    client.post(url, post)
    client.post(
        NEW_DEPLOYMENT_URL, {"title": "", "action": "draft", "source_url_1": "", "fax_number": ""}
    )
    return client


TITLES = ["Pune station cameras", "Correction: Metro face boarding"]
UNTITLED = "A new deployment, not titled yet"


def test_titles_in_my_submissions_and_each_page(three_submissions):
    page = three_submissions.get(reverse("moderation:my-submissions")).content.decode()
    for title in [*TITLES, UNTITLED]:
        assert title in page
    assert "(untitled)" not in page
    for submission in Submission.objects.all():
        mine = three_submissions.get(reverse("moderation:my-submission", args=[submission.pk]))
        assert f"<h1>{submission.title}</h1>" in mine.content.decode()


def test_titles_in_the_queue_and_the_review_page(three_submissions, moderator):
    client = signed_in(moderator)
    queue = client.get(reverse("moderation:queue")).content.decode()
    for title in TITLES:
        assert title in queue
    correction = Submission.objects.get(kind="edit")
    review = client.get(reverse("moderation:review", args=[correction.pk])).content.decode()
    assert "<h1>Correction: Metro face boarding</h1>" in review
    assert "<title>Review: Correction: Metro face boarding" in review
    assert "The tender says 30." in review  # the volunteer's why, for the moderator


def test_titles_in_the_api(three_submissions, volunteer):
    token = Token.objects.create(user=volunteer).key
    listed = signed_in(None).get("/api/v1/submissions/", HTTP_AUTHORIZATION=f"Token {token}")
    assert sorted(row["title"] for row in listed.json()) == sorted([*TITLES, UNTITLED])


def test_titles_in_the_decision_e_mail(three_submissions, moderator, mail_delivered):
    new = Submission.objects.get(entry_name="Pune station cameras")
    with mail_delivered() as outbox:
        entity = approve(new, moderator, base_url="https://tracker.example").entity
    (message,) = outbox
    assert "Pune station cameras" in message.subject
    assert "“Pune station cameras”" in message.body
    # The e-mail links to the live entry.
    assert f"https://tracker.example/deployments/{entity.pk}-" in message.body


def test_a_correction_keeps_the_entrys_name_as_it_was_when_sent(volunteer):
    deployment = DeploymentFactory(title="Old name")
    client = signed_in(volunteer)
    url = reverse("moderation:submit-correction", args=["deployment", deployment.pk])
    post = as_browser_sends(client.get(url).context["form"])
    post.update(title="New name", why="Renamed in March.", action="submit")
    post["source_url_1"] = "https://news.example.org/renamed"
    client.post(url, post)
    assert str(Submission.objects.get().title) == "Correction: Old name"
    body = json.dumps([str(s.title) for s in Submission.objects.all()])
    assert "New name" not in body
