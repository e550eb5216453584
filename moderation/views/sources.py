"""Moderators' pages for source health: what changed or died, and what to do about it.

They read through ``moderation.attention`` and act through tracker's services
(``tracker.checking``: closing review items, claiming a check); the checks, the
archive and the review items are tracker's.
"""

from django.contrib import messages
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import permission_required
from tracker import permissions, tasks
from tracker.checking import archive, records
from tracker.models import CheckerStatus, Source

from ..attention import sources_needing_attention, version_diff

SOURCES_PAGE_SIZE = 20

source_reviewer_required = permission_required(permissions.SOURCE_REVIEW)


def _page(request, found):
    """One page of sources; a page number past the end or not a number is a 404."""
    try:
        return Paginator(found, SOURCES_PAGE_SIZE).page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404(str(error)) from error


@source_reviewer_required
def source_list(request):
    include_reviewed = request.GET.get("show") == "all"
    page = _page(request, sources_needing_attention(include_reviewed=include_reviewed))
    for source in page:
        source.diff = version_diff(source)
    return render(
        request,
        "moderation/sources.html",
        {
            "page": page,
            "include_reviewed": include_reviewed,
            "checker": CheckerStatus.current(),
            "storage": archive.archive_storage(),
        },
    )


@require_POST
@source_reviewer_required
def source_mark_reviewed(request, pk):
    source = get_object_or_404(Source, pk=pk)
    closed = records.source_mark_reviewed(source=source, moderator=request.user)
    messages.success(
        request, _("Marked %(count)d item(s) reviewed for “%(source)s”.") % {
            "count": closed, "source": source,
        },
    )  # fmt: skip
    return redirect("moderation:sources")


@require_POST
@source_reviewer_required
def source_check_now(request, pk):
    source = get_object_or_404(Source, pk=pk)
    claimed = records.sources_claim(ids=[source.pk], due_only=False)
    tasks.enqueue_source_checks(claimed)
    if claimed:
        messages.success(request, _("A check of “%(source)s” is queued.") % {"source": source})
    else:
        messages.info(request, _("“%(source)s” is already being checked.") % {"source": source})
    return redirect("moderation:sources")
