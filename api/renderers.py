"""Renderers for documents PostgreSQL already built (GeoJSON, CSV, a list page's rows)."""

import functools
import json
from json.encoder import encode_basestring, encode_basestring_ascii

from rest_framework.compat import LONG_SEPARATORS, SHORT_SEPARATORS
from rest_framework.renderers import BaseRenderer, JSONRenderer


class RawJSON(str):
    """JSON text already written as ``JSONRenderer`` writes it (``api.sql_pages``)."""


def json_value_writer():
    """``json.dumps`` with ``JSONRenderer``'s settings: one value inside a page written
    elsewhere comes out as the renderer would write it."""
    separators = SHORT_SEPARATORS if JSONRenderer.compact else LONG_SEPARATORS
    dumps = functools.partial(
        json.dumps,
        cls=JSONRenderer.encoder_class,
        ensure_ascii=JSONRenderer.ensure_ascii,
        allow_nan=not JSONRenderer.strict,
        separators=separators,
    )
    string = encode_basestring_ascii if JSONRenderer.ensure_ascii else encode_basestring

    def write(value):  # a string (a datetime's text) as the encoder writes one, quickly
        return string(value) if type(value) is str else dumps(value)

    return write


class PageJSONRenderer(JSONRenderer):
    """``JSONRenderer``, which takes a page whose ``results`` are ``RawJSON`` as they are:
    the rest of the page is written by the renderer and the rows set in their place, so
    the bytes are those the renderer would write for the parsed rows (an ``indent``
    asked for, which changes the rows' spacing, or ASCII-only output has them parsed
    and written again)."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data.get("results") if isinstance(data, dict) else None
        if not isinstance(rows, RawJSON):
            return super().render(data, accepted_media_type, renderer_context)
        indent = self.get_indent(accepted_media_type, renderer_context or {})
        if indent is not None or not self.compact or self.ensure_ascii:
            data = {**data, "results": json.loads(rows)}
            return super().render(data, accepted_media_type, renderer_context)
        # The page without its rows, written once. The key is found from the end: only
        # ``count_estimated`` (a boolean) follows it, while the links before it are text.
        page = super().render({**data, "results": []}, accepted_media_type, renderer_context)
        at = page.rindex(b'"results":[]') + len(b'"results":')
        rows = rows.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
        return page[:at] + rows.encode() + page[at + 2 :]


class GeoJSONRenderer(BaseRenderer):
    """Selected by ``?format=geojson``; the view hands over finished GeoJSON text."""

    media_type = "application/geo+json"
    format = "geojson"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, str):
            return data.encode(self.charset)
        return json.dumps(data).encode(self.charset)
