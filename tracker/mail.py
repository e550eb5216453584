"""Outgoing e-mail: every mail the site sends is queued, and a Celery worker delivers it.

A web request never talks to the mail server, so a hung or refusing server
cannot hold a web worker or turn a saved decision or a sign-up into an error
page. ``mail_queue`` queues each message once the transaction that caused it
commits (a rolled-back decision sends nothing); the ``tracker.mail_send`` task
(``default`` queue) calls ``mail_deliver``, which waits at most
``EMAIL_TIMEOUT`` on each exchange with the server. While the server refuses,
hangs or answers 4xx the task retries with exponential backoff; a 5xx answer is
final. Errors and log lines name no address.
"""

import logging
import smtplib

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

MAIL_TASK = "tracker.mail_send"

log = logging.getLogger(__name__)


class MailDeferred(Exception):
    """The server could not take the mail now; it is worth trying again later."""


class MailRejected(Exception):
    """The server refused the mail for good (a 5xx answer)."""


def mail_queue(*, messages) -> int:
    """Queue Django ``EmailMessage``s for delivery once the current transaction commits.

    Returns how many were queued. A broker that cannot be reached is logged and
    never raised: the caller's work is already saved.
    """
    payloads = [_payload(message) for message in messages]
    if not payloads:
        return 0

    def send():
        try:
            with current_app.producer_or_acquire() as producer:
                for payload in payloads:
                    current_app.send_task(MAIL_TASK, args=[payload], producer=producer)
        except Exception:
            log.exception("%d mail(s) could not be queued", len(payloads))

    transaction.on_commit(send)
    return len(payloads)


def mail_deliver(payload: dict) -> None:
    """Send one queued message through ``EMAIL_BACKEND``.

    Raises ``MailDeferred`` when trying again may work (refused or dropped
    connection, timeout, 4xx) and ``MailRejected`` on a 5xx answer; neither
    carries an address.
    """
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload["from_email"],
        to=payload["to"],
        cc=payload["cc"],
        bcc=payload["bcc"],
        reply_to=payload["reply_to"],
        headers=payload["headers"],
        alternatives=[tuple(part) for part in payload["alternatives"]],
    )
    message.content_subtype = payload["content_subtype"]
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        raise _refusal(min(codes, default=0)) from None
    except smtplib.SMTPResponseException as error:
        raise _refusal(error.smtp_code) from None
    except OSError as error:  # refused, reset, timed out, TLS, disconnected
        raise MailDeferred(type(error).__name__) from None


def _refusal(code):
    kind = MailRejected if 500 <= code < 600 else MailDeferred
    return kind(f"the mail server answered {code}")


def _payload(message) -> dict:
    """The message as JSON for the queue (Celery carries JSON only)."""
    if message.attachments:
        raise ValueError("queued mail carries no attachments")
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email or settings.DEFAULT_FROM_EMAIL,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "content_subtype": message.content_subtype,
        "alternatives": [
            [str(content), mimetype]
            for content, mimetype in getattr(message, "alternatives", None) or []
        ],
    }
