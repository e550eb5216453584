"""The daily reminders: the filer and the moderators hear a few days before an appeal
window closes, and webhooks hear of requests the calendar made deemed refused.

The job only sends notices: nothing about a request's state is stored by it
(what depends on today is computed at read time, see ``tracker.models.rti``).
Run it as often as you like: each notice is recorded (``RTIReminder``, one per
deadline) in the transaction whose commit sends it, so a second run on the
same day sends nothing; the mail task retries a mail server that cannot take
them yet.
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from .. import permissions
from ..catalogue.links import detail_url
from ..mail import mail_queue
from ..models import RTIReminder, RTIRequest
from ..webhooks.events import rti_announce
from .deadlines import PENDING
from .lifecycle import rti_request_schedule

# A deemed refusal older than this when the job first sees it is not news any more.
DEEMED_REFUSAL_NEWS_DAYS = 7

REMINDED_DEADLINES = ("first_appeal", "second_appeal")


def rti_requests_chase(*, today: date) -> dict:
    """Send the reminders due on ``today`` (an India date): ``{"reminders": mails queued}``."""
    window_end = today + timedelta(days=settings.RTI_REMINDER_DAYS)
    moderators = moderator_addresses()
    due_soon = Q(
        first_appeal_filed_on__isnull=True, first_appeal_due_on__range=(today, window_end)
    ) | Q(second_appeal_filed_on__isnull=True, second_appeal_due_on__range=(today, window_end))
    candidates = (
        RTIRequest.objects.filter(due_soon, closed_on__isnull=True)
        .select_related("owner")
        .order_by("pk")
    )
    reminders = 0
    for rti_request in candidates.iterator(chunk_size=500):
        reminders += rti_reminders_send(rti_request=rti_request, today=today, moderators=moderators)
    return {"reminders": reminders, "deemed_refused": rti_deemed_refusals_announce(today=today)}


def rti_deemed_refusals_announce(*, today: date) -> list[int]:
    """Tell webhooks, once, of each published request deemed refused (s.7(2)) in the last
    ``DEEMED_REFUSAL_NEWS_DAYS`` up to ``today``: a status the calendar gives, which no
    event announces. Returns the requests announced."""
    since = today - timedelta(days=DEEMED_REFUSAL_NEWS_DAYS)
    refused = (
        RTIRequest.objects.published()
        .filter(deemed_refused=True, deemed_refused_from__date__gte=since)
        .order_by("pk")
    )
    announced = []
    for rti_request in refused.iterator(chunk_size=500):
        with transaction.atomic():
            _notice, created = RTIReminder.objects.get_or_create(
                rti_request=rti_request,
                deadline="deemed_refused",
                due_on=rti_request.decision_due_on or today,
                defaults={"sent_on": today},
            )
            if created:
                rti_announce(rti_request=rti_request, status=rti_request.status)
                announced.append(rti_request.pk)
    return announced


def rti_reminders_send(*, rti_request: RTIRequest, today: date, moderators=None) -> int:
    """E-mail each appeal deadline due within RTI_REMINDER_DAYS, once; returns mails queued."""
    schedule = rti_request_schedule(rti_request, today=today)
    window_end = today + timedelta(days=settings.RTI_REMINDER_DAYS)
    sent = 0
    for key in REMINDED_DEADLINES:
        deadline = schedule.get(key)
        if deadline is None or deadline.state != PENDING or not today <= deadline.due <= window_end:
            continue
        with transaction.atomic():
            reminder, created = RTIReminder.objects.get_or_create(
                rti_request=rti_request,
                deadline=key,
                due_on=deadline.due,
                defaults={"sent_on": today},
            )
            if not created:
                continue
            recipients = reminder_recipients(rti_request, moderators=moderators)
            messages = [_reminder_message(rti_request, deadline, address) for address in recipients]
            mail_queue(messages=messages)
            reminder.recipients = len(messages)
            reminder.save(update_fields=["recipients"])
            sent += len(messages)
    return sent


def moderator_addresses() -> list[str]:
    """The addresses of active accounts holding RTI_REMINDERS (the moderators' role grants
    it), as ``has_perm`` would decide."""
    users = get_user_model().objects.with_perm(
        permissions.RTI_REMINDERS, backend="django.contrib.auth.backends.ModelBackend"
    )
    return list(users.exclude(email="").values_list("email", flat=True).distinct())


def reminder_recipients(rti_request: RTIRequest, *, moderators=None) -> list[str]:
    """The moderators' and the filer's addresses (each gets a mail of their own)."""
    addresses = list(moderator_addresses() if moderators is None else moderators)
    owner = rti_request.owner
    if owner is not None and owner.is_active and owner.email:
        addresses.append(owner.email)
    return sorted(set(addresses))


def _reminder_message(rti_request, deadline, address):
    subject = _("RTI reminder: %(what)s by %(due)s: %(title)s") % {
        "what": deadline.label,
        "due": deadline.due.isoformat(),
        "title": rti_request.title[:120],
    }
    body = _(
        "%(what)s: %(due)s (RTI Act 2005, section %(section)s).\n\n"
        "Request: %(title)s\nReference: %(reference)s\n%(url)s\n"
    ) % {
        "what": deadline.label,
        "due": deadline.due.isoformat(),
        "section": deadline.section,
        "title": rti_request.title,
        "reference": rti_request.reference_number or "-",
        "url": settings.SITE_URL + detail_url(rti_request),
    }
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
