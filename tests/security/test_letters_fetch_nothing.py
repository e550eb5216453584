"""An RTI letter's PDF: whatever a writer types in any field, WeasyPrint is never asked
to fetch anything (its one url_fetcher records every call here)."""

import pytest

from tracker.rti import letters
from tracker.rti.letters import Letter, letter_pdf

HOSTILE = (
    '<img src="http://127.0.0.1:9/i.png"><link rel="stylesheet" href="http://127.0.0.1:9/s.css">'
    '<style>@import url(http://127.0.0.1:9/x.css);</style><iframe src="file:///etc/passwd">'
)


@pytest.mark.parametrize("language", ["en", "hi"])
@pytest.mark.parametrize("kind", ["application", "first_appeal", "second_appeal"])
def test_no_field_of_a_letter_makes_weasyprint_fetch(monkeypatch, kind, language):
    asked = []

    def recording_fetcher(url, *args, **kwargs):
        asked.append(url)
        raise letters.LetterRefused(url)

    monkeypatch.setattr(letters, "_no_fetch", recording_fetcher)
    letter = Letter(
        kind=kind,
        language=language,
        authority_name=HOSTILE,
        pio_address=HOSTILE,
        appellate_authority=HOSTILE,
        applicant_name=HOSTILE,
        applicant_address=HOSTILE,
        questions=[HOSTILE],
        reference_number=HOSTILE,
    )
    assert letter_pdf(letter).startswith(b"%PDF")
    assert asked == []


def test_the_fetcher_refuses_what_it_is_asked(monkeypatch):
    """Were a URL to reach WeasyPrint, the fetcher answers with a refusal, not bytes."""
    with pytest.raises(letters.LetterRefused):
        letters._no_fetch("http://127.0.0.1:9/x.png")
    with pytest.raises(letters.LetterRefused):
        letters._no_fetch("file:///etc/passwd")
