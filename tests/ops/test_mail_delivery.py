"""Mail leaves through the Celery task, against a real SMTP server on loopback that
refuses, hangs, refuses recipients or accepts; the page that queued it never waits."""

import time

import pytest
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from moderation.models import Submission, SubmissionKind, SubmissionStatus
from tests.support import wait_for
from tests.support.pages import decision_post
from tests.support.people import PASSWORD, person, signed_in
from tests.support.servers import SmtpServer
from tracker.mail import MailDeferred, MailRejected, _payload, mail_deliver


@pytest.fixture
def smtp(settings):
    """A refusing SMTP server, and this process's mail settings pointed at it."""
    server = SmtpServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 0.5
    yield server
    server.close()


def a_message():
    message = EmailMultiAlternatives(
        "Your proposal", "Plain words.", "tracker@example.org", ["ravi@example.org"]
    )
    message.attach_alternative("<p>Plain words.</p>", "text/html")
    return _payload(message)


def test_each_failure_is_deferred_or_final_and_a_hang_lasts_one_timeout(smtp):
    with pytest.raises(MailDeferred, match="ConnectionRefusedError"):
        mail_deliver(a_message())

    smtp.listen(hanging=True)
    started = time.monotonic()
    with pytest.raises(MailDeferred):
        mail_deliver(a_message())
    assert time.monotonic() - started < 5  # EMAIL_TIMEOUT is 0.5 s
    assert smtp.hung == 1

    smtp.hanging = False
    smtp.rcpt_answer = "451 try again later"
    with pytest.raises(MailDeferred, match="451") as deferred:
        mail_deliver(a_message())
    smtp.rcpt_answer = "550 no such user"
    with pytest.raises(MailRejected, match="550") as rejected:
        mail_deliver(a_message())
    for error in (deferred.value, rejected.value):  # logged by Celery: no address
        assert "@" not in str(error) and error.__cause__ is None and error.__suppress_context__

    smtp.rcpt_answer = None
    mail_deliver(a_message())
    [delivered] = smtp.messages
    assert delivered["To"] == "ravi@example.org" and delivered["Subject"] == "Your proposal"
    html = delivered.get_body(("html",)).get_content()
    assert "<p>Plain words.</p>" in html
    assert delivered.get_body(("plain",)).get_content().strip() == "Plain words."


@pytest.mark.celery_worker
def test_sign_up_and_decision_pages_succeed_and_the_worker_delivers_through_refusal_and_hang(
    smtp, celery_worker_process
):
    """This process's own mail settings point at the same server: had a page tried to
    send, it would have failed or hung."""
    moderator = person("asha", "Asha", Role.MODERATOR)
    volunteer = person("ravi", "Ravi", Role.VOLUNTEER, email="ravi.private@example.org")
    worker = celery_worker_process(
        env={"EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}", "EMAIL_TIMEOUT": "1"}
    )

    def retries():
        return [
            line
            for line in list(worker.output_lines)
            if '"task": "tracker.mail_send"' in line and '"state": "RETRY"' in line
        ]

    # The server refuses connections: the sign-up still succeeds at once.
    started = time.monotonic()
    response = Client().post(
        "/accounts/signup/",  # (reverse() would follow a language an earlier test left active)
        {
            "email": "new.volunteer@example.org",
            "display_name": "Kiran",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302 and time.monotonic() - started < 5
    wait_for(lambda: retries(), "the worker to retry a refused connection", timeout=60)

    # The server accepts connections and never greets: the decision still succeeds at once.
    smtp.listen(hanging=True)
    submission = Submission.objects.create(
        volunteer=volunteer,
        kind=SubmissionKind.NEW,
        entity_type="deployment",
        data={"title": "Station cameras"},
        sources=[{"url": "https://news.example.org/a", "title": "A"}],
        status=SubmissionStatus.PENDING,
    )
    started = time.monotonic()
    response = signed_in(moderator).post(
        reverse("moderation:review", args=[submission.pk]),
        decision_post(submission, "reject", "No source names the place."),
    )
    assert response.status_code == 302 and time.monotonic() - started < 5
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.REJECTED
    wait_for(lambda: smtp.hung_closed >= 1, "the worker to give up on a silent server", timeout=60)

    # The server answers: both mails arrive, each once.
    smtp.hanging = False
    wait_for(lambda: len(smtp.messages) >= 2, "both mails to be delivered", timeout=60)
    by_recipient = {m["To"]: m for m in smtp.messages}
    assert len(smtp.messages) == 2
    assert "Confirm your e-mail address" in by_recipient["new.volunteer@example.org"]["Subject"]
    decision = by_recipient["ravi.private@example.org"]
    assert "No source names the place." in decision.get_body(("plain",)).get_content()
    assert len(retries()) >= 2  # at least the refusal and the hang
