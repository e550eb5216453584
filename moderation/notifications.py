"""E-mails to volunteers about their submissions, in the language they wrote in."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tracker.catalogue.links import detail_url
from tracker.mail import mail_queue


def decision_send(*, submission, base_url="", entity=None):
    """Tell the volunteer what a moderator decided, with the moderator's note (and, once
    approved, where the published ``entity`` is), once the decision commits."""
    volunteer = submission.volunteer
    if not volunteer.email:
        return
    with translation.override(submission.language or settings.LANGUAGE_CODE):
        context = {
            "submission": submission,
            "display_name": volunteer.first_name,
            "url": base_url + reverse("moderation:my-submission", args=[submission.pk]),
            "entry_url": base_url + detail_url(entity) if entity is not None else "",
        }
        subject = render_to_string("moderation/email/decision_subject.txt", context).strip()
        body = render_to_string("moderation/email/decision_message.txt", context)
    mail_queue(messages=[EmailMessage(" ".join(subject.split()), body, to=[volunteer.email])])
