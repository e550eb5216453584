"""Readable text and fingerprints: pure functions, table-driven."""

import time

import pytest

from tracker.checking.text import (
    change_excerpts,
    decode_body,
    fingerprint,
    page_text,
    readable_text,
    text_diff,
    text_from_html,
)


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>Forty  cameras\n in <b>Lucknow</b>.</p>", "Forty cameras in Lucknow."),
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
    assert readable_text(b"  plain\n text ", "text/plain") == "plain\ntext"
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


def test_page_text_keeps_one_line_per_block_and_fingerprints_ignore_layout():
    markup = "<article><h1>Cameras</h1><p>Forty <b>new</b>.</p><ul><li>A</li></ul></article>"
    text = page_text(markup)
    assert text == "Cameras\nForty new.\nA"
    assert fingerprint(text=text, body=b"") == fingerprint(text="Cameras Forty new. A", body=b"")


@pytest.mark.parametrize("charset", ["idna", "undefined", "rot13", "no-such-charset", "utf-16"])
def test_any_named_charset_decodes_or_falls_back(charset):
    body = "<p>café</p>".encode()
    text = decode_body(body, f"text/html; charset={charset}")
    assert isinstance(text, str) and "\x00" not in text


@pytest.mark.parametrize(
    "markup",
    [
        "<!--" * 125_000,  # 500 KB of unterminated comments
        "<div>" * 200_000 + "deep",  # nesting the parser refuses to follow
        "<" * 500_000,
        "<p>a</p>" * 250_000,  # 2 MB of tiny blocks
    ],
    ids=["comments", "nesting", "angles", "blocks"],
)
def test_hostile_markup_is_read_in_bounded_time(markup):
    started = time.monotonic()
    readable_text(markup.encode(), "text/html")
    assert time.monotonic() - started < 5


def test_text_diff_shows_removed_and_added_lines():
    old = "Intro\nThe city installed forty cameras.\nOutro"
    new = "Intro\nThe city installed four hundred cameras.\nOutro"
    assert text_diff(old, new) == [
        (" ", "Intro"),
        ("-", "The city installed forty cameras."),
        ("+", "The city installed four hundred cameras."),
        (" ", "Outro"),
    ]
