"""Finding 6: password-reset and e-mail-confirmation keys never reach a log line."""

import json
import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.test import Client
from gunicorn.config import Config

from accounts.roles import Role
from config.logging import GunicornLogger
from tests.support.people import person

pytestmark = pytest.mark.django_db


def logged_text(caplog):
    return "\n".join(
        f"{record.getMessage()} {json.dumps(getattr(record, 'event', {}))}"
        for record in caplog.records
    )


def test_a_password_reset_key_is_not_logged(caplog):
    user = person("ravi", "Ravi", Role.VOLUNTEER, email="ravi@example.org")
    key = default_token_generator.make_token(user)
    uid = user_pk_to_url_str(user)
    with caplog.at_level(logging.INFO, logger="panoptic.request"):
        response = Client().get(f"/accounts/password/reset/key/{uid}-{key}/")
    assert response.status_code == 302  # allauth moves the key into the session
    text = logged_text(caplog)
    assert "/accounts/password/reset/key/[secret]" in text
    assert key not in text


def test_an_email_confirmation_key_is_not_logged(caplog):
    user = person("ravi", "Ravi", Role.VOLUNTEER, email="ravi@example.org")
    address = EmailAddress.objects.create(user=user, email="second@example.org")
    key = EmailConfirmationHMAC(address).key
    with caplog.at_level(logging.INFO, logger="panoptic.request"):
        assert Client().get(f"/accounts/confirm-email/{key}/").status_code == 200
    text = logged_text(caplog)
    assert "/accounts/confirm-email/[secret]" in text
    assert key not in text


def test_gunicorns_access_line_hides_the_key_too(capsys):
    cfg = Config()
    cfg.set("accesslog", "-")
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/accounts/confirm-email/MQ:1v:abc/"}
    GunicornLogger(cfg).access(
        SimpleNamespace(status="200 OK", sent=1), None, environ, timedelta(milliseconds=1)
    )
    line = capsys.readouterr().out
    assert json.loads(line)["path"] == "/accounts/confirm-email/[secret]/"
    assert "abc" not in line
