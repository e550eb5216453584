"""The re-verification queue: entries whose cited sources broke or changed, and entries not
re-checked for VERIFY_AFTER_DAYS, for moderators and volunteers to check again."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import volunteer_required
from tracker import permissions
from tracker.catalogue.ageing import site_today
from tracker.catalogue.links import detail_url
from tracker.clients import client_address
from tracker.models import Deployment
from tracker.verification import (
    deployment_verify,
    hold_of,
    live_sources,
    reverification_queue,
    verification_hold_release,
    verification_hold_take,
)

from ..forms import VerificationForm
from ..services import SubmissionRefused, verification_propose

PAGE_SIZE = 25


@volunteer_required
def verify_queue(request):
    now = timezone.now()
    page = Paginator(reverification_queue(today=site_today()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(deployment, hold_of(deployment, now=now)) for deployment in page]
    return render(
        request,
        "moderation/verify_queue.html",
        {"page": page, "rows": rows, "verifies": request.user.has_perm(permissions.VERIFY)},
    )


@require_POST
@volunteer_required
def verify_take(request, pk):
    try:
        hold = verification_hold_take(deployment_id=pk, holder=request.user, now=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        day = timezone.localdate(hold.expires_at)
        messages.success(
            request, _("It is yours to check until %(day)s.") % {"day": day.isoformat()}
        )
    return redirect("moderation:verify-queue")


@require_POST
@volunteer_required
def verify_release(request, pk):
    verification_hold_release(deployment_id=pk, holder=request.user)
    messages.success(request, _("You gave the item back."))
    return redirect("moderation:verify-queue")


@volunteer_required
def verify_entry(request, pk):
    """Record a re-check against a live source: a moderator's counts at once, a volunteer's
    goes to the review queue."""
    deployment = Deployment.objects.published().filter(pk=pk).first()
    if deployment is None:
        raise Http404("no published deployment")
    sources = live_sources(deployment)
    form = VerificationForm(request.POST or None, sources=sources)
    direct = request.user.has_perm(permissions.VERIFY)
    if request.method == "POST" and form.is_valid():
        source, note = form.cleaned_data["source"], form.cleaned_data["note"]
        try:
            if direct:
                deployment_verify(
                    deployment_id=pk,
                    actor=request.user,
                    source_id=source.pk,
                    note=note,
                    today=site_today(),
                )
                messages.success(request, _("Recorded: the entry is checked as of today."))
            else:
                verification_propose(
                    volunteer=request.user,
                    client=client_address(request),
                    deployment_id=pk,
                    source=source,
                    note=note,
                )
                messages.success(request, _("Thank you: a moderator will confirm your check."))
        except (SubmissionRefused, PermissionDenied) as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            return redirect("moderation:verify-queue")
    return render(
        request,
        "moderation/verify_entry.html",
        {
            "deployment": deployment,
            "entry_url": detail_url(deployment),
            "form": form,
            "direct": direct,
            "has_sources": sources.exists(),
        },
    )
