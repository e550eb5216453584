"""How well each deployment is supported, and when someone last checked it.

- Levels: a deployment's ``confidence`` is derived from the sources it cites
  (the rule is ``models.evidence``). Whatever writes a citation, a piece of
  evidence or a source (the moderation queue, the admin, an import), the
  signals connected here refresh the levels it touches, and a deployment whose
  evidence changed counts as updated (``updated_since`` finds it).
- Ageing: confirming an entry means re-checking it against a live source it
  cites (``deployment_verify``); that sets ``last_verified_on``. An entry not
  re-checked for ``VERIFY_AFTER_DAYS`` is stale (``is_stale``).
- The re-verification queue (``reverification_queue``): stale entries and
  entries whose cited sources broke or changed, the latter first, then by
  importance and age. Anyone working it may hold an item for
  ``VERIFICATION_HOLD_DAYS`` ("I'll check this").
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Now
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from . import permissions
from .catalogue.ageing import checked_on_sql, stale_q
from .catalogue.datacache import data_changed
from .models import (
    Citation,
    Deployment,
    DeploymentStatus,
    Evidence,
    ReviewItem,
    Source,
    SourceHealth,
    VerificationHold,
)
from .models.evidence import deployment_level

# ---------------------------------------------------------------- levels


def levels_refresh(*, deployment_ids, touched=False):
    """Derive the level of these deployments again.

    ``touched``: their evidence changed, so each counts as updated even when its level
    stays; otherwise only a deployment whose level moved does.
    """
    ids = list(deployment_ids)
    if not ids:
        return 0
    rows = Deployment.objects.filter(pk__in=ids)
    level = deployment_level()
    if not touched:
        rows = rows.annotate(new_level=level).exclude(confidence=F("new_level"))
    changed = Deployment.objects.filter(pk__in=rows.values("pk")).update(
        confidence=level, updated_at=Now()
    )
    if changed:
        data_changed()
    return changed


def _citation_changed(sender, instance, **kwargs):
    if instance.deployment_id:
        levels_refresh(deployment_ids=[instance.deployment_id], touched=True)


def _evidence_changed(sender, instance, **kwargs):
    deployment_id = (
        Citation.objects.filter(pk=instance.citation_id)
        .values_list("deployment_id", flat=True)
        .first()
    )
    if deployment_id:
        levels_refresh(deployment_ids=[deployment_id], touched=True)


def _source_changed(sender, instance, created=False, **kwargs):
    if created:
        return  # cited by nothing yet
    citing = Citation.objects.filter(source=instance, deployment__isnull=False)
    levels_refresh(deployment_ids=citing.values_list("deployment_id", flat=True))


def connect_signals():
    """Levels follow their evidence, whoever writes it (``TrackerConfig.ready``)."""
    for model, handler in ((Citation, _citation_changed), (Evidence, _evidence_changed)):
        uid = f"verification-{model.__name__}"
        post_save.connect(handler, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(handler, sender=model, dispatch_uid=f"{uid}-delete")
    post_save.connect(_source_changed, sender=Source, dispatch_uid="verification-source-save")


# ---------------------------------------------------------------- re-verification


def _source_trouble():
    """SQL: the source checker found a source the deployment cites broken, changed, moved
    or refused, and nobody has looked at it for this entry yet (an open review item)."""
    return Exists(
        ReviewItem.objects.filter(reviewed_at__isnull=True, citation__deployment=OuterRef("pk"))
    )


def reverification_queue(*, today: date):
    """Published deployments to re-check: their cited sources broke or changed, or they are
    stale. Source trouble first; then in use before other statuses, then the longest
    unchecked, then the most cameras. Each row carries ``source_trouble``, ``checked``
    (the date) and, when someone holds it, ``hold``."""
    trouble = _source_trouble()
    rows = (
        Deployment.objects.published()
        .annotate(
            source_trouble=trouble,
            checked=checked_on_sql(),
            in_use=Case(
                When(status=DeploymentStatus.IN_USE, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .filter(Q(source_trouble=True) | stale_q(today=today))
        .select_related("state", "verification_hold__holder")
        .defer("area", "summary")
        .order_by(
            F("source_trouble").desc(),
            F("in_use").desc(),
            "checked",
            F("camera_count").desc(nulls_last=True),
            "id",
        )
    )
    return rows


def hold_of(deployment, *, now: datetime):
    """The hold on this deployment's item while it lasts, else None."""
    hold = getattr(deployment, "verification_hold", None)
    return hold if hold is not None and hold.expires_at > now else None


@transaction.atomic
def verification_hold_take(*, deployment_id, holder, now: datetime):
    """ "I'll check this": the item is ``holder``'s for ``VERIFICATION_HOLD_DAYS``. Refused
    while someone else's hold lasts; taking one's own again extends it."""
    deployment = Deployment.objects.select_for_update().filter(pk=deployment_id).first()
    if deployment is None or not deployment.is_published:
        raise ValidationError(_("This entry is not published."))
    hold = VerificationHold.objects.filter(deployment=deployment).first()
    if hold is not None and hold.expires_at > now and hold.holder_id != holder.pk:
        raise ValidationError(
            _("Someone else is checking this entry until %(day)s.")
            % {"day": timezone.localdate(hold.expires_at).isoformat()}
        )
    expires = now + timedelta(days=settings.VERIFICATION_HOLD_DAYS)
    hold, _created = VerificationHold.objects.update_or_create(
        deployment=deployment,
        defaults={"holder": holder, "taken_at": now, "expires_at": expires},
    )
    return hold


def verification_hold_release(*, deployment_id, holder):
    """Give an item back (only its holder can)."""
    VerificationHold.objects.filter(deployment_id=deployment_id, holder=holder).delete()


def live_sources(deployment):
    """The sources a deployment cites that can be checked against now (not broken)."""
    return (
        Source.objects.filter(citations__deployment=deployment)
        .exclude(health=SourceHealth.BROKEN)
        .order_by("title", "id")
    )


@transaction.atomic
def deployment_verify(*, deployment_id, actor, source_id, note="", today: date, contributor=None):
    """Record that ``actor`` re-checked the deployment against ``source_id``, a live source
    it cites: ``last_verified_on`` becomes ``today``, history says who, when and
    against what (``contributor``: the volunteer whose check a moderator approved).
    Open review items about its sources are closed, and any hold released.

    Refused (PermissionDenied) for anyone without ``permissions.VERIFY``; refused
    (ValidationError) for a source it does not cite, or one that is broken.
    """
    if not actor.has_perm(permissions.VERIFY):
        raise PermissionDenied(_("Only moderators record a verification."))
    deployment = Deployment.objects.select_for_update().filter(pk=deployment_id).first()
    if deployment is None or not deployment.is_published:
        raise ValidationError({"deployment": _("This entry is not published.")})
    source = Source.objects.filter(pk=source_id, citations__deployment=deployment).first()
    if source is None:
        raise ValidationError({"source": _("Choose a source this entry cites.")})
    if source.health == SourceHealth.BROKEN:
        raise ValidationError(
            {"source": _("This source is broken: check against a live one, or cite a new one.")}
        )
    note = " ".join((note or "").split())[:500]
    deployment.last_verified_on = today
    deployment._history_user = actor
    deployment._history_contributor = contributor
    # History's reasons are kept as written, in English like every other.
    reason = f"Re-checked against “{source.title}”"
    deployment._change_reason = f"{reason}: {note}" if note else reason
    deployment.save()
    ReviewItem.objects.filter(reviewed_at__isnull=True, citation__deployment=deployment).update(
        reviewed_at=timezone.now(), reviewed_by=actor
    )
    VerificationHold.objects.filter(deployment=deployment).delete()
    data_changed()
    return deployment
