"""Volunteers' forms: valid proposals reach the queue; bad input is a clear error."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from moderation.models import Attachment, Submission, SubmissionStatus
from tests.factories import AgencyFactory, DeploymentFactory
from tests.support.pages import NEW_DEPLOYMENT_URL, as_browser_sends, deployment_post
from tests.support.people import signed_in
from tracker.models import Deployment, Publication
from tracker.publication import entity_withdraw

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def errors_of(response):
    """Every error message on the page's form."""
    form = response.context["form"]
    return [message for messages in form.errors.values() for message in messages]


def test_a_valid_deployment_goes_to_the_queue(volunteer):
    response = signed_in(volunteer).post(NEW_DEPLOYMENT_URL, deployment_post())
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("moderation:my-submission", args=[submission.pk])
    assert submission.status == SubmissionStatus.PENDING
    assert submission.data["title"] == "Lucknow station face recognition"
    assert submission.data["location"] == [80.92, 26.832]
    assert submission.sources == [
        {
            "url": "https://news.example.org/lucknow-station-frt",
            "title": "Station gets face recognition",
        }
    ]
    assert not Deployment.objects.filter(title="Lucknow station face recognition").exists()


def test_the_form_works_without_javascript_and_offers_the_map_picker(volunteer):
    page = signed_in(volunteer).get(NEW_DEPLOYMENT_URL).content.decode()
    assert 'name="latitude"' in page and 'name="longitude"' in page
    assert 'class="point-picker"' in page and "point_picker.js" in page
    assert "<script>" not in page  # the strict CSP allows no inline script


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"source_url_1": "", "source_title_1": ""}, "source_url_1", "at least one source"),
        ({"latitude": "95", "longitude": "80"}, "latitude", "less than or equal to 90"),
        ({"latitude": "26", "longitude": "-181"}, "longitude", "greater than or equal to -180"),
        ({"latitude": "26", "longitude": ""}, "longitude", "both latitude and longitude"),
        ({"source_url_1": "javascript:alert(1)"}, "source_url_1", "valid URL"),
        ({"title": ""}, "title", "required"),
        ({"camera_count": "-3"}, "camera_count", "greater than or equal to 0"),
    ],
)
def test_bad_input_is_a_clear_error_and_nothing_is_stored(volunteer, overrides, field, message):
    response = signed_in(volunteer).post(NEW_DEPLOYMENT_URL, deployment_post(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Submission.objects.count() == 0


def test_an_eleven_megabyte_upload_is_refused(volunteer):
    big = SimpleUploadedFile("reply.pdf", PDF + b"0" * (11 * 1024 * 1024), "application/pdf")
    response = signed_in(volunteer).post(NEW_DEPLOYMENT_URL, deployment_post(attachments=big))
    assert any("files may be at most 10.0\xa0MB" in e for e in errors_of(response))
    assert Submission.objects.count() == 0 and Attachment.objects.count() == 0


def test_an_html_file_renamed_pdf_is_refused(volunteer):
    fake = SimpleUploadedFile(
        "reply.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"
    )
    response = signed_in(volunteer).post(NEW_DEPLOYMENT_URL, deployment_post(attachments=fake))
    assert any("not a PDF, PNG or JPEG" in e for e in errors_of(response))
    assert Submission.objects.count() == 0 and Attachment.objects.count() == 0


def test_a_pdf_attachment_is_stored_under_a_random_name(volunteer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("my RTI reply.pdf", PDF, "text/plain")
    signed_in(volunteer).post(NEW_DEPLOYMENT_URL, deployment_post(attachments=upload))
    attachment = Attachment.objects.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == "my RTI reply.pdf"
    assert "RTI" not in attachment.file.name and attachment.file.name.endswith(".pdf")
    assert (tmp_path / attachment.file.name).read_bytes() == PDF


def test_the_honeypot_stores_nothing(volunteer):
    response = signed_in(volunteer).post(NEW_DEPLOYMENT_URL, deployment_post(fax_number="spam"))
    assert response.status_code == 200
    assert Submission.objects.count() == 0


def test_a_draft_keeps_half_written_input_and_can_be_finished(volunteer):
    client = signed_in(volunteer)
    half = deployment_post(action="draft", title="Half written", lead_agency="", source_url_1="")
    response = client.post(NEW_DEPLOYMENT_URL, half)
    draft = Submission.objects.get()
    assert draft.status == SubmissionStatus.DRAFT
    assert response["Location"] == reverse("moderation:my-submission", args=[draft.pk])
    edit_url = reverse("moderation:my-submission-edit", args=[draft.pk])
    assert 'value="Half written"' in client.get(edit_url).content.decode()
    client.post(edit_url, deployment_post(title="Finished"))
    draft.refresh_from_db()
    assert draft.status == SubmissionStatus.PENDING and draft.data["title"] == "Finished"


def test_a_correction_opens_with_current_values_and_stores_only_changes(volunteer):
    deployment = DeploymentFactory(title="Old title", camera_count=10)
    url = reverse("moderation:submit-correction", args=["deployment", deployment.pk])
    client = signed_in(volunteer)
    page = client.get(url).content.decode()
    assert 'value="Old title"' in page and 'value="10"' in page
    form = client.get(url).context["form"]
    post = as_browser_sends(form)
    post.update(
        camera_count="25",
        source_url_1="https://news.example.org/more-cameras",
        why="The police said 25 cameras in March.",
    )
    post["action"] = "submit"
    response = client.post(url, post)
    assert response.status_code == 302, errors_of(response)
    submission = Submission.objects.get()
    assert submission.kind == "edit" and submission.target_id == deployment.pk
    assert submission.data == {"camera_count": 25}
    assert submission.why == "The police said 25 cameras in March."
    assert str(submission.title) == "Correction: Old title"


def test_a_correction_to_an_entry_withdrawn_meanwhile_is_refused(volunteer, moderator):
    deployment = DeploymentFactory(title="Soon withdrawn")
    url = reverse("moderation:submit-correction", args=["deployment", deployment.pk])
    client = signed_in(volunteer)
    form = client.get(url).context["form"]
    post = as_browser_sends(form)
    post.update(title="Corrected", source_url_1="https://news.example.org/x", action="submit")
    post["why"] = "It is misnamed."
    entity_withdraw(entity=deployment, reason="Duplicate entry", actor=moderator)
    response = client.post(url, post)
    assert response.status_code == 404  # the entry is no longer public: nothing to correct
    assert Submission.objects.count() == 0


def test_a_correction_saved_before_withdrawal_cannot_be_sent_after(volunteer, moderator):
    deployment = DeploymentFactory(title="Soon withdrawn")
    url = reverse("moderation:submit-correction", args=["deployment", deployment.pk])
    client = signed_in(volunteer)
    form = client.get(url).context["form"]
    post = as_browser_sends(form)
    post.update(title="Corrected", source_url_1="https://news.example.org/x", action="draft")
    post["why"] = "It is misnamed."
    client.post(url, post)
    draft = Submission.objects.get()
    entity_withdraw(entity=deployment, reason="Duplicate entry", actor=moderator)
    post["action"] = "submit"
    response = client.post(reverse("moderation:my-submission-edit", args=[draft.pk]), post)
    assert "withdrawn meanwhile" in " ".join(errors_of(response))
    draft.refresh_from_db()
    assert draft.status == SubmissionStatus.DRAFT


def test_an_rti_request_needs_its_application_text_not_a_source(volunteer):
    authority = AgencyFactory(name="Home Department")
    url = reverse("moderation:submit-new", args=["rti_request"])
    client = signed_in(volunteer)
    base = {"title": "Cameras bought in 2024", "authority": authority.pk, "action": "submit"}
    response = client.post(url, base)
    assert "required" in " ".join(response.context["form"].errors["application_text"])
    client.post(url, {**base, "application_text": "Please provide the tender documents."})
    assert Submission.objects.get().sources == []


def test_a_hotspot_needs_a_point_and_may_have_an_area(volunteer):
    url = reverse("moderation:submit-new", args=["hotspot"])
    client = signed_in(volunteer)
    base = {
        "name": "Aminabad market",
        "kind": "market",
        "state": "IN-UP",
        "city": "Lucknow",
        "source_url_1": "https://news.example.org/aminabad",
        "action": "submit",
    }
    response = client.post(url, base)
    assert "Pick the place" in " ".join(response.context["form"].errors["latitude"])
    area = (
        '{"type": "Polygon", "coordinates": [[[80.92, 26.84], [80.93, 26.84], '
        "[80.93, 26.85], [80.92, 26.84]]]}"
    )
    client.post(url, {**base, "latitude": "26.845", "longitude": "80.925", "area": area})
    assert Submission.objects.get().data["area"].startswith('{ "type": "MultiPolygon"')


def test_my_submissions_show_status_and_can_be_withdrawn(volunteer):
    client = signed_in(volunteer)
    client.post(NEW_DEPLOYMENT_URL, deployment_post())
    submission = Submission.objects.get()
    page = client.get(reverse("moderation:my-submissions")).content.decode()
    assert "Lucknow station face recognition" in page and "Pending" in page
    client.post(reverse("moderation:my-submission-withdraw", args=[submission.pk]))
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.WITHDRAWN


def test_submissions_are_throttled_per_account(volunteer, settings):
    settings.SUBMISSION_RATE_ACCOUNT = "2/3600"
    client = signed_in(volunteer)
    for n in range(3):
        response = client.post(NEW_DEPLOYMENT_URL, deployment_post(title=f"Entry {n}"))
    assert "try again in an hour" in " ".join(errors_of(response))
    assert Submission.objects.count() == 2


def test_submissions_are_throttled_per_client(volunteer, other_volunteer, settings):
    settings.SUBMISSION_RATE_CLIENT = "2/3600"
    signed_in(volunteer).post(NEW_DEPLOYMENT_URL, deployment_post(title="One"))
    signed_in(other_volunteer).post(
        NEW_DEPLOYMENT_URL, deployment_post(title="Two", latitude="25.3", longitude="83.0")
    )
    response = signed_in(other_volunteer).post(NEW_DEPLOYMENT_URL, deployment_post(title="3"))
    assert "try again in an hour" in " ".join(errors_of(response))
    assert Submission.objects.count() == 2


def test_a_withdrawn_or_draft_entry_is_never_public(volunteer):
    signed_in(volunteer).post(NEW_DEPLOYMENT_URL, deployment_post())
    assert Deployment.objects.filter(publication=Publication.PUBLISHED).count() == 0


def test_a_submission_keeps_at_most_five_attachments(volunteer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = signed_in(volunteer)

    def pdfs(n):
        return [SimpleUploadedFile(f"r{i}.pdf", PDF, "application/pdf") for i in range(n)]

    client.post(NEW_DEPLOYMENT_URL, deployment_post(action="draft", attachments=pdfs(4)))
    draft = Submission.objects.get()
    edit_url = reverse("moderation:my-submission-edit", args=[draft.pk])
    response = client.post(edit_url, deployment_post(action="draft", attachments=pdfs(2)))
    assert "at most 5 attachments" in " ".join(errors_of(response))
    assert Attachment.objects.count() == 4
    response = client.post(NEW_DEPLOYMENT_URL, deployment_post(attachments=pdfs(6)))
    assert "Attach at most 5 files." in " ".join(errors_of(response))
