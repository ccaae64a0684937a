"""Static files: hashed names are cached for a year, plain names, pages and the API revalidate."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from execdash.api import create_app
from execdash.api.guard.headers import NON_HTML_POLICY
from execdash.config import Settings
from execdash.db import migrate
from execdash.db.engine import create_engine
from execdash.web.assets.serve import IMMUTABLE
from execdash.web.security import CONTENT_SECURITY_POLICY
from tests.web.conftest import PAGES

HASHED = re.compile(r'(?:src|href)="(/static/[^"]+\.[0-9a-f]{12}\.[a-z]+)"')


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'web.db'}"
    engine = create_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    with TestClient(create_app(Settings(database_url=url))) as test_client:
        yield test_client


@pytest.mark.parametrize("path", [*PAGES, "/docs"])
def test_pages_reference_only_hashed_static_urls(client: TestClient, path: str) -> None:
    html = client.get(path).text
    every = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert every, "a page loads its CSS and scripts from /static"
    assert every == HASHED.findall(html), "every static URL on a page must be hashed"


def test_hashed_assets_are_immutable_for_a_year(client: TestClient) -> None:
    urls = set(HASHED.findall(client.get("/").text))
    assert any("/js/app." in u for u in urls)
    assert any("/css/app." in u for u in urls)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert response.headers["cache-control"] == IMMUTABLE
        assert response.headers["content-security-policy"] == NON_HTML_POLICY


def test_pages_and_the_api_keep_revalidating(client: TestClient) -> None:
    page = client.get("/")
    assert page.headers["cache-control"] == "no-cache"
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    api = client.get("/api/v1/dashboard")
    assert "immutable" not in api.headers.get("cache-control", "")
    assert "max-age=31536000" not in api.headers.get("cache-control", "")
    assert api.headers["etag"]


def test_a_plain_static_name_still_answers_but_revalidates(client: TestClient) -> None:
    response = client.get("/static/js/app.js")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["content-type"].startswith("text/javascript")
    again = client.get("/static/js/app.js", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


def test_every_module_import_resolves_to_a_served_immutable_file(client: TestClient) -> None:
    seen: set[str] = set()
    todo = [u for u in HASHED.findall(client.get("/").text) if u.endswith(".js")]
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["cache-control"] == IMMUTABLE, url
        if "/vendor/" in url:
            continue
        folder = url.rsplit("/", 1)[0]
        for spec in re.findall(r'(?:from\s*|import\s*\(\s*|import\s+)"([^"]+\.js)"', response.text):
            assert re.search(r"\.[0-9a-f]{12}\.js$", spec), f"{url} imports unhashed {spec}"
            target = spec if spec.startswith("/") else f"{folder}/{spec}"
            parts: list[str] = []
            for part in target.split("/"):
                if part == "..":
                    parts.pop()
                elif part != ".":
                    parts.append(part)
            todo.append("/".join(parts))
    assert any("/pages/overview." in u for u in seen)
    assert any("/vendor/echarts." in u for u in seen)


def test_text_assets_are_sent_gzipped_when_asked(client: TestClient) -> None:
    url = next(u for u in HASHED.findall(client.get("/").text) if "/vendor/echarts." in u)
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in zipped.headers["vary"].lower()
    assert zipped.content == plain.content  # the client decodes it back to the same file
    assert int(zipped.headers["content-length"]) < len(plain.content) / 2


def test_an_outdated_or_unknown_static_name_is_a_404(client: TestClient) -> None:
    assert client.get("/static/js/app.000000000000.js").status_code == 404
    assert client.get("/static/js/nope.js").status_code == 404
    assert client.get("/static/../pyproject.toml").status_code == 404


@pytest.mark.parametrize("path", PAGES)
def test_every_module_a_page_imports_is_preloaded(client: TestClient, path: str) -> None:
    html = client.get(path).text
    preloaded = set(re.findall(r'<link rel="modulepreload" href="([^"]+)"', html))
    todo = [u for u in preloaded if "/js/app." in u or "/js/pages/" in u]
    assert any("/js/app." in u for u in todo), "app.js is preloaded"
    seen: set[str] = set()
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        assert url in preloaded, f"{path} runs {url} but does not preload it"
        folder = url.rsplit("/", 1)[0]
        # Static imports only: a dynamic import("...") is loaded when it is needed.
        text = client.get(url).text
        for spec in re.findall(r'(?:\bfrom\s*|\bimport\s+)"(\.{1,2}/[^"]+\.js)"', text):
            parts: list[str] = []
            for part in f"{folder}/{spec}".split("/"):
                if part == "..":
                    parts.pop()
                elif part != ".":
                    parts.append(part)
            todo.append("/".join(parts))
    assert any("/js/cartesian." in u for u in seen), "the chart modules are among them"
