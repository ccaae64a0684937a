"""Page security without a browser: CSP and friends on every page, no inline script anywhere."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from execdash.api import create_app
from execdash.config import Settings
from execdash.db import migrate
from execdash.db.engine import create_engine
from tests.web.conftest import PAGES

WEB = Path(__file__).parents[2] / "src/execdash/web"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'web.db'}"
    engine = create_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    with TestClient(create_app(Settings(database_url=url))) as test_client:
        yield test_client


@pytest.mark.parametrize("path", PAGES)
def test_every_page_sends_a_strict_content_security_policy(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["connect-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", PAGES)
def test_pages_hold_no_inline_script_or_event_handler(client: TestClient, path: str) -> None:
    html = client.get(path).text
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert 'src="/static/' in tag, tag
    assert re.search(r"<script\b[^>]*>(?!</script>)", html) is None
    assert re.search(r"\son[a-z]+\s*=", html) is None
    assert "http://" not in html.replace('xmlns="http://', "")
    assert "https://" not in html


def test_unknown_kpi_page_is_a_404(client: TestClient) -> None:
    assert client.get("/kpi/Robert');DROP").status_code == 404


def test_scripts_never_parse_data_as_html() -> None:
    sources = {p.name: p.read_text() for p in (WEB / "static/js").rglob("*.js")}
    assert sources
    for name, text in sources.items():
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in text, f"{name} uses {sink}"
        assert "new Function" not in text, name


def test_session_user_is_rendered_for_the_page(client: TestClient) -> None:
    from execdash.api.accounts import add_user

    engine = client.app.state.engine  # type: ignore[attr-defined]
    with engine.begin() as conn:
        add_user(conn, "eddie", "correct horse battery", "editor")
    login = client.post(
        "/api/v1/auth/login", json={"username": "eddie", "password": "correct horse battery"}
    )
    assert login.status_code == 200
    html = client.get("/alerts").text
    assert 'data-user="eddie" data-role="editor"' in html
    assert f'<meta name="csrf-token" content="{login.json()["csrf_token"]}">' in html
