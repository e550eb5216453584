"""/changes/: recent changes to published entries."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..catalogue.selectors.history import recent_changes
from ..middleware import public_page

CHANGES_SHOWN = 100


@require_safe
@public_page
def changes(request):
    return render(request, "tracker/changes.html", {"entries": recent_changes(limit=CHANGES_SHOWN)})
