"""The Hindi catalogue follows locale/hi/GLOSSARY.md: no word from its "never" column, the
corrected Django words win over Django's own, and the site says "overdue" as a deadline."""

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.timesince import timesince

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "hi" / "LC_MESSAGES" / "django.po"
NEVER = [
    "बकाया",
    "प्रस्तुति",
    "स्थानांतरित",
    "गुमनाम",
    "प्रदर्शन नाम",
    "विश्वसनीयता",
    "फ़ेचर",
    "नक्शा",
    "पृष्ठ",
    "पन्ना",
    "पन्ने",
    "तिथि",
    "सितमबर",
    "नवमबर",
    "दिसमबर",
    "गुरूवार",
    "\u200c",
    "नई आरटीआई",
]
# Words that hold a forbidden one without meaning it: "पृष्ठभूमि" is a background, not a page.
NOT_THE_WORD = ["पृष्ठभूमि"]


def translations():
    text = CATALOGUE.read_text(encoding="utf-8")
    return re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', text, flags=re.M)


def without_compounds(text):
    for compound in NOT_THE_WORD:
        text = text.replace(compound, "")
    return text


def test_no_word_the_glossary_forbids():
    texts = [without_compounds(s) for s in translations()]
    found = {word: [s for s in texts if word in s][:3] for word in NEVER}
    assert {word: hits for word, hits in found.items() if hits} == {}


def test_the_glossary_is_recorded_beside_the_catalogue():
    glossary = (CATALOGUE.parent.parent / "GLOSSARY.md").read_text(encoding="utf-8")
    for term in ("समय-सीमा पार", "अनुरोध", "योगदान", "हस्तांतरित", "लोक सूचना अधिकारी"):
        assert term in glossary


def test_the_sites_words_win_over_djangos():
    with translation.override("hi"):
        assert translation.gettext("Overdue") == "समय-सीमा पार"
        assert translation.gettext("Not overdue") == "समय-सीमा के भीतर"
        assert date_format(date(2024, 9, 5), "l j F Y") == "गुरुवार 5 सितंबर 2024"
        assert date_format(date(2024, 12, 2), "l j F Y") == "सोमवार 2 दिसंबर 2024"
        assert date_format(date(2024, 11, 2), "j M Y") == "2 नव॰ 2024"
        now = timezone.now()
        since = timesince(now - timedelta(days=2, hours=3), now).replace("\xa0", " ")
        assert since == "2 दिन, 3 घंटे"
        assert timesince(now - timedelta(hours=1), now).replace("\xa0", " ") == "1 घंटा"
        assert translation.gettext("Accounts and roles") == "खाते और भूमिकाएँ"


def test_whole_messages_per_kind_agree_in_gender():
    with translation.override("hi"):
        assert translation.gettext("Propose a new deployment").startswith("नई तैनाती")
        assert translation.gettext("Propose a new RTI request").startswith("नया आरटीआई अनुरोध")
        assert translation.gettext("A new hotspot") == "नया हॉटस्पॉट"
        assert translation.gettext("A new agency") == "नई एजेंसी"


def test_an_aware_moment_in_hindi(settings):
    """The dates the RTI pages print (a deadline's moment) read in India's time."""
    moment = datetime(2024, 3, 3, 4, 30, tzinfo=UTC)
    with translation.override("hi"), timezone.override("Asia/Kolkata"):
        assert date_format(timezone.localtime(moment), "j F Y, H:i") == "3 मार्च 2024, 10:00"
