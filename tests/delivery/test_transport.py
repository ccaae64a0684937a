"""Sending over real loopback servers: what counts as sent, as worth retrying, as final."""

from __future__ import annotations

import dataclasses
from email.message import EmailMessage

import pytest

from execdash.delivery.settings import SmtpSettings
from execdash.delivery.transport import DeliveryError, post_json, send_email
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
