"""/api/v1/releases/: the dataset releases for machines (the same as /data/releases/)."""

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.exports.releases import release_get, releases


class DatasetReleaseSerializer(serializers.Serializer):
    """A dataset release (documentation only: the answer is built from its manifest)."""

    name = serializers.CharField(help_text="The release's name and version, e.g. 2026.12.0.")
    title = serializers.CharField(help_text="How to cite it.")
    created_at = serializers.DateTimeField(help_text="When it was made.")
    data_as_of = serializers.DateTimeField(help_text="The moment of the data it holds.")
    previous = serializers.CharField(
        allow_null=True, help_text="The release its changes are counted against."
    )
    doi = serializers.CharField(help_text="Its DOI once deposited; empty until then.")
    download = serializers.DictField(help_text="url, bytes and sha256 of the zip.")
    changelog = serializers.URLField(
        help_text="The changes as JSON: ids added, changed (with the columns) and withdrawn."
    )
    rows = serializers.DictField(help_text="Rows per dataset.")
    changes = serializers.DictField(
        help_text="Per dataset, how many ids were added, changed and withdrawn."
    )
    files = serializers.ListField(
        required=False, help_text="Every file in the zip: path, bytes and sha256 (detail only)."
    )


def release_data(request, release, *, files=False):
    manifest = release.manifest
    zip_url = reverse("tracker:data-release-zip", args=[release.name])
    data = {
        "name": release.name,
        "title": manifest["title"],
        "created_at": manifest["created_at"],
        "data_as_of": manifest["data_as_of"],
        "previous": manifest["previous"],
        "doi": manifest["doi"],
        "download": {
            "url": request.build_absolute_uri(zip_url),
            "bytes": manifest["zip"]["bytes"],
            "sha256": manifest["zip"]["sha256"],
        },
        "changelog": request.build_absolute_uri(
            reverse("tracker:data-release-changes", args=[release.name])
        ),
        "rows": manifest["rows"],
        "changes": manifest["changes"],
    }
    if files:
        data["files"] = manifest["files"]
    return data


class ReleaseListView(APIView):
    """Every dataset release, newest first."""

    renderer_classes = [JSONRenderer]

    @extend_schema(summary="Dataset releases", responses={200: DatasetReleaseSerializer(many=True)})
    def get(self, request):
        return Response([release_data(request, release) for release in releases()])


class ReleaseDetailView(APIView):
    """One dataset release, with every file's checksum."""

    renderer_classes = [JSONRenderer]

    @extend_schema(
        summary="One dataset release",
        parameters=[
            OpenApiParameter(
                "name", str, OpenApiParameter.PATH, description="The release, e.g. 2026.12.0."
            )
        ],
        responses={
            200: DatasetReleaseSerializer,
            404: OpenApiResponse(description="No such release."),
        },
    )
    def get(self, request, name):
        release = release_get(name)
        if release is None:
            raise NotFound("No such release.")
        return Response(release_data(request, release, files=True))
