"""The profile: public display name, roles, API tokens, and webhooks with their logs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from tracker import permissions
from tracker.models import Webhook
from tracker.webhooks.delivery import delivery_log
from tracker.webhooks.registration import webhook_delete, webhook_update

from .forms import ProfileForm
from .roles import is_moderator, is_volunteer


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your display name is saved."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "has_token": Token.objects.filter(user=request.user).exists(),
            "new_token": request.session.pop("new_api_token", None),
            "is_volunteer": is_volunteer(request.user),
            "is_moderator": is_moderator(request.user),
            "webhooks": Webhook.objects.filter(owner=request.user).order_by("id"),
            "reviews_sources": request.user.has_perm(permissions.SOURCE_REVIEW),
        },
    )


@require_POST
@login_required
def token_create(request):
    """A new API token (replacing any old one), shown once."""
    Token.objects.filter(user=request.user).delete()
    token = Token.objects.create(user=request.user)
    request.session["new_api_token"] = token.key
    return redirect("accounts:profile")


@require_POST
@login_required
def token_revoke(request):
    Token.objects.filter(user=request.user).delete()
    messages.success(request, _("Your API token is revoked."))
    return redirect("accounts:profile")


@login_required
def webhook(request, pk):
    """One of the account's webhooks and its delivery log."""
    hook = get_object_or_404(Webhook, pk=pk, owner=request.user)
    return render(
        request,
        "accounts/webhook.html",
        {"hook": hook, "deliveries": delivery_log(webhook=hook)},
    )


@require_POST
@login_required
def webhook_enable(request, pk):
    hook = get_object_or_404(Webhook, pk=pk, owner=request.user)
    webhook_update(webhook=hook, active=True)
    messages.success(request, _("The webhook is enabled again."))
    return redirect("accounts:webhook", pk=hook.pk)


@require_POST
@login_required
def webhook_remove(request, pk):
    hook = get_object_or_404(Webhook, pk=pk, owner=request.user)
    webhook_delete(webhook=hook)
    messages.success(request, _("The webhook is removed."))
    return redirect("accounts:profile")
