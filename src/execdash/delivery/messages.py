"""What each channel receives for an alert or a test: an email, a Slack message, signed JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from execdash.delivery import signing
from execdash.delivery.settings import DeliverySettings

SEVERITY_MARK = {"high": ":red_circle:", "medium": ":large_orange_circle:", "low": ":white_circle:"}
EVENT_WORDS = {
    "alert.created": "New alert",
    "alert.updated": "Alert updated",
    "test": "Test message",
}


@dataclass(frozen=True, slots=True)
class Channel:
    """A delivery channel as the worker needs it."""

    id: int
    name: str
    kind: str
    target: str
    secret: str | None


def headline(payload: dict[str, Any]) -> str:
    """'New alert (high): Uptime below 99.5%' or 'Test message from execdash'."""
    if payload["event"] == "test":
        return f"Test message from execdash to {payload['channel']}"
    alert = payload["alert"]
    words = EVENT_WORDS.get(payload["event"], "Alert")
    return f"{words} ({alert.get('severity') or 'unrated'}): {alert['title']}"


def _lines(payload: dict[str, Any]) -> list[str]:
    if payload["event"] == "test":
        who = payload.get("requested_by") or "someone"
        return [f"{who} asked execdash to check this channel. Nothing needs doing."]
    alert = payload["alert"]
    lines = [alert.get("description") or "(no description)"]
    lines.append(
        f"Type: {alert['type']} · Severity: {alert.get('severity') or 'unrated'}"
        f" · State: {alert.get('status') or 'open'}"
    )
    return lines


def email(payload: dict[str, Any], to: list[str], settings: DeliverySettings) -> EmailMessage:
    """A plain-text and HTML email for an alert or a test."""
    message = EmailMessage()
    message["Subject"] = headline(payload)
    message["From"] = settings.smtp.sender
    message["To"] = ", ".join(to)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain="execdash")
    link = payload.get("url")
    text = "\n\n".join([*_lines(payload), *([f"Open: {link}"] if link else [])])
    message.set_content(text)
    from html import escape

    body = "".join(f"<p>{escape(line)}</p>" for line in _lines(payload))
    if link:
        body += f'<p><a href="{escape(link)}">Open in execdash</a></p>'
    message.add_alternative(
        f'<!doctype html><html><body style="font-family:sans-serif">'
        f"<h2>{escape(headline(payload))}</h2>{body}</body></html>",
        subtype="html",
    )
    return message


def slack(payload: dict[str, Any]) -> bytes:
    """Slack incoming-webhook JSON: `text` (notifications, fallbacks) plus blocks."""
    title = headline(payload)
    mark = SEVERITY_MARK.get((payload.get("alert") or {}).get("severity") or "", ":bell:")
    body = "\n".join(_lines(payload))
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"{mark} *{_slack_escape(title)}*"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": _slack_escape(body)}},
    ]
    if payload.get("url"):
        blocks.append(
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": f"<{payload['url']}|Open in execdash>"}],
            }
        )
    return json.dumps({"text": title, "blocks": blocks}, ensure_ascii=False).encode()


def _slack_escape(text: str) -> str:
    """Slack's three control characters, escaped as its docs ask."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def generic(payload: dict[str, Any], delivery_id: int) -> bytes:
    """The generic webhook's JSON: the event, the delivery's id (for idempotency) and the data."""
    data = {k: v for k, v in payload.items() if k != "event"}
    return json.dumps(
        {"event": payload["event"], "delivery_id": delivery_id, "data": data},
        ensure_ascii=False,
        sort_keys=True,
    ).encode()


def generic_headers(channel: Channel, body: bytes, delivery_id: int) -> dict[str, str]:
    """The signature, timestamp and delivery-id headers of a generic webhook request."""
    headers = {signing.DELIVERY_HEADER: str(delivery_id)}
    if channel.secret:
        headers.update(signing.signed_headers(channel.secret, body))
    return headers
