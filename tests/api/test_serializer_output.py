"""The API's lean serializing (fields built once per class, a shorter row loop) writes
exactly what Django REST framework's own code writes, byte for byte."""

from datetime import date

import pytest
from django.core.cache import cache
from rest_framework import serializers

from api import serializers as api_serializers
from api.urls import VIEWSETS

PAGES = [f"/api/v1/{name}/" for name in VIEWSETS] + [
    "/api/v1/deployments/?limit=2&offset=1",
    "/api/v1/deployments/?q=lucknow",
]


@pytest.mark.parametrize("url", PAGES)
def test_lists_are_written_as_rest_framework_writes_them(client, world, monkeypatch, url):
    world.rti.events.create(kind="filed", date=date(2024, 1, 2), note="Sent by post")
    lean = client.get(url)
    assert lean.status_code == 200 and lean.json()["results"]
    detail = client.get(f"{url.split('?')[0]}{lean.json()['results'][0]['id']}/")

    cache.clear()
    api_serializers._BUILT_FIELDS.clear()
    described = api_serializers.DescribedSerializer
    monkeypatch.setattr(described, "to_representation", serializers.Serializer.to_representation)
    monkeypatch.setattr(described, "build_field", serializers.ModelSerializer.build_field)
    stock = client.get(url)
    assert stock.content == lean.content
    assert client.get(detail.request["PATH_INFO"]).content == detail.content
    api_serializers._BUILT_FIELDS.clear()
