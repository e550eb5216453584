"""The signature of a delivery (HMAC-SHA256 over the timestamp, a dot and the body), and the
check a receiver makes, as the README shows it."""

import hashlib
import hmac

import pytest

from tracker.webhooks.signing import signature, signature_header, signature_valid

SECRET = "a shared secret of some length"
BODY = b'{"id": "1", "kind": "published"}'


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body():
    expected = hmac.new(SECRET.encode(), b"1700000000." + BODY, hashlib.sha256).hexdigest()
    assert signature(SECRET, 1700000000, BODY) == expected
    assert signature_header(SECRET, 1700000000, BODY) == f"t=1700000000,v1={expected}"


@pytest.mark.parametrize(
    ("header", "body", "now", "valid"),
    [
        (signature_header(SECRET, 1000, BODY), BODY, 1000, True),
        (signature_header(SECRET, 1000, BODY), BODY, 1299, True),
        (signature_header(SECRET, 1000, BODY), BODY, 1301, False),  # too old: a replay
        (signature_header(SECRET, 1000, BODY), BODY + b" ", 1000, False),  # body changed
        (signature_header("another secret entirely", 1000, BODY), BODY, 1000, False),
        (signature_header(SECRET, 1000, BODY).replace("t=1000", "t=1001"), BODY, 1000, False),
        ("v1=abc", BODY, 1000, False),
        ("", BODY, 1000, False),
        ("t=x,v1=abc", BODY, 1000, False),
    ],
)
def test_a_receiver_accepts_only_a_fresh_matching_signature(header, body, now, valid):
    assert signature_valid(SECRET, header, body, now=now) is valid


def test_the_readme_shows_a_check_that_works():
    """The verification code in the README accepts our signature and refuses a forgery."""
    import re
    import time
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    [code] = re.findall(r"```python\n(def verified.*?|import hashlib.*?)```", readme, re.S)
    namespace = {}
    exec(code, namespace)  # noqa: S102 (our own README)
    now = int(time.time())
    header = signature_header(SECRET, now, BODY)
    assert namespace["verified"](SECRET, header, BODY) is True
    assert namespace["verified"](SECRET, header, BODY + b"x") is False
    assert namespace["verified"](SECRET, signature_header(SECRET, now - 600, BODY), BODY) is False
