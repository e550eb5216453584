"""The letters of an RTI request, as PDF in English or Hindi: the application (s.6(1)), the
first appeal (s.19(1)), and the second appeal (s.19(3)) or complaint (s.18) to the
Information Commission.

A letter is composed from a ``Letter`` (what the writer typed, or what a request's
timeline fixes) and the fee rules of ``fees.py``; its words are the site's
translations, so a Hindi letter is the same template under ``hi``. WeasyPrint
lays it out with Debian's Pango and the Noto fonts (Devanagari shaped by
HarfBuzz), and is given a URL fetcher that fetches nothing. The applicant's
name and address are used for the letter only: nothing here is stored. A blank
the writer must fill in (the PIO's address of an authority the site does not
know) is printed as a marked gap, never guessed.

WeasyPrint writes one piece of text per glyph in the PDF's ToUnicode map, which
cannot describe Devanagari: a vowel sign drawn before its consonant, a conjunct
drawn as one glyph, the same glyph in two clusters. Each line of text is
therefore also wrapped in an ``/ActualText`` span holding its exact characters
(PDF 1.7, 14.9.4), which copy-and-paste, screen readers and ``pdftotext`` read
instead of the glyphs: a Hindi letter gives back its words as they were typed.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.template.loader import render_to_string
from django.utils import translation

from ..clock import rti_today
from ..models import RTIOutcome
from .fees import CENTRAL, FeeRules, fee_rules_for, payment_modes_text
from .lifecycle import rti_request_schedule

KINDS = ("application", "first_appeal", "second_appeal", "complaint")
LANGUAGES = ("en", "hi")
MAX_QUESTIONS = 30


class LetterRefused(Exception):
    """WeasyPrint was asked for something outside the letter (a URL): never fetched."""


def _no_fetch(url, *args, **kwargs):
    raise LetterRefused(f"letters fetch nothing: {url[:80]}")


@dataclass
class Letter:
    kind: str
    language: str = "en"
    authority_name: str = ""
    pio_address: str = ""
    appellate_authority: str = ""
    applicant_name: str = ""
    applicant_address: str = ""
    questions: list = field(default_factory=list)
    below_poverty_line: bool = False
    rules: FeeRules = CENTRAL
    reference_number: str = ""
    filed_on: date | None = None
    received_on: date | None = None
    replied_on: date | None = None
    outcome: str = ""
    exemption_sections: str = ""
    decision_due_on: date | None = None
    first_appeal_due_on: date | None = None
    first_appeal_filed_on: date | None = None
    first_appeal_decided_on: date | None = None
    first_appeal_decision_due_on: date | None = None
    second_appeal_due_on: date | None = None
    grounds: str = ""
    written_on: date | None = None

    @property
    def outcome_label(self):
        return RTIOutcome(self.outcome).label if self.outcome else ""

    @property
    def deemed_refused(self):
        return self.replied_on is None and self.decision_due_on is not None

    @property
    def deemed_refused_from(self):
        return self.decision_due_on + timedelta(days=1) if self.decision_due_on else None

    @property
    def late(self):
        """Filed after its window: the letter asks the authority to admit it for cause."""
        due = {
            "first_appeal": self.first_appeal_due_on,
            "second_appeal": self.second_appeal_due_on,
        }.get(self.kind)
        return due is not None and (self.written_on or rti_today()) > due


def letter_for_request(rti_request, *, kind, language="en", **typed) -> Letter:
    """A letter prefilled from a request's timeline (the writer adds name, address and
    grounds): its authority, reference, dates, the PIO's reply and the deadlines."""
    events = list(rti_request.events.all())
    schedule = rti_request_schedule(rti_request, events=events)
    authority = rti_request.authority if rti_request.authority.is_published else None

    def due(key):
        deadline = schedule.get(key)
        return deadline.due if deadline else None

    return Letter(
        kind=kind,
        language=language,
        authority_name=authority.name if authority else "",
        pio_address=authority.pio_address if authority else "",
        appellate_authority=authority.appellate_authority if authority else "",
        rules=fee_rules_for(authority),
        reference_number=rti_request.reference_number,
        filed_on=rti_request.filed_on,
        received_on=rti_request.received_on,
        replied_on=rti_request.replied_on,
        outcome=rti_request.outcome,
        exemption_sections=rti_request.exemption_sections,
        decision_due_on=due("decision"),
        first_appeal_due_on=due("first_appeal"),
        first_appeal_filed_on=rti_request.first_appeal_filed_on,
        first_appeal_decided_on=rti_request.first_appeal_decided_on,
        first_appeal_decision_due_on=due("first_appeal_decision"),
        second_appeal_due_on=due("second_appeal"),
        questions=[
            line.strip() for line in rti_request.application_text.splitlines() if line.strip()
        ][:MAX_QUESTIONS],
        **typed,
    )


def letter_html(letter: Letter) -> str:
    """The letter as a standalone HTML page, in its language."""
    if letter.kind not in KINDS or letter.language not in LANGUAGES:
        raise ValueError(f"no {letter.kind} letter in {letter.language}")
    with translation.override(letter.language):
        return render_to_string(
            "tracker/letters/letter.html",
            {
                "letter": letter,
                "rules": letter.rules,
                "payment_modes": payment_modes_text(letter.rules),
                "today": letter.written_on or rti_today(),
            },
        )


def _with_actual_text(draw_first_line):
    """WeasyPrint's line drawing, each line inside an /ActualText span of its text."""
    import pydyf

    def draw(stream, textbox, *args, **kwargs):
        text = pydyf.String(textbox.pango_layout.text)
        stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": text}))
        try:
            return draw_first_line(stream, textbox, *args, **kwargs)
        finally:
            stream.end_marked_content()

    draw.actual_text = True
    return draw


def letter_pdf(letter: Letter) -> bytes:
    """The letter as PDF (A4), laid out by WeasyPrint with the system's Noto fonts."""
    from weasyprint import HTML
    from weasyprint.draw import text

    if not getattr(text.draw_first_line, "actual_text", False):
        text.draw_first_line = _with_actual_text(text.draw_first_line)
    return HTML(string=letter_html(letter), url_fetcher=_no_fetch).write_pdf()


def letter_filename(letter: Letter, suffix: str = "") -> str:
    name = f"rti-{letter.kind.replace('_', '-')}-{letter.language}"
    return f"{name}{suffix}.pdf"


def letter_authority(agency):
    """What a letter takes from an authority the site knows (published or not)."""
    return {
        "authority_name": agency.name,
        "pio_address": agency.pio_address,
        "appellate_authority": agency.appellate_authority,
        "rules": fee_rules_for(agency),
    }
