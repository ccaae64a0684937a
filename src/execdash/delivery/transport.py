"""Sending one message: SMTP (stdlib `smtplib`) and HTTP POST (stdlib `urllib`), with a verdict.

Each function returns a short detail on success ("250 accepted", "HTTP 200") and raises
`DeliveryError` otherwise, saying whether trying again later can help (`transient`): a refused
connection, a timeout, SMTP 4xx, HTTP 408/429/5xx are transient; bad credentials, SMTP 5xx and
other HTTP 4xx are not.
"""

from __future__ import annotations

import smtplib
import ssl
import urllib.error
import urllib.request
from email.message import EmailMessage

from execdash.delivery.settings import SmtpSettings

TRANSIENT_HTTP = frozenset({408, 425, 429, 500, 502, 503, 504})


class DeliveryError(Exception):
    """A message could not be delivered; `transient` when a later attempt may succeed."""

    def __init__(self, message: str, *, transient: bool) -> None:
        super().__init__(message)
        self.transient = transient


def _tls_context(smtp: SmtpSettings) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=smtp.ca_file)


def send_email(smtp: SmtpSettings, message: EmailMessage) -> str:
    """Send `message` through the configured server; the detail names the accepted recipients."""
    if not smtp.host:
        raise DeliveryError("email is not configured: set EXECDASH_SMTP_HOST", transient=False)
    where = f"{smtp.host}:{smtp.port}"
    try:
        client: smtplib.SMTP
        if smtp.security == "tls":
            client = smtplib.SMTP_SSL(
                smtp.host, smtp.port, timeout=smtp.timeout, context=_tls_context(smtp)
            )
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
        with client:
            if smtp.security == "starttls":
                client.starttls(context=_tls_context(smtp))
            if smtp.username:
                client.login(smtp.username, smtp.password or "")
            refused = client.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(
            f"{where} refused the credentials: {_reply(exc)}", transient=False
        ) from None
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        raise DeliveryError(
            f"{where} refused every recipient: {_refusals(exc.recipients)}",
            transient=all(400 <= code < 500 for code in codes),
        ) from None
    except smtplib.SMTPNotSupportedError as exc:
        raise DeliveryError(f"{where} does not support {exc}", transient=False) from None
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(
            f"{where} answered {_reply(exc)}", transient=400 <= exc.smtp_code < 500
        ) from None
    except (OSError, smtplib.SMTPException) as exc:  # refused, timed out, TLS failed, dropped
        raise DeliveryError(
            f"cannot reach {where}: {exc or type(exc).__name__}", transient=True
        ) from None
    accepted = len(_addresses(message)) - len(refused)
    note = f"; refused {_refusals(refused)}" if refused else ""
    return f"accepted by {where} for {accepted} recipient(s){note}"


def _addresses(message: EmailMessage) -> list[str]:
    return [a for header in ("To", "Cc", "Bcc") for a in message.get_all(header, [])]


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else ""
    return f"{exc.smtp_code} {text}".strip()


def _refusals(refused: dict[str, tuple[int, bytes]]) -> str:
    return ", ".join(
        f"{who} ({code} {text.decode(errors='replace')})" for who, (code, text) in refused.items()
    )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is reported, never followed: the body must reach the URL that was set."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def post_json(url: str, body: bytes, headers: dict[str, str], timeout: float) -> str:
    """POST `body` as JSON to `url`; 2xx is success."""
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked when a channel is saved
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "execdash", **headers},
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return f"HTTP {response.status}"
    except urllib.error.HTTPError as exc:
        status = exc.code
        text = exc.read(200).decode(errors="replace").strip()
        raise DeliveryError(
            f"{url} answered HTTP {status}{': ' + text if text else ''}",
            transient=status in TRANSIENT_HTTP,
        ) from None
    except (TimeoutError, urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DeliveryError(f"cannot reach {url}: {reason}", transient=True) from None
