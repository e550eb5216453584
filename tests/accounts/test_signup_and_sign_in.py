"""Sign-up with e-mail confirmation, sign-in, password reset, and their abuse limits."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from accounts.roles import is_moderator, is_volunteer
from tests.support.people import PASSWORD, person

pytestmark = pytest.mark.django_db
User = get_user_model()


def sign_up(client, email="new.volunteer@example.org", name="Kiran", **extra):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "display_name": name,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "fax_number": "",
            **extra,
        },
    )


def confirmation_link(message):
    return re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)


def test_sign_up_sends_a_confirmation_and_confirming_makes_a_volunteer(mail_delivered):
    client = Client()
    with mail_delivered() as outbox:
        response = sign_up(client)
    assert response.status_code == 302
    user = User.objects.get(email="new.volunteer@example.org")
    assert user.first_name == "Kiran"
    assert "new.volunteer" not in user.username  # nothing derived from the e-mail
    assert not is_volunteer(user)
    assert len(outbox) == 1 and outbox[0].to == ["new.volunteer@example.org"]
    assert "Confirm your e-mail address" in outbox[0].subject
    link = confirmation_link(outbox[0])
    path = link.split("testserver", 1)[1]
    assert client.get(path).status_code == 200  # a page with a button: links are not clicked
    client.post(path)
    user = User.objects.get(pk=user.pk)
    assert is_volunteer(user) and not is_moderator(user)
    assert EmailAddress.objects.get(user=user).verified


def test_an_unconfirmed_account_cannot_sign_in():
    client = Client()
    sign_up(client)
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "new.volunteer@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "confirm-email" in response["Location"]
    assert not client.get(reverse("moderation:submit")).status_code == 200


def test_the_honeypot_refuses_a_bot_sign_up(mail_delivered):
    with mail_delivered() as outbox:
        response = sign_up(Client(), fax_number="+91 22 5555 0000")
    assert response.status_code == 200
    assert not User.objects.filter(email="new.volunteer@example.org").exists()
    assert outbox == []


def test_a_display_name_cannot_be_an_email_address():
    response = sign_up(Client(), name="me@example.org")
    assert "cannot contain an e-mail address" in response.content.decode()
    assert not User.objects.exists()


def test_sign_ups_are_throttled_per_client(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/h/ip"}
    for n in range(3):
        response = sign_up(Client(), email=f"v{n}@example.org")
    assert response.status_code == 429
    assert User.objects.count() == 2


def test_failed_sign_ins_are_throttled(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/ip"}
    person("ravi", "Ravi", email="ravi@example.org")
    client = Client()
    for _ in range(3):
        client.post(reverse("account_login"), {"login": "ravi@example.org", "password": "wrong"})
    response = client.post(
        reverse("account_login"), {"login": "ravi@example.org", "password": PASSWORD}
    )
    # Even the right password waits now; the page says how long, in the error summary.
    page = response.content.decode()
    assert "Too many failed sign-in attempts. Try again in 1 minute." in page
    summary = page[page.index('class="error-summary"') : page.index("</main>")]
    assert 'role="alert"' in summary and "Try again in 1 minute" in summary
    assert "<title>Error: Sign in" in page
    assert "_auth_user_id" not in client.session


def test_the_wait_after_failed_sign_ins_counts_from_the_attempt_that_must_expire(settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed": "100/m/ip,3/10m/key",
    }
    person("ravi", "Ravi", email="ravi@example.org")
    client = Client()
    for _ in range(3):
        client.post(reverse("account_login"), {"login": "ravi@example.org", "password": "wrong"})
    page = client.post(
        reverse("account_login"), {"login": "ravi@example.org", "password": "wrong"}
    ).content.decode()
    assert "Try again in 10 minutes." in page


def test_a_moderator_signs_in_on_the_site_not_the_admin(moderator):
    client = Client()
    response = client.get(reverse("moderation:queue"))
    assert response["Location"].startswith("/accounts/login/?next=/moderation/")
    response = client.post(
        reverse("account_login"),
        {"login": "asha.private@example.org", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert client.get(reverse("moderation:queue")).status_code == 200
    assert not moderator.is_staff


def test_password_reset_sends_a_link_that_works(mail_delivered):
    person("ravi", "Ravi", email="ravi@example.org")
    client = Client()
    with mail_delivered() as outbox:
        client.post(reverse("account_reset_password"), {"email": "ravi@example.org"})
    assert len(outbox) == 1 and "Reset your password" in outbox[0].subject
    link = re.search(r"https?://testserver(\S+)", outbox[0].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    new = "another long passphrase 7"
    client.post(form_url, {"password1": new, "password2": new})
    assert Client().login(username="ravi", password=new)


def test_sign_up_and_e_mails_are_in_hindi_at_hi(mail_delivered):
    client = Client()
    page = client.get("/hi/accounts/signup/").content.decode()
    assert "स्वयंसेवक के रूप में साइन अप करें" in page  # "Sign up as a volunteer"
    with mail_delivered() as outbox:
        client.post(
            "/hi/accounts/signup/",
            {
                "email": "hindi@example.org",
                "display_name": "अनु",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    assert outbox[0].subject.endswith("अपने ई-मेल पते की पुष्टि करें")
    assert "पुष्टि के लिए यह लिंक खोलें" in outbox[0].body
    assert "/hi/accounts/confirm-email/" in outbox[0].body


def test_moderation_pages_are_in_hindi_at_hi(moderator):
    from tests.support.people import signed_in

    page = signed_in(moderator).get("/hi/moderation/").content.decode()
    assert "समीक्षा कतार" in page  # "Review queue"
