"""Readable text of a fetched page and its fingerprint: what "the page changed" means.

Only the article text counts; scripts, styles, navigation, headers and
footers change all the time without the claim changing. Pages come from
anywhere, so they are parsed by libxml2 (through lxml), whose HTML parser is
linear in the input and stops descending at 256 levels: the standard
library's parser goes quadratic on malformed markup (160 KB of ``<!--`` took
16 s), and lexbor on deep nesting (20,000 unclosed ``<div>`` took 2.4 s).
Any character set a page names decodes, or falls back to UTF-8.
"""

import codecs
import difflib
import hashlib
import re
from itertools import islice, zip_longest

import lxml.html
from lxml import etree

# Text is read from at most this much of a page (parsing costs about 1 s per 2 MB of
# the worst markup) and from at most this many blocks: extraction stays bounded in time.
HTML_MAX_BYTES = 2 * 1024 * 1024
MAX_BLOCKS = 100_000
# ---------------------------------------------------------------- readable text

# Dropped with everything inside them, wherever they are.
_SKIPPED_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "iframe",
        "nav",
        "aside",
        "form",
        "menu",
        "button",
        "select",
        "head",
    }
)
# Page chrome unless inside the article itself (an article's own header is content).
_PAGE_CHROME_TAGS = frozenset({"header", "footer"})
_CONTENT_TAGS = frozenset({"article", "main"})
_NOISE_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "menu"})
# Elements that start a new line of text.
_BLOCK_TAGS = frozenset(
    "address article blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr li main ol p pre section table td th tr ul".split()
)


def normalise_text(text: str) -> str:
    """One space between words, none at the ends: layout changes are not content changes."""
    return " ".join(text.split())


def _parse(markup: str):
    parser = lxml.html.HTMLParser(recover=True, huge_tree=False, no_network=True, encoding="utf-8")
    try:
        root = etree.fromstring(markup.encode("utf-8", "replace"), parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    if root is not None:
        etree.strip_tags(root, etree.Comment, etree.ProcessingInstruction)
    return root


_CHROME_XPATH = etree.XPath(
    "//header[not(ancestor::article or ancestor::main)]"
    " | //footer[not(ancestor::article or ancestor::main)]"
)
_ROLE_XPATH = etree.XPath("//*[@role]")


def page_text(markup: str) -> str:
    """The text a reader sees, one line per block, without scripts, styles or chrome.

    Every step but marking the line breaks runs inside libxml2.
    """
    root = _parse(markup)
    if root is None:
        return ""
    etree.strip_elements(root, *_SKIPPED_TAGS, with_tail=False)
    noise = [el for el in _ROLE_XPATH(root) if el.get("role").strip().lower() in _NOISE_ROLES]
    for element in [*noise, *_CHROME_XPATH(root)]:
        element.drop_tree()  # keeps the text that follows it
    for element in islice(root.iter(*_BLOCK_TAGS), MAX_BLOCKS):
        element.text = "\n" + (element.text or "")
        element.tail = "\n" + (element.tail or "")
    text = etree.tostring(root, method="text", encoding="unicode", with_tail=False)
    return "\n".join(filter(None, (normalise_text(piece) for piece in text.split("\n"))))


def text_from_html(markup: str) -> str:
    return normalise_text(page_text(markup))


_CHARSET = re.compile(rb"""charset=["']?([\w.:-]+)""", re.I)


def decode_body(body: bytes, content_type: str) -> str:
    """The body as text in the charset it names; UTF-8 (with replacements) when the
    name is unknown, not a text encoding (``idna``, ``undefined``...) or fails."""
    match = _CHARSET.search(content_type.encode("latin-1", "replace")) or _CHARSET.search(
        body[:2048]
    )
    encoding = match.group(1).decode("ascii", "replace") if match else "utf-8"
    try:
        if not codecs.lookup(encoding)._is_text_encoding:
            encoding = "utf-8"
        text = body.decode(encoding, errors="replace")
    except (LookupError, UnicodeError, ValueError, TypeError):
        text = body.decode("utf-8", errors="replace")
    return text.replace("\x00", "")


def readable_text(body: bytes, content_type: str) -> str | None:
    """The text to archive and fingerprint (one line per block), or None for types
    fingerprinted by their bytes (PDF, images)."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type in ("text/html", "application/xhtml+xml") or (
        not media_type and body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html"))
    ):
        return page_text(decode_body(body[:HTML_MAX_BYTES], content_type))
    if media_type.startswith("text/"):
        lines = (normalise_text(line) for line in decode_body(body, content_type).splitlines())
        return "\n".join(filter(None, lines))
    return None


def fingerprint(*, text: str | None, body: bytes) -> str:
    """SHA-256 of the readable text (whitespace and line breaks ignored), or of the bytes
    when there is no text to read."""
    data = normalise_text(text).encode() if text is not None else body
    return hashlib.sha256(data).hexdigest()


def text_sha256(text: str) -> str:
    """The key archived text is stored under (exact text, lines included)."""
    return hashlib.sha256(text.encode()).hexdigest()


# ---------------------------------------------------------------- showing a change

# A change is shown as this much of each version's text, around where they first differ.
EXCERPT_CHARS = 600
# A diff is computed on at most this many lines of each version (difflib is quadratic).
DIFF_MAX_LINES = 3000


def change_excerpts(old: str, new: str) -> tuple[str, str]:
    """The stretch of each text around the first place they differ."""
    index = next(
        (i for i, (a, b) in enumerate(zip_longest(old, new)) if a != b), min(len(old), len(new))
    )
    start = max(0, index - EXCERPT_CHARS // 3)

    def cut(text):
        piece = text[start : start + EXCERPT_CHARS]
        return ("…" if start else "") + piece + ("…" if start + EXCERPT_CHARS < len(text) else "")

    return cut(old), cut(new)


def text_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Line diff of two versions as ``[(kind, line)]``, kind one of " ", "-", "+", "…"
    (unchanged lines far from any change are folded into "…")."""
    old_lines = old.splitlines()[:DIFF_MAX_LINES]
    new_lines = new.splitlines()[:DIFF_MAX_LINES]
    rows = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for group in matcher.get_grouped_opcodes(2):
        if rows:
            rows.append(("…", ""))
        for op, a1, a2, b1, b2 in group:
            if op == "equal":
                rows.extend((" ", line) for line in old_lines[a1:a2])
                continue
            rows.extend(("-", line) for line in old_lines[a1:a2])
            rows.extend(("+", line) for line in new_lines[b1:b2])
    return rows
