"""Users, passwords, tokens and sessions at the function level, on the account tables alone.

Fast (no app, no migrations): the tables are created from `execdash.db.tables` in a SQLite memory
database, and "now" is fixed so every expiry boundary is checked to the second.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from execdash.api import accounts
from execdash.api.accounts import (
    SESSION_LIFETIME,
    AccountError,
    User,
    add_user,
    check_password,
    create_session,
    create_token,
    end_session,
    list_users,
    revoke_token,
    sha256_hex,
    store_rehash,
    user_for_session,
    user_for_token,
    verify_password,
)
from execdash.db.tables import api_tokens, app_metadata, users, web_sessions
from tests.api.conftest import PASSWORD

NOW = dt.datetime(2026, 3, 14, 15, 9, 26)
SECOND = dt.timedelta(seconds=1)


@pytest.fixture
def conn(monkeypatch: pytest.MonkeyPatch) -> Iterator[sa.Connection]:
    """A connection to a memory database holding only the account tables, with "now" fixed."""
    monkeypatch.setattr(accounts, "utcnow", lambda: NOW)
    engine = sa.create_engine("sqlite://")
    app_metadata.create_all(engine, tables=[users, api_tokens, web_sessions])
    with engine.begin() as connection:
        yield connection
    engine.dispose()


def _user(conn: sa.Connection, username: str) -> sa.Row[tuple[object, ...]]:
    row = conn.execute(sa.select(users).where(users.c.username == username)).one()
    return row


def _token_row(conn: sa.Connection, token: str) -> sa.Row[tuple[object, ...]]:
    where = api_tokens.c.token_hash == sha256_hex(token)
    return conn.execute(sa.select(api_tokens).where(where)).one()


def test_sha256_hex_is_the_hex_digest_of_the_utf8_secret() -> None:
    assert sha256_hex("abc") == ("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    assert sha256_hex("£") == hashlib.sha256("£".encode()).hexdigest()


@pytest.fixture
def far_from_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's local time zone 14 hours ahead of UTC (servers are not always on UTC)."""
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("far_from_utc")
def test_utcnow_is_naive_utc_to_the_second() -> None:
    assert dt.datetime.now().hour != dt.datetime.now(dt.UTC).hour  # the zone took effect
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    now = accounts.utcnow()
    after = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert now.tzinfo is None
    assert now.microsecond == 0
    assert before <= now <= after


@pytest.mark.parametrize(
    ("role", "at_least"),
    [
        ("viewer", {"viewer"}),
        ("editor", {"viewer", "editor"}),
        ("admin", {"viewer", "editor", "admin"}),
    ],
)
def test_each_role_includes_the_weaker_ones_only(role: str, at_least: set[str]) -> None:
    user = User(id=1, username="u", role=role)
    assert {r for r in ("viewer", "editor", "admin") if user.has_role(r)} == at_least


def test_a_user_is_stored_stripped_with_an_argon2_hash_and_a_creation_time(
    conn: sa.Connection,
) -> None:
    new_id = add_user(conn, "  ann  ", PASSWORD, "editor")
    row = _user(conn, "ann")
    assert row.id == new_id
    assert (row.role, row.disabled, row.created_at) == ("editor", False, NOW)
    assert row.password_hash.startswith("$argon2id$")
    assert accounts._HASHER.verify(row.password_hash, PASSWORD)


def test_a_new_user_is_a_viewer_unless_told_otherwise(conn: sa.Connection) -> None:
    add_user(conn, "vic", PASSWORD)
    assert _user(conn, "vic").role == "viewer"


def test_a_password_of_exactly_eight_characters_is_accepted(conn: sa.Connection) -> None:
    add_user(conn, "ann", "12345678")
    with pytest.raises(AccountError, match=r"^password must be at least 8 characters$"):
        add_user(conn, "bob", "1234567")


@pytest.mark.parametrize(
    ("username", "password", "role", "message"),
    [
        ("   ", PASSWORD, "viewer", "^username must not be empty$"),
        ("bob", PASSWORD, "boss", "^role 'boss' is not one of viewer, editor, admin$"),
        (" ann ", PASSWORD, "viewer", "^user 'ann' already exists$"),
    ],
)
def test_a_bad_user_is_refused_with_what_is_wrong(
    conn: sa.Connection, username: str, password: str, role: str, message: str
) -> None:
    add_user(conn, "ann", PASSWORD)
    with pytest.raises(AccountError, match=message):
        add_user(conn, username, password, role)
    assert [r.username for r in list_users(conn)] == ["ann"]


def test_users_are_listed_by_name_without_their_password_hashes(conn: sa.Connection) -> None:
    cy = add_user(conn, "cy", PASSWORD, "admin")
    ann = add_user(conn, "ann", PASSWORD)
    listed = list_users(conn)
    assert [tuple(r) for r in listed] == [
        (ann, "ann", "viewer", False, NOW),
        (cy, "cy", "admin", False, NOW),
    ]
    assert list(listed[0]._fields) == ["id", "username", "role", "disabled", "created_at"]


def test_the_right_password_gives_a_session_user_and_no_rehash(conn: sa.Connection) -> None:
    ann = add_user(conn, "ann", PASSWORD, "editor")
    assert check_password(conn, "ann", PASSWORD) == (
        User(id=ann, username="ann", role="editor", via="session"),
        None,
    )


@pytest.mark.parametrize(
    ("username", "password"),
    [("ann", "wrong password"), ("nobody", PASSWORD)],
)
def test_a_wrong_password_or_unknown_user_gives_nobody(
    conn: sa.Connection, username: str, password: str
) -> None:
    add_user(conn, "ann", PASSWORD)
    assert check_password(conn, username, password) == (None, None)
    assert verify_password(conn, username, password) is None


def test_a_corrupt_stored_hash_refuses_the_login_without_an_error(conn: sa.Connection) -> None:
    add_user(conn, "ann", PASSWORD)
    conn.execute(users.update().values(password_hash="not an argon2 hash"))
    assert check_password(conn, "ann", PASSWORD) == (None, None)


def test_a_disabled_user_cannot_log_in_even_with_the_right_password(
    conn: sa.Connection,
) -> None:
    add_user(conn, "ann", PASSWORD)
    conn.execute(users.update().values(disabled=True))
    assert check_password(conn, "ann", PASSWORD) == (None, None)


def test_an_outdated_hash_is_offered_for_rehash_but_only_stored_by_verify_password(
    conn: sa.Connection,
) -> None:
    ann = add_user(conn, "ann", PASSWORD)
    old = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1).hash(PASSWORD)
    conn.execute(users.update().values(password_hash=old))
    user, rehash = check_password(conn, "ann", PASSWORD)
    assert user == User(id=ann, username="ann", role="viewer", via="session")
    assert rehash is not None
    assert accounts._HASHER.verify(rehash, PASSWORD)
    assert not accounts._HASHER.check_needs_rehash(rehash)
    assert _user(conn, "ann").password_hash == old  # check_password only reads
    assert verify_password(conn, "ann", PASSWORD) == user
    stored = _user(conn, "ann").password_hash
    assert stored != old
    assert not accounts._HASHER.check_needs_rehash(stored)


def test_store_rehash_replaces_only_that_users_hash(conn: sa.Connection) -> None:
    ann = add_user(conn, "ann", PASSWORD)
    add_user(conn, "bob", PASSWORD)
    bob_hash = _user(conn, "bob").password_hash
    store_rehash(conn, User(id=ann, username="ann", role="viewer"), "new-hash")
    assert _user(conn, "ann").password_hash == "new-hash"
    assert _user(conn, "bob").password_hash == bob_hash


def test_a_token_is_prefixed_random_and_stored_only_as_its_hash(conn: sa.Connection) -> None:
    ann = add_user(conn, "ann", PASSWORD)
    token = create_token(conn, "ann", name="ci")
    assert token.startswith("edt_")
    assert len(token) == len("edt_") + 43  # 32 random bytes, URL-safe base64
    row = _token_row(conn, token)
    assert (row.user_id, row.name, row.created_at, row.expires_at, row.revoked) == (
        ann, "ci", NOW, None, False,
    )  # fmt: skip
    assert create_token(conn, "ann") != token
    assert _token_row(conn, create_token(conn, "ann")).name == ""


def test_a_token_expires_the_given_number_of_days_after_its_creation(
    conn: sa.Connection,
) -> None:
    add_user(conn, "ann", PASSWORD)
    token = create_token(conn, "ann", expires_days=1)
    assert _token_row(conn, token).expires_at == NOW + dt.timedelta(days=1)
    with pytest.raises(AccountError, match=r"^--expires-days must be at least 1$"):
        create_token(conn, "ann", expires_days=0)


def test_a_token_for_an_unknown_user_is_refused(conn: sa.Connection) -> None:
    with pytest.raises(AccountError, match=r"^no user named 'zed'$"):
        create_token(conn, "zed")


def test_a_token_names_its_owner_with_the_token_as_the_way_in(conn: sa.Connection) -> None:
    ann = add_user(conn, "ann", PASSWORD, "editor")
    token = create_token(conn, "ann")
    assert user_for_token(conn, token) == User(ann, "ann", "editor", via="token")
    assert user_for_token(conn, token + "x") is None


def test_a_token_stops_working_at_the_second_it_expires(
    conn: sa.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_user(conn, "ann", PASSWORD)
    token = create_token(conn, "ann", expires_days=1)
    expiry = NOW + dt.timedelta(days=1)
    monkeypatch.setattr(accounts, "utcnow", lambda: expiry - SECOND)
    assert user_for_token(conn, token) is not None
    monkeypatch.setattr(accounts, "utcnow", lambda: expiry)
    assert user_for_token(conn, token) is None


def test_a_token_of_a_disabled_user_or_revoked_gives_nobody(conn: sa.Connection) -> None:
    add_user(conn, "ann", PASSWORD)
    add_user(conn, "bob", PASSWORD)
    ann_token = create_token(conn, "ann")
    bob_token = create_token(conn, "bob")
    conn.execute(users.update().where(users.c.username == "ann").values(disabled=True))
    assert user_for_token(conn, ann_token) is None
    assert revoke_token(conn, bob_token) == 1
    assert user_for_token(conn, bob_token) is None


def test_a_token_is_revoked_by_its_id_or_itself_and_only_that_one(conn: sa.Connection) -> None:
    add_user(conn, "ann", PASSWORD)
    first, second, third = (create_token(conn, "ann") for _ in range(3))
    assert revoke_token(conn, str(_token_row(conn, second).id)) == 1
    assert revoke_token(conn, third) == 1
    assert [_token_row(conn, t).revoked for t in (first, second, third)] == [False, True, True]
    assert user_for_token(conn, first) is not None
    assert revoke_token(conn, "999") == 0
    assert revoke_token(conn, "edt_unknown") == 0


def test_a_session_lasts_twelve_hours_and_stores_only_its_hash(conn: sa.Connection) -> None:
    ann = add_user(conn, "ann", PASSWORD, "admin")
    user = User(ann, "ann", "admin", via="session")
    session_id, csrf, expires = create_session(conn, user)
    assert dt.timedelta(hours=12) == SESSION_LIFETIME
    assert expires == NOW + dt.timedelta(hours=12)
    assert len(session_id) == 43
    assert len(csrf) == 43
    assert session_id != csrf
    row = conn.execute(sa.select(web_sessions)).one()
    assert tuple(row) == (sha256_hex(session_id), ann, csrf, NOW, expires)
    assert user_for_session(conn, session_id) == User(
        ann, "ann", "admin", via="session", csrf_token=csrf
    )


def test_a_session_stops_working_at_the_second_it_expires(
    conn: sa.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    ann = add_user(conn, "ann", PASSWORD)
    session_id, _, expires = create_session(conn, User(ann, "ann", "viewer"))
    monkeypatch.setattr(accounts, "utcnow", lambda: expires - SECOND)
    assert user_for_session(conn, session_id) is not None
    monkeypatch.setattr(accounts, "utcnow", lambda: expires)
    assert user_for_session(conn, session_id) is None
    assert user_for_session(conn, "not a session") is None


def test_a_session_of_a_user_disabled_later_gives_nobody(conn: sa.Connection) -> None:
    ann = add_user(conn, "ann", PASSWORD)
    session_id, _, _ = create_session(conn, User(ann, "ann", "viewer"))
    conn.execute(users.update().values(disabled=True))
    assert user_for_session(conn, session_id) is None


def test_a_new_session_clears_expired_ones_and_keeps_live_ones(
    conn: sa.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    ann = add_user(conn, "ann", PASSWORD)
    user = User(ann, "ann", "viewer")
    ends_now, _, expiry = create_session(conn, user)
    monkeypatch.setattr(accounts, "utcnow", lambda: expiry - SECOND)
    live, _, _ = create_session(conn, user)
    stored = set(conn.execute(sa.select(web_sessions.c.session_hash)).scalars())
    assert stored == {sha256_hex(ends_now), sha256_hex(live)}
    monkeypatch.setattr(accounts, "utcnow", lambda: expiry)
    newest, _, _ = create_session(conn, user)
    stored = set(conn.execute(sa.select(web_sessions.c.session_hash)).scalars())
    assert stored == {sha256_hex(live), sha256_hex(newest)}


def test_logging_out_ends_only_that_session(conn: sa.Connection) -> None:
    ann = add_user(conn, "ann", PASSWORD)
    user = User(ann, "ann", "viewer")
    first, _, _ = create_session(conn, user)
    second, _, _ = create_session(conn, user)
    end_session(conn, first)
    assert user_for_session(conn, first) is None
    assert user_for_session(conn, second) is not None
