"""One application to many public authorities: a campaign makes a linked request per
authority, and reports how each answers.

Authorities are chosen by state, kind and level, or by hand (published ones
only), at most ``MAX_AUTHORITIES``. The requests are created in one transaction
through the model's save, so each is complete at once (its dates, its history)
like any other; they are published when a moderator creates the campaign. The
figures are the statistics' rule (``statistics.rti_authority_figures``) over the
campaign's requests, judged at read time like every other page.
"""

import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Q, Value, When
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..catalogue.visibility import public_rows
from ..models import Agency, Publication, RTICampaign, RTIRequest
from ..models.base import unique_slug
from .letters import Letter, letter_authority, letter_pdf
from .statistics import ROW_FIELDS, TIME_OVER, rti_authority_figures

MAX_AUTHORITIES = 500


def campaign_authorities(*, state="", kind="", level="", ids=()):
    """Published authorities matching every filter given (state, kind, level), plus the
    ones chosen by id."""
    rows = public_rows(Agency)
    chosen = Q(pk__in=[int(i) for i in ids]) if ids else Q(pk__in=[])
    filtered = Q()
    if state:
        filtered &= Q(state_id=state)
    if kind:
        filtered &= Q(kind=kind)
    if level:
        filtered &= Q(level=level)
    if not (state or kind or level):
        return rows.filter(chosen).order_by("name", "id")
    return rows.filter(filtered | chosen).order_by("name", "id")


@transaction.atomic
def rti_campaign_create(
    *,
    title: str,
    application_text: str,
    authorities,
    created_by,
    filed_by: str = "",
    publish: bool = True,
) -> RTICampaign:
    """The campaign and its requests, one per authority; raises ValidationError naming the
    field (``authorities``, ``title``, ``application_text``) and stores nothing then."""
    title, application_text = (title or "").strip(), (application_text or "").strip()
    errors = {}
    if not title:
        errors["title"] = [_("Give the campaign a title.")]
    if not application_text:
        errors["application_text"] = [_("Write the application the authorities will get.")]
    authorities = list(authorities[: MAX_AUTHORITIES + 1])
    if not authorities:
        errors["authorities"] = [_("Choose at least one public authority.")]
    elif len(authorities) > MAX_AUTHORITIES:
        errors["authorities"] = [
            _("A campaign may go to at most %(max)d authorities: narrow the choice.")
            % {"max": MAX_AUTHORITIES}
        ]
    if errors:
        raise ValidationError(errors)
    campaign = RTICampaign.objects.create(
        title=title[:300],
        slug=slugify(title)[:120] or "campaign",
        application_text=application_text,
        created_by=created_by,
    )
    publication = Publication.PUBLISHED if publish else Publication.DRAFT
    for agency in authorities:
        name = agency.short_name or agency.name
        request_title = f"{title} ({name})"[:300]
        rti_request = RTIRequest(
            title=request_title,
            slug=unique_slug(RTIRequest, request_title),
            authority=agency,
            application_text=application_text,
            campaign=campaign,
            owner=created_by,
            filed_by=filed_by,
            publication=publication,
        )
        rti_request._change_reason = _("Created by the campaign “%(title)s”") % {"title": title}
        rti_request.save()
    return campaign


def campaign_rows(campaign):
    """The campaign's published requests with their authority, in authority order."""
    return (
        campaign.requests.published().select_related("authority").order_by("authority__name", "id")
    )


def campaign_figures(campaign, *, today) -> dict:
    """Answered in time, late, deemed refused and the median days, over the campaign's
    published requests whose PIO's time is over (one query)."""
    rows = (
        campaign.requests.published()
        .exclude(replied_on__isnull=True, closed_on__isnull=False)
        .annotate(time_over=Case(When(TIME_OVER, then=Value(True)), default=Value(False)))
        .order_by()
        .values(*ROW_FIELDS)
    )
    return rti_authority_figures(list(rows), today=today)


# Every letter of a campaign, as one zip: built by a worker (a letter takes a fraction of a
# second to lay out, 500 take minutes), kept privately under a random name for an hour,
# and deleted once downloaded. The name is the capability: only who asked gets it.
ZIP_DIRECTORY = "letters"
ZIP_KEEP_SECONDS = 3600


def campaign_zip_path(token: str) -> Path:
    if not token.isalnum() or len(token) != 32:
        raise ValueError("not a letters token")
    return Path(settings.MEDIA_ROOT) / ZIP_DIRECTORY / f"{token}.zip"


def rti_campaign_letters_zip(*, campaign_id: int, token: str, letter: dict) -> int:
    """Write the zip of the campaign's letters (``letter``: the typed fields shared by all,
    as ``LetterForm`` cleans them); returns how many letters it holds."""
    campaign = RTICampaign.objects.get(pk=campaign_id)
    path = campaign_zip_path(token)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    count = 0
    lines = [line.strip() for line in campaign.application_text.splitlines() if line.strip()]
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as archive:
        for rti_request in campaign_rows(campaign):
            document = Letter(
                kind="application",
                questions=letter.get("questions") or lines,
                **letter_authority(rti_request.authority),
                **{k: v for k, v in letter.items() if k != "questions"},
            )
            name = slugify(rti_request.authority.name)[:60] or f"authority-{rti_request.pk}"
            archive.writestr(f"{count + 1:03d}-{name}.pdf", letter_pdf(document))
            count += 1
    partial.replace(path)
    return count


def rti_campaign_letters_delete(*, token: str) -> None:
    campaign_zip_path(token).unlink(missing_ok=True)
    campaign_zip_path(token).with_suffix(".part").unlink(missing_ok=True)
