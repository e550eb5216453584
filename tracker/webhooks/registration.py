"""An account's webhooks: register, change, enable again, remove. The one way each is done.

A hook's URL must be one the guarded fetcher would post to: http or https, an
allowed port (FETCH_ALLOWED_PORTS), no credentials in it, and a host whose every
address is public (or named in FETCH_ALLOW_HOSTS). It is checked here and again
at every delivery, since a name can later resolve elsewhere. An account has at
most MAX_HOOKS_PER_ACCOUNT hooks; the count is taken under a lock on the
account's row, so two registrations at once cannot make a sixth.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..checking import fetch
from ..models import DeliveryState, Webhook, WebhookDelivery, WebhookEventKind

MAX_HOOKS_PER_ACCOUNT = 5
MAX_URL_LENGTH = 2000
SECRET_LENGTHS = (16, 200)


def webhook_url_problem(url: str) -> str | None:
    """Why the fetcher would refuse to post to ``url``, or None. Resolves its host once."""
    if len(url) > MAX_URL_LENGTH:
        return _("The URL is longer than %(max)d characters.") % {"max": MAX_URL_LENGTH}
    try:
        parts = fetch.url_checked(url)
    except fetch.FetchBlocked:
        return _("Only these ports may be used: %(ports)s.") % {
            "ports": ", ".join(map(str, settings.FETCH_ALLOWED_PORTS))
        }
    except fetch.FetchError:
        return _("Give an http or https URL.")
    if parts.username or parts.password:
        return _("Leave credentials out of the URL: deliveries are signed instead.")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        fetch.resolve_checked(parts.hostname, port)
    except fetch.FetchBlocked:
        return _("This address is private or reserved: deliveries only go to public addresses.")
    except fetch.FetchError:
        return _("This host name cannot be resolved.")
    return None


def _cleaned(*, url=None, events=None, secret=None, description=None) -> dict:
    errors, cleaned = {}, {}
    if url is not None:
        url = str(url).strip()
        problem = webhook_url_problem(url)
        if problem:
            errors["url"] = [problem]
        cleaned["url"] = url
    if events is not None:
        kinds = [str(kind) for kind in events] if isinstance(events, list | tuple) else None
        if not kinds or any(kind not in WebhookEventKind.values for kind in kinds):
            errors["events"] = [
                _("Choose one or more of: %(kinds)s.")
                % {"kinds": ", ".join(WebhookEventKind.values)}
            ]
        else:
            cleaned["events"] = sorted(set(kinds), key=WebhookEventKind.values.index)
    if secret is not None:
        low, high = SECRET_LENGTHS
        if not (low <= len(secret) <= high) or not secret.isprintable():
            errors["secret"] = [
                _("A secret has %(low)d to %(high)d printable characters.")
                % {"low": low, "high": high}
            ]
        cleaned["secret"] = secret
    if description is not None:
        if len(description) > 200:
            errors["description"] = [_("At most 200 characters.")]
        cleaned["description"] = description
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def webhook_register(*, owner, url, events, secret=None, description="") -> Webhook:
    """A new hook; without a ``secret`` one is made (the caller shows it once)."""
    fields = _cleaned(
        url=url, events=events, secret=secret if secret else None, description=description
    )
    get_user_model().objects.select_for_update().filter(pk=owner.pk).first()
    if Webhook.objects.filter(owner=owner).count() >= MAX_HOOKS_PER_ACCOUNT:
        raise ValidationError(
            {
                "non_field_errors": [
                    _("An account may have at most %(max)d webhooks: remove one first.")
                    % {"max": MAX_HOOKS_PER_ACCOUNT}
                ]
            }
        )
    fields.setdefault("secret", secrets.token_urlsafe(32))
    return Webhook.objects.create(owner=owner, **fields)


@transaction.atomic
def webhook_update(*, webhook: Webhook, active=None, **changes) -> Webhook:
    """Change a hook's URL, events, secret or description; ``active=True`` enables a
    disabled hook again (its count of failures starts over), ``False`` pauses it."""
    fields = _cleaned(**{k: v for k, v in changes.items() if v is not None})
    for name, value in fields.items():
        setattr(webhook, name, value)
    if active is True and not webhook.is_active:
        webhook.is_active = True
        webhook.consecutive_failures = 0
        webhook.disabled_at = None
        webhook.disabled_reason = ""
    elif active is False and webhook.is_active:
        webhook.is_active = False
        webhook.disabled_at = timezone.now()
        webhook.disabled_reason = "paused by its owner"
        _cancel_pending(webhook)
    webhook.save()
    return webhook


@transaction.atomic
def webhook_delete(*, webhook: Webhook) -> None:
    webhook.delete()


def _cancel_pending(webhook):
    WebhookDelivery.objects.filter(webhook=webhook, state=DeliveryState.PENDING).update(
        state=DeliveryState.CANCELLED, next_attempt_at=None, claimed_until=None
    )
