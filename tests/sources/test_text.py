"""Readable text and fingerprints: pure functions, table-driven."""

import pytest

from tracker.checking.text import change_excerpts, fingerprint, readable_text, text_from_html


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>Forty  cameras\n in <b>Lucknow</b>.</p>", "Forty cameras in Lucknow ."),
        ("<script>var x = '<p>no</p>';</script><p>yes</p>", "yes"),
        ("<style>p { color: red }</style><p>yes</p>", "yes"),
        ("<nav><ul><li>Home</li></ul></nav><p>story</p>", "story"),
        (
            "<header>Site</header><article><header><h1>Title</h1></header>body</article>",
            "Title body",
        ),
        ("<div role='navigation'>menu</div><p>story</p><footer>©</footer>", "story"),
        ("<p>caf&eacute; &amp; chai</p><br><img src=x>", "café & chai"),
        ("<noscript>enable js</noscript><form><button>Go</button></form><p>x</p>", "x"),
    ],
)
def test_text_from_html(html, text):
    assert text_from_html(html) == text


def test_readable_text_by_type():
    assert readable_text(b"<html><p>a</p></html>", "text/html; charset=utf-8") == "a"
    assert readable_text(b"  plain\n text ", "text/plain") == "plain text"
    assert readable_text("<p>चेहरा</p>".encode(), "text/html") == "चेहरा"
    assert readable_text(b"<p>caf\xe9</p>", "text/html; charset=latin-1") == "café"
    assert readable_text(b"%PDF-1.4", "application/pdf") is None


def test_fingerprint_uses_text_when_there_is_some_and_bytes_otherwise():
    assert fingerprint(text="a b", body=b"<p>a</p><p>b</p>") == fingerprint(text="a b", body=b"")
    assert fingerprint(text=None, body=b"%PDF-1") != fingerprint(text=None, body=b"%PDF-2")


def test_change_excerpts_show_where_the_texts_differ():
    old = "Intro. " * 200 + "The city installed forty cameras."
    new = "Intro. " * 200 + "The city installed four hundred cameras."
    before, after = change_excerpts(old, new)
    assert "forty cameras" in before and "four hundred cameras" in after
    assert before.startswith("…") and len(before) < 700
