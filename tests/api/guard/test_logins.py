"""Login throttling: growing waits per account and address, same answer for every name, and a
bound on how many argon2 hashes run at once."""

from __future__ import annotations

import asyncio
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from execdash.api import accounts
from execdash.api.accounts import add_user
from execdash.api.guard.logins import HashingBusy, LoginGuard, LoginThrottled
from tests.api.conftest import PASSWORD


@pytest.fixture
def eddie(engine: Engine) -> str:
    with engine.begin() as conn:
        add_user(conn, "eddie", PASSWORD, "editor")
    return "eddie"


@pytest.fixture
def hashes(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Count password checks (each is one argon2 hash) and the most ever running at once."""
    seen = {"calls": 0, "running": 0, "most": 0}
    lock = threading.Lock()
    real = accounts.check_password

    def counting(*args: Any) -> Any:
        with lock:
            seen["calls"] += 1
            seen["running"] += 1
            seen["most"] = max(seen["most"], seen["running"])
        try:
            time.sleep(0.02)
            return real(*args)
        finally:
            with lock:
                seen["running"] -= 1

    monkeypatch.setattr(accounts, "check_password", counting)
    return seen


def _login(client: TestClient, username: str, password: str) -> Any:
    return client.post("/api/v1/auth/login", json={"username": username, "password": password})


class Clock:
    """A stand-in for time.time that tests move forward by hand."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(time, "time", fake)
    return fake


def test_sixth_wrong_password_in_a_minute_is_refused_and_the_right_one_waits(
    client: TestClient, eddie: str, hashes: dict[str, int]
) -> None:
    for _ in range(5):
        assert _login(client, eddie, "wrong password").status_code == 401
    refused = _login(client, eddie, PASSWORD)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert hashes["calls"] == 5  # the throttled attempt hashed nothing


def test_unknown_and_known_accounts_get_the_same_answers(client: TestClient, eddie: str) -> None:
    answers = {}
    for name in (eddie, "nobody-by-this-name"):
        replies = [_login(client, name, "wrong password") for _ in range(6)]
        answers[name] = [(r.status_code, re.sub(r"\d+", "N", r.json()["detail"])) for r in replies]
    assert answers[eddie] == answers["nobody-by-this-name"]
    assert [status for status, _ in answers[eddie]] == [401] * 5 + [429]


def test_a_successful_login_clears_the_account_count(client: TestClient, eddie: str) -> None:
    for _ in range(4):
        _login(client, eddie, "wrong password")
    assert _login(client, eddie, PASSWORD).status_code == 200
    for _ in range(4):
        assert _login(client, eddie, "wrong password").status_code == 401
    assert _login(client, eddie, PASSWORD).status_code == 200


def test_one_address_trying_many_accounts_is_throttled(client: TestClient, eddie: str) -> None:
    for n in range(20):
        assert _login(client, f"guess{n}", "wrong password").status_code == 401
    assert _login(client, eddie, PASSWORD).status_code == 429


def test_waits_grow_from_a_minute_to_a_quarter_hour_to_a_lockout(clock: Clock) -> None:
    guard = LoginGuard()
    waits = []
    for _ in range(2):
        for _ in range(5):
            guard.check("eddie", "10.0.0.1")
            guard.failed("eddie", "10.0.0.1")
        with pytest.raises(LoginThrottled) as refused:
            guard.check("eddie", "10.0.0.1")
        waits.append(refused.value.retry_after)
        clock.now += refused.value.retry_after + 1
    assert 50 <= waits[0] <= 60
    assert 13 * 60 <= waits[1] <= 15 * 60


def test_a_persistent_guesser_gets_at_most_20_tries_in_any_hour(clock: Clock) -> None:
    guard = LoginGuard()
    start = clock.now
    tries: list[float] = []
    while clock.now < start + 3 * 3600:
        address = f"10.0.0.{int(clock.now) % 200}"  # a different address almost every try
        try:
            guard.check("eddie", address)
        except LoginThrottled as refused:
            clock.now += refused.retry_after + 0.3  # comes back a moment after being told to
            continue
        guard.failed("eddie", address)
        tries.append(clock.now)
        clock.now += 1
    most_in_an_hour = max(sum(1 for t in tries if s <= t < s + 3600) for s in tries)
    assert most_in_an_hour == 20
    assert len(tries) >= 50  # throttled, not locked out for good


def test_the_throttle_lifts_when_the_window_has_passed(clock: Clock) -> None:
    guard = LoginGuard()
    for _ in range(5):
        guard.failed("eddie", "10.0.0.1")
    with pytest.raises(LoginThrottled):
        guard.check("eddie", "10.0.0.1")
    clock.now += 61
    guard.check("eddie", "10.0.0.1")
    guard.check("someone-else", "10.0.0.2")


def test_hashing_slots_refuse_quickly_when_full() -> None:
    async def scenario() -> list[str]:
        guard = LoginGuard(slots=1, hash_wait=0.2)
        outcomes: list[str] = []
        release = asyncio.Event()

        async def attempt(hold: bool) -> None:
            started = time.monotonic()
            try:
                async with guard.hashing_slot():
                    if hold:
                        await release.wait()
                    outcomes.append("hashed")
            except HashingBusy:
                outcomes.append(f"busy after {time.monotonic() - started:.1f}s")

        holder = asyncio.create_task(attempt(hold=True))
        await asyncio.sleep(0)
        waiters = [asyncio.create_task(attempt(hold=False)) for _ in range(2)]
        await asyncio.sleep(0.01)
        await attempt(hold=False)  # one holder + two waiting: the queue (2 per slot) is full
        await asyncio.gather(*waiters)
        release.set()
        await holder
        return outcomes

    outcomes = asyncio.run(scenario())
    assert outcomes == ["busy after 0.0s", "busy after 0.2s", "busy after 0.2s", "hashed"]


@pytest.fixture
def one_slot_client(client: TestClient) -> TestClient:
    client.app.state.login_guard = LoginGuard(slots=1, hash_wait=0.05)  # type: ignore[attr-defined]
    return client


def test_concurrent_logins_never_hash_more_than_the_slots(
    one_slot_client: TestClient, eddie: str, hashes: dict[str, int]
) -> None:
    with ThreadPoolExecutor(16) as pool:
        replies = list(
            pool.map(lambda n: _login(one_slot_client, f"user{n}", "wrong password"), range(16))
        )
    statuses = sorted(r.status_code for r in replies)
    assert hashes["most"] == 1
    assert set(statuses) <= {401, 503}
    assert 503 in statuses
    for reply in replies:
        if reply.status_code == 503:
            assert reply.headers["retry-after"] == "1"
    assert _login(one_slot_client, eddie, PASSWORD).status_code == 200
