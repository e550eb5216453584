"""Readers' disputes: the public form ("this is wrong") and the moderators' outcome."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.forms import HONEYPOT
from accounts.roles import moderator_required
from tracker.catalogue.links import detail_url
from tracker.clients import client_address
from tracker.models import Dispute, EntryType

from ..disputes import (
    DisputeRefused,
    claims_for,
    dispute_entry,
    dispute_open,
    dispute_resolve,
    published_entry,
)
from ..forms import DisputeForm, DisputeOutcomeForm


def _entry_or_404(entity_type, pk):
    if entity_type not in EntryType.values:
        raise Http404("unknown kind of entry")
    entry = published_entry(entity_type=entity_type, entity_id=pk)
    if entry is None:
        raise Http404("no published entry")
    return entry


def dispute_new(request, entity_type, pk):
    """Any reader, signed in or not, says what is wrong with a published entry."""
    entry = _entry_or_404(entity_type, pk)
    claims = claims_for(entity_type)
    initial = {"claim": request.GET.get("claim", "")}
    form = DisputeForm(request.POST or None, claims=claims, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            dispute_open(
                entity_type=entity_type,
                entity_id=entry.pk,
                claim=form.cleaned_data["claim"],
                reason=form.cleaned_data["reason"],
                source_url=form.cleaned_data["source_url"],
                reader=request.user,
                client=client_address(request),
            )
        except DisputeRefused as error:
            form.add_error(error.field, str(error))
        else:
            return redirect("moderation:dispute-sent", entity_type=entity_type, pk=entry.pk)
    status = 200 if request.method != "POST" or HONEYPOT not in form.errors else 400
    return render(
        request,
        "moderation/dispute_form.html",
        {"form": form, "entry": entry, "entry_url": detail_url(entry)},
        status=status,
    )


def dispute_sent(request, entity_type, pk):
    entry = _entry_or_404(entity_type, pk)
    return render(
        request, "moderation/dispute_sent.html", {"entry": entry, "entry_url": detail_url(entry)}
    )


@moderator_required
def dispute_review(request, pk):
    dispute = get_object_or_404(Dispute, pk=pk)
    entry, entry_url = dispute_entry(dispute)
    form = DisputeOutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dispute_resolve(
                dispute_id=dispute.pk,
                moderator=request.user,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except DisputeRefused as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("The outcome is recorded and shown on the entry."))
            return redirect("moderation:queue")
    correction_url = ""
    if entry_url:
        correction_url = reverse(
            "moderation:submit-correction", args=[dispute.entity_type, dispute.entity_id]
        )
    return render(
        request,
        "moderation/dispute_review.html",
        {
            "dispute": dispute,
            "entry": entry,
            "entry_url": entry_url,
            "correction_url": correction_url,
            "form": form,
        },
    )
