"""https sources: the certificate is verified against the host name in the URL."""

import shutil
import ssl
import subprocess

import pytest

from tests.support.servers import Reply
from tracker.checking.fetch import FetchError, fetch

pytestmark = pytest.mark.skipif(not shutil.which("openssl"), reason="needs the openssl tool")


@pytest.fixture
def tls_site(make_site, settings, tmp_path):
    """The local site, served over TLS with a fresh self-signed certificate for 127.0.0.1."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    site = make_site("127.0.0.1")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    site.server.socket = context.wrap_socket(site.server.socket, server_side=True)
    site.routes["/story"] = Reply(body=b"<p>over TLS</p>")
    settings.FETCH_ALLOW_HOSTS = ["127.0.0.1"]
    site.cert = cert
    return site


def test_an_untrusted_certificate_is_refused(tls_site):
    with pytest.raises(FetchError, match="TLS failed"):
        fetch(f"https://127.0.0.1:{tls_site.port}/story")
    assert tls_site.requests == []


def test_a_trusted_certificate_is_fetched(tls_site, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_site.cert))
    result = fetch(f"https://127.0.0.1:{tls_site.port}/story")
    assert (result.status, result.body) == (200, b"<p>over TLS</p>")
