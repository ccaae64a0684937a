"""After signing in the page only ever goes to a path on this site (redirect.js, login page)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from execdash.api.accounts import add_user
from execdash.db.engine import create_engine
from tests.conftest import require
from tests.web.conftest import PASSWORD, Watched

REDIRECT_JS = Path(__file__).parents[2] / "src/execdash/web/static/js/redirect.js"
ORIGIN = "http://127.0.0.1:8000"

# (query string of the login page, where the page goes after signing in)
CASES = [
    ("next=/alerts", "/alerts"),
    ("next=/kpi/revenue%3Fgrain%3Dmonth%23chart", "/kpi/revenue?grain=month#chart"),
    ("next=/%5Cevil.example/", "/"),
    ("next=/%09/evil.example/", "/"),
    ("next=/%0A/evil.example/", "/"),
    ("next=/%0D/evil.example/", "/"),
    ("next=%5C%5Cevil.example", "/"),
    ("next=//evil.example/", "/"),
    ("next=/%2F/evil.example/", "/"),
    ("next=https://evil.example/", "/"),
    ("next=javascript:alert(1)", "/"),
    ("next=", "/"),
    ("", "/"),
]


def test_only_same_site_paths_are_followed(tmp_path: Path) -> None:
    node = shutil.which("node")
    require(node is not None, "Node.js is not installed")
    assert node is not None
    script = tmp_path / "run.mjs"
    script.write_text(
        f"import {{ safeNext }} from {json.dumps(REDIRECT_JS.as_uri())};\n"
        f"const cases = {json.dumps([query for query, _ in CASES])};\n"
        f"const origin = {json.dumps(ORIGIN)};\n"
        "console.log(JSON.stringify(cases.map((q) => "
        "safeNext(new URLSearchParams(q).get('next'), origin))));\n"
    )
    out = subprocess.run([node, str(script)], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [expected for _, expected in CASES]


@pytest.mark.browser
@pytest.mark.parametrize("query", ["next=/%5Cevil.example/", "next=/%09/evil.example/"])
def test_signing_in_with_a_hostile_next_stays_on_the_site(
    live_url: str, tmp_path: Path, open_page: Callable[..., Watched], query: str
) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'web.db'}")
    with engine.begin() as conn:
        add_user(conn, "eddie", PASSWORD, "editor")
    engine.dispose()
    watched = open_page(live_url)
    page: Any = watched.page
    left: list[str] = []
    page.on("framenavigated", lambda frame: left.append(frame.url))
    watched.goto(f"/login?{query}")
    page.fill("input[name=username]", "eddie")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    watched.wait_loaded()
    assert urlsplit(page.url).netloc == urlsplit(live_url).netloc
    assert urlsplit(page.url).path == "/"
    assert {urlsplit(url).netloc for url in left} == {urlsplit(live_url).netloc}
