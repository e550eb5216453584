"""Renderers for documents PostgreSQL already built (GeoJSON, CSV)."""

import json

from rest_framework.renderers import BaseRenderer


class GeoJSONRenderer(BaseRenderer):
    """Selected by ``?format=geojson``; the view hands over finished GeoJSON text."""

    media_type = "application/geo+json"
    format = "geojson"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, str):
            return data.encode(self.charset)
        return json.dumps(data).encode(self.charset)
