"""Sending over real loopback servers: what counts as sent, as worth retrying, as final."""

from __future__ import annotations

import dataclasses
import shutil
import ssl
import subprocess
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from execdash.delivery.settings import SmtpSettings
from execdash.delivery.transport import DeliveryError, post_json, send_email
from tests.conftest import require
from tests.delivery.conftest import Mailbox, Receiver, free_port


def _message(to: str = "ceo@example.com") -> EmailMessage:
    message = EmailMessage()
    message["Subject"], message["From"], message["To"] = "Hello", "execdash@example.com", to
    message.set_content("body")
    return message


def test_email_reaches_the_smtp_server(smtp_server: tuple[Mailbox, SmtpSettings]) -> None:
    box, smtp = smtp_server
    detail = send_email(smtp, _message())
    assert "1 recipient" in detail
    assert box.envelopes == [("execdash@example.com", ["ceo@example.com"])]
    assert box.messages[0]["Subject"] == "Hello"


def test_a_451_is_transient_and_a_missing_host_is_not(
    smtp_server: tuple[Mailbox, SmtpSettings],
) -> None:
    box, smtp = smtp_server
    box.fail_next = 1
    with pytest.raises(DeliveryError, match="451") as caught:
        send_email(smtp, _message())
    assert caught.value.transient
    with pytest.raises(DeliveryError, match="EXECDASH_SMTP_HOST") as caught:
        send_email(SmtpSettings(), _message())
    assert not caught.value.transient


def test_a_refused_connection_is_transient_and_names_the_server() -> None:
    smtp = SmtpSettings(host="127.0.0.1", port=free_port(), security="none", timeout=2)
    with pytest.raises(DeliveryError, match=r"cannot reach 127\.0\.0\.1") as caught:
        send_email(smtp, _message())
    assert caught.value.transient


def test_starttls_against_a_server_without_it_is_a_permanent_error(
    smtp_server: tuple[Mailbox, SmtpSettings],
) -> None:
    _, smtp = smtp_server
    with pytest.raises(DeliveryError, match="STARTTLS") as caught:
        send_email(dataclasses.replace(smtp, security="starttls"), _message())
    assert not caught.value.transient


def test_webhook_statuses_decide_retry(receiver: Receiver) -> None:
    assert post_json(receiver.url, b"{}", {"X-A": "1"}, 5) == "HTTP 200"
    assert receiver.requests[0].headers["x-a"] == "1"
    assert receiver.requests[0].headers["content-type"] == "application/json"
    receiver.statuses.extend([503, 400, 302])
    with pytest.raises(DeliveryError, match="HTTP 503") as caught:
        post_json(receiver.url, b"{}", {}, 5)
    assert caught.value.transient
    with pytest.raises(DeliveryError, match="HTTP 400: receiver says no") as caught:
        post_json(receiver.url, b"{}", {}, 5)
    assert not caught.value.transient
    with pytest.raises(DeliveryError, match="HTTP 302") as caught:  # never followed
        post_json(receiver.url, b"{}", {}, 5)
    assert len(receiver.requests) == 4


def test_an_unreachable_url_is_transient() -> None:
    with pytest.raises(DeliveryError, match="cannot reach") as caught:
        post_json(f"http://127.0.0.1:{free_port()}/x", b"{}", {}, 2)
    assert caught.value.transient


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (the test's own CA file)."""
    require(shutil.which("openssl") is not None, "openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def _server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


def test_starttls_with_a_login_delivers_over_an_encrypted_connection(
    certificate: tuple[Path, Path],
) -> None:
    box = Mailbox()
    logins: list[tuple[bytes, bytes]] = []

    def check(
        _server: object, _session: object, _envelope: object, _mechanism: str, auth_data: Any
    ) -> AuthResult:
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"s3cret")

    port = free_port()
    controller = Controller(
        box,
        hostname="127.0.0.1",
        port=port,
        tls_context=_server_context(certificate),
        require_starttls=True,
        authenticator=check,
        auth_require_tls=True,
    )
    controller.start()
    try:
        smtp = SmtpSettings(
            host="127.0.0.1",
            port=port,
            security="starttls",
            username="dash",
            password="s3cret",
            timeout=5,
            ca_file=str(certificate[0]),
        )
        assert "1 recipient" in send_email(smtp, _message())
        assert logins == [(b"dash", b"s3cret")]
        with pytest.raises(DeliveryError, match="CERTIFICATE_VERIFY_FAILED"):
            send_email(dataclasses.replace(smtp, ca_file=None), _message())  # not a trusted CA
    finally:
        controller.stop()
    assert len(box.messages) == 1


def test_implicit_tls_delivers(certificate: tuple[Path, Path]) -> None:
    box = Mailbox()
    port = free_port()
    controller = Controller(
        box, hostname="127.0.0.1", port=port, ssl_context=_server_context(certificate)
    )
    controller.start()
    try:
        smtp = SmtpSettings(
            host="127.0.0.1", port=port, security="tls", timeout=5, ca_file=str(certificate[0])
        )
        assert "1 recipient" in send_email(smtp, _message())
    finally:
        controller.stop()
    assert box.messages[0]["Subject"] == "Hello"
