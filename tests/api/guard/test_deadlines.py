"""Slow clients on real loopback sockets: a request header or body that dawdles is cut off."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from execdash.api import create_app
from execdash.api.guard import deadlines
from execdash.config import Settings


@pytest.fixture
def server(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, int]]:
    """A real uvicorn server with the deadline protocol and half-second timeouts."""
    monkeypatch.setenv(deadlines.HEADER_TIMEOUT_VARIABLE, "0.5")
    monkeypatch.setenv(deadlines.BODY_TIMEOUT_VARIABLE, "0.5")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning",
        http=deadlines.PROTOCOL,
    )  # fmt: skip
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not uv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    try:
        yield "127.0.0.1", port
    finally:
        uv.should_exit = True
        thread.join(timeout=10)


def _open(address: tuple[str, int], first: bytes) -> socket.socket:
    sock = socket.create_connection(address, timeout=5)
    sock.sendall(first)
    return sock


def _read_until_closed(sock: socket.socket, limit: float) -> tuple[bytes, float]:
    """Everything the server sends until it closes, and when it closed (inf if it did not)."""
    started = time.monotonic()
    sock.settimeout(0.1)
    got = b""
    while time.monotonic() - started < limit:
        try:
            chunk = sock.recv(4096)
        except TimeoutError:
            continue
        except ConnectionResetError:
            return got, time.monotonic() - started
        if not chunk:
            return got, time.monotonic() - started
        got += chunk
    return got, float("inf")


def _get(address: tuple[str, int], path: str) -> bytes:
    with socket.create_connection(address, timeout=5) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        return _read_until_closed(sock, 5)[0]


def test_twenty_slowloris_sockets_are_dropped_and_others_are_served(
    server: tuple[str, int],
) -> None:
    socks = [_open(server, b"GET /api/health HTTP/1.1\r\nHost: x\r\n") for _ in range(20)]
    try:
        for _ in range(2):  # keep trickling header lines, as slowloris does
            time.sleep(0.15)
            for sock in socks:
                sock.sendall(b"X-Slow: 1\r\n")
        assert _get(server, "/api/health").startswith(b"HTTP/1.1 200")
        results = [_read_until_closed(sock, 5) for sock in socks]
    finally:
        for sock in socks:
            sock.close()
    assert all(when < 5 for _, when in results), [when for _, when in results]
    assert all(got.startswith(b"HTTP/1.1 408") for got, _ in results)


def test_a_silent_connection_is_closed(server: tuple[str, int]) -> None:
    with socket.create_connection(server, timeout=5) as sock:
        got, when = _read_until_closed(sock, 5)
    assert when < 5
    assert got.startswith(b"HTTP/1.1 408")


def test_a_stalled_body_is_cut_off(server: tuple[str, int]) -> None:
    head = (b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 500\r\n\r\n{\"username\": ")  # fmt: skip
    with _open(server, head) as sock:
        got, when = _read_until_closed(sock, 5)
    assert when < 5
    assert got.startswith(b"HTTP/1.1 408")


def test_a_body_trickled_below_the_minimum_rate_is_cut_off(server: tuple[str, int]) -> None:
    head = (b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 5000\r\n\r\n{")  # fmt: skip
    with _open(server, head) as sock:
        started = time.monotonic()
        closed = False
        while time.monotonic() - started < 3 and not closed:
            time.sleep(0.2)  # never idle for the 0.5 s timeout, but far below 1 KiB/s
            try:
                sock.sendall(b" ")
            except (BrokenPipeError, ConnectionResetError):
                closed = True
        _, when = _read_until_closed(sock, 0.5)
    assert closed or when < 0.5
    assert time.monotonic() - started < 3.5


def test_keep_alive_requests_still_work_back_to_back(server: tuple[str, int]) -> None:
    with socket.create_connection(server, timeout=5) as sock:
        for _ in range(3):
            sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
            time.sleep(0.3)  # idle between requests, each shorter than the header timeout
            assert sock.recv(4096).startswith(b"HTTP/1.1 200")


def test_bad_timeout_settings_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(deadlines.HEADER_TIMEOUT_VARIABLE, "soon")
    with pytest.raises(ValueError, match="EXECDASH_HEADER_TIMEOUT"):
        deadlines.timeouts()
