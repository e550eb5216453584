"""Building valid proposals for the moderation tests."""

from django.urls import reverse

from tests.factories import AgencyFactory


def deployment_post(agency=None, **overrides):
    """POST data for a valid new-deployment form."""
    agency = agency or AgencyFactory(name="Lucknow Police")
    data = {
        "title": "Lucknow station face recognition",
        "lead_agency": agency.pk,
        "technology": "facial_recognition",
        "purpose_class": "surveillance",
        "status": "in_use",
        "state": "IN-UP",
        "city": "Lucknow",
        "district": "",
        "latitude": "26.8320",
        "longitude": "80.9200",
        "location_precision": "locality",
        "camera_count": "40",
        "cost_inr": "",
        "announced_on": "",
        "summary": "Cameras at the railway station.",
        "source_url_1": "https://news.example.org/lucknow-station-frt",
        "source_title_1": "Station gets face recognition",
        "action": "submit",
        "website": "",
    }
    data.update(overrides)
    return data


NEW_DEPLOYMENT_URL = reverse("moderation:submit-new", args=["deployment"])


def current_version(submission):
    """The version a moderator's review page of ``submission`` shows now."""
    from moderation.entities import entity_model
    from moderation.models import Submission, SubmissionKind
    from moderation.services import review_version

    submission = Submission.objects.get(pk=submission.pk)
    entity = None
    if submission.kind != SubmissionKind.NEW:
        entity = (
            entity_model(submission.entity_type).objects.filter(pk=submission.target_id).first()
        )
    return review_version(submission, entity)


def decision_post(submission, decision, note=""):
    """POST data of the review page's decision form, on the version stored now."""
    return {"decision": decision, "note": note, "reviewed_version": current_version(submission)}


def approve(submission, moderator, note=""):
    """A moderator's approval of the version stored now (the service, as the page calls it)."""
    from moderation.services import submission_decide

    return submission_decide(
        submission_id=submission.pk,
        moderator=moderator,
        decision="approve",
        note=note,
        reviewed_version=current_version(submission),
    )
