"""Readable text of a fetched page and its fingerprint: what "the page changed" means.

Only the article text counts; scripts, styles, navigation, headers and
footers change all the time without the claim changing.
"""

import hashlib
import re
from html.parser import HTMLParser
from itertools import zip_longest

STORED_TEXT_CHARS = 4000
EXCERPT_CHARS = 600

# ---------------------------------------------------------------- readable text

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
_PAGE_CHROME_TAGS = frozenset({"header", "footer"})
_CONTENT_TAGS = frozenset({"article", "main"})
_VOID_TAGS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)
_NOISE_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "menu"})


class _ReadableText(HTMLParser):
    """Collects the text a reader sees, skipping scripts, styles and navigation chrome."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_stack: list[str] = []
        self.content_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in _VOID_TAGS:
            return
        if self.skip_stack:
            if tag == self.skip_stack[-1]:
                self.skip_stack.append(tag)
            return
        role = (dict(attrs).get("role") or "").lower()
        chrome = tag in _PAGE_CHROME_TAGS and not self.content_depth
        if tag in _SKIPPED_TAGS or chrome or role in _NOISE_ROLES:
            self.skip_stack.append(tag)
        elif tag in _CONTENT_TAGS:
            self.content_depth += 1

    def handle_endtag(self, tag):
        if self.skip_stack:
            if tag == self.skip_stack[-1]:
                self.skip_stack.pop()
            return
        if tag in _CONTENT_TAGS and self.content_depth:
            self.content_depth -= 1
        self.parts.append(" ")

    def handle_data(self, data):
        if not self.skip_stack:
            self.parts.append(data)


def normalise_text(text: str) -> str:
    """One space between words, none at the ends: layout changes are not content changes."""
    return " ".join(text.split())


def text_from_html(html: str) -> str:
    parser = _ReadableText()
    parser.feed(html)
    parser.close()
    return normalise_text("".join(parser.parts))


_CHARSET = re.compile(rb"""charset=["']?([\w.:-]+)""", re.I)


def _decode(body: bytes, content_type: str) -> str:
    match = _CHARSET.search(content_type.encode()) or _CHARSET.search(body[:2048])
    encoding = match.group(1).decode() if match else "utf-8"
    try:
        return body.decode(encoding, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def readable_text(body: bytes, content_type: str) -> str | None:
    """The text to fingerprint, or None for types fingerprinted by their bytes (PDF, images)."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type in ("text/html", "application/xhtml+xml") or (
        not media_type and body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html"))
    ):
        return text_from_html(_decode(body, content_type))
    if media_type.startswith("text/"):
        return normalise_text(_decode(body, content_type))
    return None


def fingerprint(*, text: str | None, body: bytes) -> str:
    """SHA-256 of the readable text, or of the bytes when there is no text to read."""
    data = text.encode() if text is not None else body
    return hashlib.sha256(data).hexdigest()


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
