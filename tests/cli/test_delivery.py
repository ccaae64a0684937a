"""`execdash digest`, `recipients` and `channels`: preview, send, manage, test — no tracebacks."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from execdash.cli import app
from tests.delivery.conftest import Mailbox, Receiver, SmtpSettings, receiver, smtp_server

__all__ = ["receiver", "smtp_server"]  # loopback servers of tests/delivery


@pytest.fixture
def runner(
    monkeypatch: pytest.MonkeyPatch, demo_engine: Engine, smtp_server: tuple[Mailbox, SmtpSettings]
) -> CliRunner:
    _, smtp = smtp_server
    monkeypatch.setenv("EXECDASH_DATABASE_URL", str(demo_engine.url))
    monkeypatch.setenv("EXECDASH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("EXECDASH_SMTP_PORT", str(smtp.port))
    monkeypatch.setenv("EXECDASH_SMTP_SECURITY", "none")
    return CliRunner()


def test_preview_writes_the_digest_with_its_charts(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "d.html"
    result = runner.invoke(app, ["digest", "preview", "--role", "cfo", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Weekly digest · Nov 2025 – Oct 2026 · Revenue £9.0M ▲ +40.3%" in result.stdout
    page = out.read_text()
    assert page.count("data:image/png;base64,") == 2
    assert "Key figures" in page


def test_send_mails_a_recipient_once_per_period(
    runner: CliRunner, smtp_server: tuple[Mailbox, SmtpSettings]
) -> None:
    box, _ = smtp_server
    added = runner.invoke(app, ["recipients", "add", "Carla", "cfo@example.com", "--role", "cfo"])
    assert added.exit_code == 0, added.output
    sent = runner.invoke(app, ["digest", "send", "--to", "cfo@example.com"])
    assert sent.exit_code == 0, sent.output
    assert ": sent — accepted by 127.0.0.1" in sent.stdout
    again = runner.invoke(app, ["digest", "send", "--to", "Carla"])
    assert again.exit_code == 1
    assert "already has this period's digest" in again.output
    forced = runner.invoke(app, ["digest", "send", "--to", "cfo@example.com", "--again"])
    assert forced.exit_code == 0, forced.output
    assert [to for _, (to,) in box.envelopes] == ["cfo@example.com"] * 2
    listed = runner.invoke(app, ["recipients", "list"])
    assert "cfo@example.com" in listed.stdout


def test_a_failed_send_says_why_and_exits_1(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner.invoke(app, ["recipients", "add", "Dana", "ceo@example.com"])
    monkeypatch.setenv("EXECDASH_SMTP_PORT", "9")  # nothing listens on the discard port
    result = runner.invoke(app, ["digest", "send", "--to", "ceo@example.com"])
    assert result.exit_code == 1
    assert "retry — cannot reach 127.0.0.1:9" in result.stdout


def test_channels_are_added_tested_and_removed(runner: CliRunner, receiver: Receiver) -> None:
    made = runner.invoke(
        app, ["channels", "add", "erp", "--kind", "webhook", "--target", receiver.url]
    )
    assert made.exit_code == 0, made.output
    assert "signing secret (shown once" in made.stdout
    tested = runner.invoke(app, ["channels", "test", "erp"])
    assert tested.exit_code == 0, tested.output
    assert "sent — HTTP 200" in tested.stdout
    assert len(receiver.requests) == 1
    assert "http://127.0.0.1" in runner.invoke(app, ["channels", "list"]).stdout
    assert runner.invoke(app, ["channels", "remove", "erp"]).exit_code == 0
    missing = runner.invoke(app, ["channels", "test", "erp"])
    assert missing.exit_code == 1
    assert "no channel 'erp'" in missing.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["channels", "add", "x", "--kind", "fax", "--target", "a"], "kind 'fax' is not one of"),
        (["channels", "add", "x", "--kind", "slack", "--target", "ftp://a"], "http:// or https://"),
        (["recipients", "add", "x", "not-mail"], "'not-mail' is not an email address"),
        (["digest", "preview", "--role", "cto"], "--role 'cto' is not one of"),
        (["digest", "send", "--to", "nobody@example.com"], "no digest recipient"),
    ],
)
def test_bad_input_is_named_without_a_traceback(
    runner: CliRunner, args: list[str], message: str
) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code in (1, 2)
    assert message in result.output
    assert "Traceback" not in result.output
