"""A campaign's public page (each authority's status, the response figures) and its letters:
one by one from each request, or all as a zip built by a worker."""

import secrets

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import tasks
from ..clock import rti_today
from ..middleware import public_page
from ..models import RTICampaign
from ..rti.campaigns import campaign_figures, campaign_rows, campaign_zip_path
from ..rti.forms import LetterForm
from .letters import letters_allowed


def _campaign(pk):
    campaign = get_object_or_404(RTICampaign, pk=pk)
    rows = list(campaign_rows(campaign))
    if not rows:
        raise Http404("no published request in this campaign")
    return campaign, rows


@require_safe
@public_page
def campaign_detail(request, pk, slug=None):
    campaign, rows = _campaign(pk)
    if slug != campaign.slug:
        return redirect("tracker:rti-campaign", pk=campaign.pk, slug=campaign.slug)
    form = LetterForm(initial={"kind": "application", "language": get_language()})
    return _campaign_page(request, campaign, rows, form)


def _campaign_page(request, campaign, rows, form, status=200):
    return render(
        request,
        "tracker/rti_campaign.html",
        {
            "campaign": campaign,
            "rows": rows,
            "figures": campaign_figures(campaign, today=rti_today()),
            "form": form,
        },
        status=status,
    )


@csrf_exempt
@require_POST
@public_page
def campaign_letters(request, pk):
    """Queue the zip of every letter (the writer's name and address on each); the answer
    is the address where it will be. Exempt from CSRF like every letter: it changes no
    data, and each letter counts against the client's hourly letters."""
    campaign, rows = _campaign(pk)
    form = LetterForm(request.POST)
    allowed = letters_allowed(request, letters=len(rows))
    if not allowed:
        form.add_error(None, _("Too many letters from here in the last hour; try again later."))
    if not allowed or not form.is_valid():
        return _campaign_page(request, campaign, rows, form, status=400 if allowed else 429)
    data = form.cleaned_data
    token = secrets.token_hex(16)
    typed = [line.strip() for line in (data.get("questions") or "").splitlines() if line.strip()]
    tasks.rti_campaign_letters.delay(
        campaign.pk,
        token,
        {
            "language": data["language"],
            "applicant_name": data.get("applicant_name", ""),
            "applicant_address": data.get("applicant_address", ""),
            "below_poverty_line": data.get("below_poverty_line", False),
            "questions": typed,
        },
    )
    return redirect("tracker:rti-campaign-zip", pk=campaign.pk, token=token)


@require_http_methods(["GET", "HEAD"])
@public_page
def campaign_zip(request, pk, token):
    """The zip once the worker has written it (downloaded once, then gone); until then a
    page that looks again every few seconds."""
    campaign = get_object_or_404(RTICampaign, pk=pk)
    try:
        path = campaign_zip_path(token)
    except ValueError:
        raise Http404("no such letters") from None
    if path.exists() and request.GET.get("download"):
        handle = path.open("rb")
        path.unlink()  # the open handle keeps the bytes until the answer is sent
        response = FileResponse(
            handle, as_attachment=True, filename=f"rti-letters-{campaign.slug}.zip"
        )
        response["Cache-Control"] = "private, no-store"
        return response
    response = render(
        request, "tracker/rti_campaign_zip.html", {"campaign": campaign, "ready": path.exists()}
    )
    response["Cache-Control"] = "private, no-store"
    return response
