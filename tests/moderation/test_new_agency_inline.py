"""A deployment whose agency is not on the site yet is proposed in one go: the agency goes
with it, is published with it or not at all, and may not take a name already on the site."""

import pytest
from django.urls import reverse

from moderation.models import Submission, SubmissionStatus
from moderation.services import SubmissionConflict, submission_decide
from tests.factories import AgencyFactory
from tests.support.pages import NEW_DEPLOYMENT_URL, approve, current_version, deployment_post
from tests.support.people import signed_in
from tracker.models import Agency, Deployment, Publication

pytestmark = pytest.mark.django_db

NEW_AGENCY = {
    "lead_agency": "",
    "new_agency_name": "Bhopal Smart City Development Corporation",
    "new_agency_short_name": "BSCDCL",
    "new_agency_kind": "municipal",
    "new_agency_level": "city",
    "new_agency_state": "IN-MP",
    "new_agency_city": "Bhopal",
    "new_agency_website": "https://smartcity.example.gov.in",
}


def propose(volunteer, **overrides):
    post = deployment_post(
        title="Bhopal integrated command centre", state="IN-MP", city="Bhopal", **NEW_AGENCY
    )
    post.update(overrides)
    return signed_in(volunteer).post(NEW_DEPLOYMENT_URL, post)


def test_the_agency_is_proposed_with_the_deployment_in_one_submission(volunteer):
    response = propose(volunteer)
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.data["lead_agency"] is None
    assert submission.data["new_agency"]["name"] == "Bhopal Smart City Development Corporation"
    assert not Agency.objects.filter(name__icontains="Bhopal Smart City").exists()


def test_approving_publishes_both_with_the_deployment_led_by_the_new_agency(volunteer, moderator):
    propose(volunteer)
    submission = Submission.objects.get()
    review = signed_in(moderator).get(reverse("moderation:review", args=[submission.pk]))
    page = review.content.decode()
    assert "The new agency proposed with it" in page and "BSCDCL" in page
    deployment = approve(submission, moderator).entity
    agency = Agency.objects.get(name="Bhopal Smart City Development Corporation")
    assert deployment.lead_agency == agency
    assert agency.publication == Publication.PUBLISHED and agency.state_id == "IN-MP"
    assert agency.kind == "municipal" and agency.website == "https://smartcity.example.gov.in"
    # The agency cites the deployment's sources too, and credits the volunteer.
    assert agency.citations.count() == 1
    assert agency.history.first().history_contributor == volunteer


def test_rejecting_the_deployment_rejects_the_agency_with_it(volunteer, moderator):
    propose(volunteer)
    submission = Submission.objects.get()
    submission_decide(
        submission_id=submission.pk,
        moderator=moderator,
        decision="reject",
        note="Not a real project.",
        reviewed_version=current_version(submission),
    )
    assert not Agency.objects.filter(name__icontains="Bhopal Smart City").exists()
    assert not Deployment.objects.filter(title__icontains="Bhopal").exists()


@pytest.mark.parametrize(
    ("existing", "typed"),
    [
        ({"name": "Bhopal Municipal Corporation"}, "bhopal municipal corporation"),
        ({"name": "BMC Bhopal", "aliases": ["Bhopal Municipal Corp."]}, "Bhopal Municipal Corp"),
        ({"name": "Bhopal Municipal Corporation", "short_name": "BMC"}, "BMC"),
    ],
)
def test_an_agency_already_on_the_site_by_name_or_other_name_is_refused(volunteer, existing, typed):
    AgencyFactory(**existing)
    response = propose(volunteer, new_agency_name=typed)
    errors = response.context["form"].errors["new_agency_name"]
    assert "is on the site already: choose it in the list above" in errors[0]
    assert Submission.objects.count() == 0


def test_choosing_an_agency_and_proposing_one_is_refused_and_so_is_neither(volunteer):
    agency = AgencyFactory(name="Bhopal Police")
    both = propose(volunteer, lead_agency=agency.pk)
    assert "not both" in both.context["form"].errors["new_agency_name"][0]
    neither = propose(volunteer, new_agency_name="")
    assert "propose it below" in neither.context["form"].errors["lead_agency"][0]
    nameless_kind = propose(volunteer, new_agency_kind="")
    assert nameless_kind.context["form"].errors["new_agency_kind"]
    assert Submission.objects.count() == 0


def test_an_agency_published_meanwhile_under_that_name_stops_the_approval(volunteer, moderator):
    propose(volunteer)
    submission = Submission.objects.get()
    AgencyFactory(name="Some corporation", aliases=["BSCDCL"])
    with pytest.raises(SubmissionConflict, match="ask the volunteer to choose it"):
        approve(submission, moderator)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PENDING
    assert not Deployment.objects.filter(title__icontains="Bhopal").exists()


def test_a_standalone_agency_proposal_is_checked_by_name_and_other_names(volunteer):
    AgencyFactory(name="Telangana State Police", aliases=["TS Police"])
    post = {
        "name": "Telangana Police",
        "aliases": "TS police\nTelangana State Police Department",
        "kind": "police",
        "source_url_1": "https://news.example.org/ts",
        "action": "submit",
    }
    response = signed_in(volunteer).post(reverse("moderation:submit-new", args=["agency"]), post)
    assert "is on the site already" in response.context["form"].errors["name"][0]
    post["aliases"] = "Telangana State Police Department"
    response = signed_in(volunteer).post(reverse("moderation:submit-new", args=["agency"]), post)
    assert response.status_code == 302
    assert Submission.objects.get().data["aliases"] == ["Telangana State Police Department"]
