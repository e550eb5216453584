"""One application to many authorities: a linked request per authority, the campaign's page
with each authority's status and the response figures, letters one by one or as a zip."""

import io
import secrets
import subprocess
import zipfile
from datetime import date

import pytest

from tests.factories import AgencyFactory
from tests.support.data import clock_at
from tests.support.people import signed_in
from tracker.models import Agency, Publication, RTICampaign, RTIRequest
from tracker.rti.campaigns import MAX_AUTHORITIES, rti_campaign_letters_zip
from tracker.rti.lifecycle import rti_event_record

pytestmark = pytest.mark.django_db
D = date.fromisoformat


@pytest.fixture
def authorities():
    up = [
        AgencyFactory(name=f"UP District Police {n}", state_id="IN-UP", level="district")
        for n in range(3)
    ]
    AgencyFactory(name="UP Draft Office", state_id="IN-UP", publication=Publication.DRAFT)
    AgencyFactory(name="Mumbai Police", state_id="IN-MH", level="city")
    return up


def create(client, **fields):
    return client.post(
        "/moderation/rti/campaigns/new/",
        {
            "title": "Face recognition in UP districts",
            "application_text": "Where are the cameras?\nWho can see the data?",
            **fields,
        },
    )


def test_a_moderator_sends_one_application_to_a_states_authorities(authorities, moderator):
    response = create(signed_in(moderator), state="IN-UP")
    campaign = RTICampaign.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        f"/rti/campaigns/{campaign.pk}-{campaign.slug}/"
    )
    requests = RTIRequest.objects.filter(campaign=campaign).order_by("authority__name")
    assert [r.authority.name for r in requests] == [a.name for a in authorities]
    assert all(r.is_published and r.owner == moderator for r in requests)
    assert requests[0].application_text == "Where are the cameras?\nWho can see the data?"
    page = signed_in(None).get(response["Location"])
    assert page.status_code == 200 and not page.cookies
    body = page.content.decode()
    assert "UP Draft Office" not in body and "Mumbai Police" not in body
    assert body.count('data-rti="') == 3


def test_by_hand_and_by_filters_together(authorities, moderator):
    mumbai = Agency.objects.get(name="Mumbai Police")
    create(signed_in(moderator), level="city", authorities=[authorities[0].pk])
    chosen = RTIRequest.objects.values_list("authority__name", flat=True)
    assert sorted(chosen) == sorted([mumbai.name, authorities[0].name])


def test_no_authority_or_too_many_is_a_form_error_and_nothing_is_stored(moderator, volunteer):
    empty = create(signed_in(moderator), state="IN-KL")
    assert "authorities" in empty.context["form"].errors
    Agency.objects.bulk_create(
        [
            Agency(
                name=f"Office {n}",
                slug=f"office-{n}",
                state_id="IN-TN",
                publication=Publication.PUBLISHED,
            )
            for n in range(MAX_AUTHORITIES + 1)
        ]
    )
    too_many = create(signed_in(moderator), state="IN-TN")
    assert "at most 500" in str(too_many.context["form"].errors["authorities"])
    assert not RTICampaign.objects.exists() and not RTIRequest.objects.exists()
    assert create(signed_in(volunteer), state="IN-TN").status_code == 403


def test_the_campaign_page_reports_each_answer_and_the_figures(authorities, moderator, client):
    create(signed_in(moderator), state="IN-UP")
    campaign = RTICampaign.objects.get()
    RTIRequest.objects.filter(campaign=campaign).update(route="online")
    in_time, late, silent = RTIRequest.objects.filter(campaign=campaign).order_by("authority__name")
    for rti in (in_time, late, silent):
        rti_event_record(rti_request=rti, kind="filed", day=D("2024-01-10"), today=D("2024-06-01"))
    for rti, day in ((in_time, "2024-01-30"), (late, "2024-03-10")):
        rti_event_record(
            rti_request=RTIRequest.objects.get(pk=rti.pk),
            kind="reply_received",
            day=D(day),
            outcome="granted",
            today=D("2024-06-01"),
        )
    with clock_at(D("2024-06-01")):
        page = client.get(f"/rti/campaigns/{campaign.pk}/", follow=True).content.decode()
    for figure, value in [
        ("requests_due", 3),
        ("answered_in_time", 1),
        ("answered_late", 1),
        ("deemed_refused", 1),
        ("median_days_to_reply", "40.0"),  # 20 and 60 days
    ]:
        assert f'data-figure="{figure}">{value}<' in page, figure
    assert f'data-rti="{silent.pk}" data-status="deemed_refused" data-overdue="true"' in page


def test_letters_one_by_one_and_as_a_zip(authorities, moderator, client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    create(signed_in(moderator), state="IN-UP")
    campaign = RTICampaign.objects.get()
    first = RTIRequest.objects.filter(campaign=campaign).order_by("authority__name").first()
    single = client.post(f"/rti/{first.pk}/letters/", {"kind": "application", "language": "en"})
    assert single["Content-Type"] == "application/pdf"

    asked = client.post(
        f"/rti/campaigns/{campaign.pk}/letters/",
        {"kind": "application", "language": "hi", "applicant_name": "Neha"},
    )
    assert asked.status_code == 302
    waiting = client.get(asked["Location"])
    assert waiting.status_code == 200 and 'http-equiv="refresh"' in waiting.content.decode()

    token = asked["Location"].rstrip("/").rsplit("/", 1)[-1]
    count = rti_campaign_letters_zip(
        campaign_id=campaign.pk,
        token=token,
        letter={"language": "hi", "applicant_name": "Neha"},
    )
    assert count == 3
    ready = client.get(asked["Location"])
    assert "Download the zip of letters" in ready.content.decode()
    download = client.get(asked["Location"] + "?download=1")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = archive.namelist()
    assert len(names) == 3 and names[0].startswith("001-up-district-police-0")
    pdf = tmp_path / "one.pdf"
    pdf.write_bytes(archive.read(names[0]))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True).stdout.decode()
    assert "UP District Police 0" in text and "Neha" in text and "लोक सूचना अधिकारी" in text
    # Downloaded once: gone.
    again = client.get(asked["Location"] + "?download=1")
    assert "Download the zip of letters" not in again.content.decode()
    assert (
        client.get(f"/rti/campaigns/{campaign.pk}/letters/{secrets.token_hex(3)}/").status_code
        == 404
    )
