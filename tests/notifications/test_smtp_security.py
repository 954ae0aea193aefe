"""The production paths to the mail server: STARTTLS with a sign-in, and TLS from the first byte,
with the server's certificate verified (a test CA the process trusts through SSL_CERT_FILE)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.notifications.conftest import Sink, _free_port, book, deliver


def _certificate(tmp_path: Any) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1 / localhost: (cert path, key path)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.DNSName("localhost"),
                    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                ]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_path), str(key_path)


class Accounts:
    """The server's one account: bookme / s3cret."""

    def __call__(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            b"bookme",
            b"s3cret",
        )
        return AuthResult(success=ok, handled=False)


@pytest.fixture
def tls_files(tmp_path, monkeypatch) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    cert, key = _certificate(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", cert)  # the client trusts the test certificate only
    return cert, key


@pytest.fixture
def secure_server(tls_files, request) -> Iterator[tuple[Sink, int]]:  # type: ignore[no-untyped-def]
    cert, key = tls_files
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    sink, port = Sink(), _free_port()
    if request.param == "starttls":
        controller = Controller(
            sink,
            hostname="127.0.0.1",
            port=port,
            tls_context=context,
            require_starttls=True,
            auth_required=True,
            authenticator=Accounts(),
        )
    else:
        controller = Controller(sink, hostname="127.0.0.1", port=port, ssl_context=context)
    controller.start()
    yield sink, port
    controller.stop()


@pytest.mark.parametrize("secure_server", ["starttls"], indirect=True)
def test_starttls_with_a_sign_in_delivers(mail_app, secure_server, bank, clock):
    sink, port = secure_server
    mail_app.config.update(
        BOOKME_SMTP_HOST="localhost",
        BOOKME_SMTP_PORT=port,
        BOOKME_SMTP_SECURITY="starttls",
        BOOKME_SMTP_USER="bookme",
        BOOKME_SMTP_PASSWORD="s3cret",
    )
    book(bank, clock, customer_email="")
    assert deliver(clock).delivered == 1
    assert len(sink.messages) == 1


@pytest.mark.parametrize("secure_server", ["starttls"], indirect=True)
def test_a_wrong_password_is_retried_not_buried(mail_app, secure_server, bank, clock):
    sink, port = secure_server
    mail_app.config.update(
        BOOKME_SMTP_HOST="localhost",
        BOOKME_SMTP_PORT=port,
        BOOKME_SMTP_SECURITY="starttls",
        BOOKME_SMTP_USER="bookme",
        BOOKME_SMTP_PASSWORD="wrong",
    )
    book(bank, clock, customer_email="")
    result = deliver(clock)
    assert (result.failed, result.dead) == (1, 0) and sink.messages == []


@pytest.mark.parametrize("secure_server", ["tls"], indirect=True)
def test_tls_from_the_first_byte_delivers(mail_app, secure_server, bank, clock):
    sink, port = secure_server
    mail_app.config.update(
        BOOKME_SMTP_HOST="localhost", BOOKME_SMTP_PORT=port, BOOKME_SMTP_SECURITY="tls"
    )
    book(bank, clock, customer_email="")
    assert deliver(clock).delivered == 1
    assert len(sink.messages) == 1


@pytest.mark.parametrize("secure_server", ["tls"], indirect=True)
def test_an_untrusted_certificate_is_refused(mail_app, secure_server, bank, clock, monkeypatch):
    sink, port = secure_server
    monkeypatch.delenv("SSL_CERT_FILE")  # the system's CAs do not know the test certificate
    mail_app.config.update(
        BOOKME_SMTP_HOST="localhost", BOOKME_SMTP_PORT=port, BOOKME_SMTP_SECURITY="tls"
    )
    book(bank, clock, customer_email="")
    assert deliver(clock).failed == 1 and sink.messages == []
