"""Real servers on loopback for delivery tests: an SMTP server (aiosmtpd) and an HTTP receiver."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from execdash.delivery.settings import DeliverySettings, SmtpSettings


def free_port() -> int:
    """A TCP port nobody listens on right now (for 'connection refused' cases too)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Mailbox:
    """What the SMTP server accepted; `fail_next` makes it answer 451 that many times."""

    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    fail_next: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.fail_next > 0:
            self.fail_next -= 1
            return "451 Requested action aborted: local error in processing"
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Mailbox, SmtpSettings]]:
    """A real SMTP server on 127.0.0.1 (no TLS) and the settings that reach it."""
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield (
            box,
            SmtpSettings(
                host="127.0.0.1",
                port=port,
                security="none",
                sender="execdash@example.com",
                timeout=5,
            ),
        )
    finally:
        controller.stop()


@dataclass
class Received:
    """One request the HTTP receiver got."""

    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """An HTTP server on loopback that records POSTs and answers `statuses` in turn (then 200)."""

    url: str
    requests: list[Received]
    statuses: list[int]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A real HTTP receiver on 127.0.0.1."""
    got: list[Received] = []
    statuses: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            got.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            status = statuses.pop(0) if statuses else 200
            self.send_response(status)
            if status in (301, 302, 307):
                self.send_header("Location", "http://127.0.0.1:9/elsewhere")
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"ok" if status < 300 else b"receiver says no")

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Receiver(f"http://127.0.0.1:{server.server_address[1]}/hook", got, statuses)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


@pytest.fixture
def delivery_settings(smtp_server: tuple[Mailbox, SmtpSettings]) -> DeliverySettings:
    """Delivery settings pointing at the loopback SMTP server, with short timeouts."""
    return DeliverySettings(
        smtp=smtp_server[1], public_url="http://dash.example", webhook_timeout=5
    )
