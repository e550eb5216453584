"""An RTI request's whole life in a real Chromium, against the site served as `make run`
serves it (gunicorn with deploy/gunicorn.conf.py, in its own processes).

A volunteer files a request and a moderator approves it; the volunteer records the
reply with a PDF, writes the first appeal from the generated letter and records it;
a moderator publishes a redacted copy of the reply. At every step the overdue state
is read from every output (the list, its filter, /rti/overdue/, the request's page,
the API's item and its filter, the overdue feed) and must agree.
"""

import os
import subprocess

import pytest

from tests.factories import AgencyFactory
from tests.support import wait_for
from tests.support.browser import SCREENSHOTS
from tests.support.people import PASSWORD, person
from tests.support.servers import Gunicorn, database_url
from tests.support.services import others_disconnected
from tracker.models import RTIRequest
from tracker.rti.letters import Letter, letter_pdf

pytestmark = pytest.mark.browser

TITLE = "Locations and accuracy of Lucknow's AI cameras"


@pytest.fixture
def site(transactional_db, settings, tmp_path):
    """The site in gunicorn on the test database, with media in a temporary folder."""
    from django.conf import global_settings
    from django.core.cache import cache
    from django.db import connection

    from accounts.roles import Role

    cache.clear()
    # The server checks passwords with the site's own hashers, not the suite's fast one.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    settings.MEDIA_ROOT = str(tmp_path / "media")
    person("kiran", "Kiran", Role.VOLUNTEER, email="kiran@example.org")
    person("asha", "Asha", Role.MODERATOR, email="asha@example.org")
    AgencyFactory(
        name="Lucknow Police Commissionerate",
        state_id="IN-UP",
        level="city",
        pio_address="Police Lines, Lucknow 226001",
        appellate_authority="Joint Commissioner of Police (HQ)",
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        DATABASE_URL=database_url(connection.settings_dict),
        MEDIA_ROOT=settings.MEDIA_ROOT,
        API_THROTTLE_ANON="100000/min",
        RTI_LETTERS_PER_HOUR="1000",
    )
    with Gunicorn(env, workers=2) as server:
        yield server.url

    # The test database is flushed (or dropped) next: the server's connections must be gone.
    wait_for(others_disconnected, "the server's database connections to close")


def sign_in(browser, url, email):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20000)
    page.goto(url + "/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    return page


def approve_everything_pending(moderator, site):
    moderator.goto(site + "/moderation/")
    while moderator.locator("a[href*='/moderation/submissions/']").count():
        moderator.locator("a[href*='/moderation/submissions/']").first.click()
        moderator.check("input[name=decision][value=approve]")
        moderator.click("text=Record the decision")
        moderator.wait_for_selector("text=Approved")
        moderator.goto(site + "/moderation/")


def overdue_everywhere(reader, site, rti):
    """What each output says: is the request overdue (and its status where shown)."""
    answers = {}
    reader.goto(site + "/rti/")
    row = reader.locator(f"tr[data-rti='{rti.pk}']")
    answers["list"] = row.get_attribute("data-overdue") == "true"
    status = row.get_attribute("data-status")
    reader.goto(site + "/rti/?overdue=true")
    answers["list filter"] = reader.locator(f"tr[data-rti='{rti.pk}']").count() == 1
    reader.goto(site + "/rti/overdue/")
    answers["/rti/overdue/"] = reader.locator(f"tr[data-rti='{rti.pk}']").count() == 1
    reader.goto(site + f"/rti/{rti.pk}/")
    headline = reader.locator(".rti-status")
    answers["page"] = headline.get_attribute("data-overdue") == "true"
    assert headline.get_attribute("data-status") == status
    item = reader.request.get(site + f"/api/v1/rti-requests/{rti.pk}/").json()
    answers["api item"] = item["overdue"]
    assert item["status"] == status
    listed = reader.request.get(site + "/api/v1/rti-requests/?overdue=true").json()
    answers["api filter"] = rti.pk in [r["id"] for r in listed["results"]]
    feed = reader.request.get(site + "/feeds/rti/overdue/").text()
    answers["feed"] = f"/rti/{rti.pk}-" in feed
    values = set(answers.values())
    assert len(values) == 1, answers
    return values.pop(), status


def test_a_request_from_filing_to_a_published_redacted_reply(browser, site, tmp_path):
    reader_context = browser.new_context()
    reader = reader_context.new_page()
    reader.set_default_timeout(20000)

    # The volunteer files the request; before sending, the letter form opens prefilled.
    volunteer = sign_in(browser, site, "kiran@example.org")
    volunteer.goto(site + "/submit/rti_request/")
    volunteer.fill("#id_title", TITLE)
    volunteer.select_option("#id_authority", label="Lucknow Police Commissionerate")
    volunteer.fill("#id_filed_on", "2024-01-10")
    volunteer.select_option("#id_route", "online")
    volunteer.fill("#id_application_text", "Where are the cameras?")
    volunteer.locator(".add-question").nth(1).click()  # the library's "accuracy" question
    assert "accuracy" in volunteer.input_value("#id_application_text")
    with volunteer.context.expect_page() as letter_tab:
        volunteer.click("button[name=prefill]")
    letter = letter_tab.value
    letter.wait_for_load_state()
    assert "Where are the cameras?" in letter.input_value("#id_questions")
    letter.close()
    volunteer.click("button[value=submit]")
    volunteer.wait_for_selector("text=waiting for a moderator")

    moderator = sign_in(browser, site, "asha@example.org")
    approve_everything_pending(moderator, site)
    rti = RTIRequest.objects.get(title=TITLE)
    assert rti.owner.email == "kiran@example.org"
    # Received 2024-01-10 online: long past the PIO's 30 days, so overdue everywhere.
    assert overdue_everywhere(reader, site, rti) == (True, "deemed_refused")

    # The reply came late, with a PDF that shows the applicant's address.
    reply = tmp_path / "reply.pdf"
    reply.write_bytes(
        letter_pdf(
            Letter(
                kind="application",
                questions=[
                    "The hotspot list is exempt under section 8(1)(j).",
                    "Kiran, 12 Mall Road",
                ],
            )
        )
    )
    volunteer.goto(site + f"/rti/{rti.pk}/")
    volunteer.click("text=Record what happened")
    volunteer.select_option("#id_kind", "reply_received")
    volunteer.fill("#id_date", "2024-02-20")
    volunteer.select_option("#id_outcome", "refused")
    volunteer.fill("#id_exemption_sections", "8(1)(j)")
    volunteer.set_input_files("#id_documents", str(reply))
    volunteer.click("main button[type=submit]")
    volunteer.wait_for_selector("text=proposed, waiting for review")
    # Proposed only: still overdue everywhere until a moderator accepts it.
    assert overdue_everywhere(reader, site, rti) == (True, "deemed_refused")
    approve_everything_pending(moderator, site)
    assert overdue_everywhere(reader, site, rti) == (False, "refused")

    # The first appeal, written from the generated letter.
    volunteer.goto(site + f"/rti/{rti.pk}/letters/")
    assert volunteer.locator("#id_kind").input_value() == "first_appeal"
    volunteer.fill("#id_applicant_name", "Kiran")
    volunteer.fill("#id_applicant_address", "12 Mall Road, Lucknow")
    with volunteer.expect_download() as download:
        volunteer.click("text=Download the letter (PDF)")
    appeal = tmp_path / "appeal.pdf"
    download.value.save_as(appeal)
    text = subprocess.run(["pdftotext", str(appeal), "-"], capture_output=True).stdout.decode()
    text = " ".join(text.split())
    assert "First appeal under section 19(1)" in text
    assert "The Public Information Officer's reply of 20 February 2024" in text
    assert "Joint Commissioner of Police (HQ)" in text and "8(1)(j)" in text
    volunteer.goto(site + f"/rti/{rti.pk}/events/new/")
    volunteer.select_option("#id_kind", "first_appeal_filed")
    volunteer.fill("#id_date", "2024-03-15")
    volunteer.set_input_files("#id_documents", str(appeal))
    volunteer.click("main button[type=submit]")
    volunteer.wait_for_selector("text=proposed, waiting for review")
    approve_everything_pending(moderator, site)
    # The appellate authority's 30 days ended on 2024-04-14: overdue again, its decision.
    assert overdue_everywhere(reader, site, rti) == (True, "first_appeal_filed")
    reader.goto(site + "/rti/")
    assert "The first appellate authority's decision, since 15 Apr 2024" in reader.inner_text(
        f"tr[data-rti='{rti.pk}']"
    )

    # A moderator publishes the reply, as a copy without the applicant's address.
    redacted = tmp_path / "reply-redacted.pdf"
    redacted.write_bytes(
        letter_pdf(Letter(kind="application", questions=["The hotspot list is exempt."]))
    )
    moderator.goto(site + f"/rti/{rti.pk}/")
    moderator.click("text=Publish its documents")
    row = moderator.locator("tr[data-document]").filter(has_text="reply.pdf")
    row.locator("input[type=file]").set_input_files(str(redacted))
    row.locator("button", has_text="Publish").click()
    moderator.wait_for_selector("text=Published: reply.pdf")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    moderator.screenshot(path=SCREENSHOTS / "rti-documents.png", full_page=True)

    reader.goto(site + f"/rti/{rti.pk}/")
    reader.screenshot(path=SCREENSHOTS / "rti-request.png", full_page=True)
    # The public sees the redacted copy under a neutral name, never the original's.
    document = rti.documents.get(original_name="reply.pdf")
    link = reader.locator(".rti-documents a", has_text=f"rti-{rti.pk}-document-{document.pk}")
    served = reader.request.get(site + link.get_attribute("href"))
    assert served.ok and served.body() == redacted.read_bytes()
    assert "reply.pdf" not in reader.content()
    assert "appeal.pdf" not in reader.content()  # not published
    assert not reader_context.cookies()
    assert overdue_everywhere(reader, site, rti) == (True, "first_appeal_filed")
