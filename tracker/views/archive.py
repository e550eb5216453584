"""Archived copies of cited pages: the text a source said at a time, served from this site."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .. import permissions
from ..catalogue.visibility import public_rows
from ..models import Source, SourceVersion


def archived_copy_visible(request, source) -> bool:
    """Holders of ARCHIVE_READ (moderators) always; the public only with ARCHIVE_PUBLIC,
    and only for a source a published entry cites."""
    if request.user.has_perm(permissions.ARCHIVE_READ):
        return True
    return settings.ARCHIVE_PUBLIC and public_rows(Source).filter(pk=source.pk).exists()


def archived_copy(request, source_pk, pk):
    version = get_object_or_404(
        SourceVersion.objects.select_related("source", "text"), pk=pk, source_id=source_pk
    )
    if not archived_copy_visible(request, version.source):
        raise Http404
    return render(
        request,
        "tracker/archived_copy.html",
        {"version": version, "source": version.source, "lines": version.text.text.splitlines()},
    )
