"""Letters as PDF in English and Hindi, read back with poppler's pdftotext: the application,
the appeals prefilled from a request's timeline, the state's fee rules, marked blanks."""

import re
import subprocess
from datetime import date

import pytest
from django.core.cache import cache

from tests.factories import AgencyFactory, RTIRequestFactory
from tracker.models import Publication
from tracker.rti.fees import CENTRAL, FEE_RULES, fee_rules_for
from tracker.rti.letters import Letter, letter_pdf
from tracker.rti.lifecycle import rti_event_record
from tracker.rti.questions import QUESTIONS

D = date.fromisoformat


def text_of(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())


def test_pdftotext_gives_back_the_devanagari_of_a_hindi_letter(tmp_path):
    letter = Letter(
        kind="application",
        language="hi",
        authority_name="पुलिस आयुक्त कार्यालय, लखनऊ",
        applicant_name="सुनीता वर्मा",
        applicant_address="12, हज़रतगंज, लखनऊ",
        questions=[q.hi for q in QUESTIONS[:3]],
        rules=FEE_RULES["IN-UP"],
    )
    text = text_of(letter_pdf(letter), tmp_path)
    for words in [
        "सेवा में",
        "लोक सूचना अधिकारी",
        "पुलिस आयुक्त कार्यालय, लखनऊ",
        "सूचना का अधिकार अधिनियम, 2005 की धारा 6(1) के अंतर्गत आवेदन",
        "मैं भारत का नागरिक हूँ।",
        QUESTIONS[0].hi,
        QUESTIONS[2].hi,
        "सुनीता वर्मा",
        "Uttar Pradesh Right to Information Rules, 2015",
        "[भरें: लोक सूचना अधिकारी के कार्यालय का पता",
    ]:
        assert " ".join(words.split()) in text, words


def test_an_english_application_with_the_fee_and_its_payment_modes(tmp_path):
    letter = Letter(
        kind="application",
        authority_name="Greater Chennai Corporation",
        pio_address="Ripon Buildings, Chennai 600003",
        applicant_name="K. Arun",
        applicant_address="4 Beach Road, Chennai",
        questions=["Where are the cameras?", "How accurate are they?"],
        rules=FEE_RULES["IN-TN"],
    )
    text = text_of(letter_pdf(letter), tmp_path)
    assert "Ripon Buildings, Chennai 600003" in text
    assert "1. Where are the cameras?" in text and "2. How accurate are they?" in text
    assert "₹10 under the Tamil Nadu Right to Information (Fees) Rules, 2005 (rule 3)" in text
    assert "a court fee stamp fixed on the application" in text
    bpl = Letter(kind="application", below_poverty_line=True, rules=CENTRAL)
    bpl_text = text_of(letter_pdf(bpl), tmp_path)
    assert "no fee is payable (section 7(5))" in bpl_text and "₹10" not in bpl_text
    # Nothing known: every gap is marked, never guessed.
    assert "[To fill in: your name]" in bpl_text
    assert "[To fill in: the name of the public authority]" in bpl_text


def test_every_fee_rule_cites_its_rule_and_states_fall_back_to_central():
    assert {"central", "IN-UP", "IN-MH", "IN-DL", "IN-KA", "IN-TN"} <= set(FEE_RULES)
    for rules in FEE_RULES.values():
        assert rules.name and rules.application_rule and rules.copy_rule
        assert rules.payment_modes and rules.bpl_section == "7(5)"
    assert FEE_RULES["IN-MH"].first_appeal_fee == 20
    central_agency = AgencyFactory.build(level="central", state_id="IN-UP")
    up_police = AgencyFactory.build(level="state", state_id="IN-UP")
    goa = AgencyFactory.build(level="state", state_id="IN-GA")
    assert fee_rules_for(central_agency) is CENTRAL
    assert fee_rules_for(up_police) is FEE_RULES["IN-UP"]
    assert fee_rules_for(goa) is CENTRAL


@pytest.fixture
def appealable(db):
    cache.clear()
    police = AgencyFactory(
        name="Commissionerate of Police, Mumbai",
        level="city",
        state_id="IN-MH",
        pio_address="Crawford Market, Mumbai 400001",
        appellate_authority="Deputy Commissioner of Police (HQ)",
    )
    rti = RTIRequestFactory(
        title="Face recognition at railway stations",
        authority=police,
        reference_number="MUMPOL/R/2024/00017",
        route="online",
        filed_on=D("2024-01-10"),
        application_text="Where are the cameras?\nWho sees the data?",
    )
    return rti


def test_a_first_appeal_from_the_timeline_of_a_request_with_no_reply(client, appealable, tmp_path):
    page = client.get(f"/rti/{appealable.pk}/letters/")
    assert page.status_code == 200 and 'value="first_appeal" selected' in page.content.decode()
    assert not page.cookies  # a public page
    answer = client.post(
        f"/rti/{appealable.pk}/letters/",
        {"kind": "first_appeal", "language": "en", "applicant_name": "Farida S."},
    )
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    text = text_of(answer.content, tmp_path)
    for words in [
        "The First Appellate Authority Deputy Commissioner of Police (HQ)",
        "First appeal under section 19(1)",
        "Reference MUMPOL/R/2024/00017. Filed on 10 January 2024.",
        "No decision was received by 9 February 2024",
        "deemed refused from 10 February 2024 (section 7(2))",
        "ending on 10 March 2024",
        "This appeal is late",
        "free of charge, as section 7(6) requires",
        "The appeal fee of ₹20 is paid",
        "Where are the cameras?",
        "Farida S.",
    ]:
        assert words in text, words


def test_a_second_appeal_after_the_first_was_decided(client, appealable, tmp_path):
    rti_event_record(
        rti_request=appealable,
        kind="reply_received",
        day=D("2024-02-01"),
        outcome="refused",
        exemption_sections="8(1)(g)",
    )
    rti_event_record(rti_request=appealable, kind="first_appeal_filed", day=D("2024-02-20"))
    rti_event_record(rti_request=appealable, kind="first_appeal_decided", day=D("2024-03-10"))
    assert (
        'value="second_appeal" selected'
        in client.get(f"/rti/{appealable.pk}/letters/").content.decode()
    )
    answer = client.post(
        f"/rti/{appealable.pk}/letters/",
        {"kind": "second_appeal", "language": "hi", "grounds": "सुरक्षा का कारण नहीं बनता।"},
    )
    text = text_of(answer.content, tmp_path)
    assert "महाराष्ट्र राज्य सूचना आयोग" in text
    assert "सूचना का अधिकार अधिनियम, 2005 की धारा 19(3) के अंतर्गत द्वितीय अपील" in text
    assert "10 मार्च 2024 को निर्णय हुआ।" in text
    assert "सुरक्षा का कारण नहीं बनता।" in text


def test_a_draft_authority_without_a_pio_address_leaves_marked_blanks(client, db, tmp_path):
    """A request whose authority is still a draft: the letter names nothing the public may
    not see, and leaves the authority and the PIO's address as blanks to fill in."""
    draft = AgencyFactory(
        name="Unreviewed Surveillance Cell", state_id="IN-DL", publication=Publication.DRAFT
    )
    rti = RTIRequestFactory(authority=draft, route="online", filed_on=D("2024-01-10"))
    page = client.get(f"/rti/{rti.pk}/letters/").content.decode()
    assert "Unreviewed Surveillance Cell" not in page
    answer = client.post(f"/rti/{rti.pk}/letters/", {"kind": "first_appeal", "language": "en"})
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    text = text_of(answer.content, tmp_path)
    assert "[To fill in: the name of the public authority]" in text
    assert "[To fill in: the office address of the Public Information Officer" in text
    assert "Unreviewed Surveillance Cell" not in text
    assert "Filed on 10 January 2024." in text


def test_letters_from_the_calculator_and_the_new_request_form(client, appealable):
    calculator = client.get("/rti/calculator/?received_on=2024-01-10").content.decode()
    links = re.findall(r'href="(/rti/letters/\?[^"]+)"', calculator)
    assert links and all("received_on=2024-01-10" in link for link in links)
    prefilled = client.get(links[-1].replace("&amp;", "&")).content.decode()
    assert 'value="2024-01-10"' in prefilled and 'value="first_appeal" selected' in prefilled
    # The new-request form posts its fields here before anything is submitted.
    from_form = client.post(
        "/rti/letters/",
        {
            "prefill": "1",
            "title": "Cameras",
            "authority": appealable.authority_id,
            "application_text": "Where are the cameras?",
            "csrfmiddlewaretoken": "ignored",
        },
    ).content.decode()
    assert "Where are the cameras?</textarea>" in from_form
    assert f'value="{appealable.authority_id}" selected' in from_form


def test_bad_letter_input_is_a_form_error_and_letters_are_rationed(client, settings, db):
    cache.clear()
    bad = client.post(
        "/rti/letters/",
        {
            "kind": "first_appeal",
            "language": "xx",
            "received_on": "2024-02-10",
            "replied_on": "2024-01-01",
            "questions": "\n".join(f"question {n}" for n in range(40)),
        },
    )
    assert bad.status_code == 400
    body = bad.content.decode()
    for field in ("language", "replied_on", "questions"):
        assert f'id="error-{field}"' in body, field
    settings.RTI_LETTERS_PER_HOUR = 1
    cache.clear()
    assert (
        client.post("/rti/letters/", {"kind": "application", "language": "en"}).status_code == 200
    )
    again = client.post("/rti/letters/", {"kind": "application", "language": "en"})
    assert again.status_code == 429 and "Too many letters" in again.content.decode()


def test_a_letter_fetches_nothing(tmp_path):
    """Whatever a writer types, the PDF asks no server for anything."""
    letter = Letter(
        kind="application",
        questions=['<img src="http://127.0.0.1:9/x.png"> <link rel="stylesheet" href="x">'],
    )
    text = text_of(letter_pdf(letter), tmp_path)
    assert '<img src="http://127.0.0.1:9/x.png">' in text  # escaped, shown as text
