"""Moderator pages for source health: what changed or died, and what to do about it."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions, tasks
from ..checking import archive
from ..checking import records as sources
from ..models import CheckerStatus, Source
from .common import paginate


def moderator_required(view):
    """Anonymous visitors go to the site's sign-in (moderators are not staff); signed-in
    people without the permission get a 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm(permissions.SOURCE_REVIEW):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@moderator_required
def source_list(request):
    include_reviewed = request.GET.get("show") == "all"
    found = sources.sources_needing_attention(include_reviewed=include_reviewed)
    page = paginate(request, found, per_page=20)
    for source in page:
        source.diff = sources.version_diff(source)
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
@moderator_required
def source_mark_reviewed(request, pk):
    source = get_object_or_404(Source, pk=pk)
    closed = sources.source_mark_reviewed(source=source, moderator=request.user)
    messages.success(
        request, _("Marked %(count)d item(s) reviewed for “%(source)s”.") % {
            "count": closed, "source": source,
        },
    )  # fmt: skip
    return redirect("moderation:sources")


@require_POST
@moderator_required
def source_check_now(request, pk):
    source = get_object_or_404(Source, pk=pk)
    claimed = sources.sources_claim(ids=[source.pk], due_only=False)
    tasks.enqueue_source_checks(claimed)
    if claimed:
        messages.success(request, _("A check of “%(source)s” is queued.") % {"source": source})
    else:
        messages.info(request, _("“%(source)s” is already being checked.") % {"source": source})
    return redirect("moderation:sources")
