"""Hashed static names: a file's name changes with its content and with what it imports."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from execdash.web.assets.manifest import Assets, build_manifest


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.fixture
def static(tmp_path: Path) -> Path:
    _write(
        tmp_path,
        {
            "js/app.js": 'import { h } from "./dom.js";\nconst p = () => import("./pages/x.js");\n',
            "js/dom.js": "export const h = 1;\n",
            "js/pages/x.js": 'import { h } from "../dom.js";\nimport "/static/vendor/lib.js";\n',
            "js/alone.js": "export const x = 2;\n",
            "vendor/lib.js": "export default 3;\n",
            "css/app.css": "body { color: red; }\n",
        },
    )
    return tmp_path


def test_hashed_names_keep_the_folder_and_put_the_hash_before_the_extension(static: Path) -> None:
    manifest = build_manifest(static)
    assert re.fullmatch(r"/static/js/pages/x\.[0-9a-f]{12}\.js", manifest.url("js/pages/x.js"))
    assert re.fullmatch(r"/static/css/app\.[0-9a-f]{12}\.css", manifest.url("css/app.css"))


def test_imports_are_rewritten_to_the_hashed_names(static: Path) -> None:
    manifest = build_manifest(static)
    app = manifest.assets["js/app.js"].body.decode()
    dom = manifest.assets["js/dom.js"].hashed_path.rsplit("/", 1)[1]
    home = manifest.assets["js/pages/x.js"].hashed_path.rsplit("/", 1)[1]
    assert f'from "./{dom}"' in app
    assert f'import("./pages/{home}")' in app
    page = manifest.assets["js/pages/x.js"].body.decode()
    assert f'from "../{dom}"' in page
    assert f'import "{manifest.url("vendor/lib.js")}"' in page


def test_every_rewritten_import_is_served_under_its_hashed_name(static: Path) -> None:
    manifest = build_manifest(static)
    for asset in manifest.assets.values():
        for spec in re.findall(r'"([^"]+\.js)"', asset.body.decode()):
            base = "/static/" + asset.path.rsplit("/", 1)[0] + "/"
            url = spec if spec.startswith("/") else os.path.normpath(base + spec)
            found = manifest.lookup(url.removeprefix("/static/"))
            assert found is not None, f"{asset.path} imports {spec}, which is not served"
            assert found[1], f"{asset.path} imports {spec}, which is not immutable"


def test_a_changed_file_gets_a_new_url_and_so_does_every_importer(static: Path) -> None:
    assets = Assets(static, check_every=0)
    names = ("js/app.js", "js/dom.js", "js/pages/x.js", "js/alone.js", "css/app.css")
    before = {p: assets.url(p) for p in names}
    (static / "js/dom.js").write_text("export const h = 42;\n")
    after = {p: assets.url(p) for p in before}
    assert after["js/dom.js"] != before["js/dom.js"]
    assert after["js/pages/x.js"] != before["js/pages/x.js"]  # imports dom.js
    assert after["js/app.js"] != before["js/app.js"]  # imports dom.js and pages/x.js
    assert after["js/alone.js"] == before["js/alone.js"]
    assert after["css/app.css"] == before["css/app.css"]
    old = before["js/dom.js"].removeprefix("/static/")
    assert assets.manifest().lookup(old) is None, "an outdated hashed name must not answer"


def test_a_file_deep_in_the_import_chain_changes_the_top_hash(static: Path) -> None:
    assets = Assets(static, check_every=0)
    before = assets.url("js/app.js")
    (static / "vendor/lib.js").write_text("export default 4;\n")  # app -> pages/x -> vendor/lib
    assert assets.url("js/app.js") != before


def test_import_cycles_are_hashed_without_looping(tmp_path: Path) -> None:
    _write(tmp_path, {"a.js": 'import "./b.js";\n', "b.js": 'import "./a.js";\n'})
    manifest = build_manifest(tmp_path)
    assert manifest.assets["a.js"].fingerprint == manifest.assets["b.js"].fingerprint


def test_specifiers_naming_no_static_file_are_left_alone(tmp_path: Path) -> None:
    text = 'import x from "./missing.js";\nimport y from "https://cdn.example/lib.js";\n'
    _write(tmp_path, {"a.js": text})
    assert build_manifest(tmp_path).assets["a.js"].body.decode() == text


def test_an_unknown_file_is_a_clear_error(static: Path) -> None:
    with pytest.raises(KeyError, match=r"no static file 'js/nope\.js'"):
        build_manifest(static).url("js/nope.js")


def test_preloads_hold_every_static_import_and_no_dynamic_one(static: Path) -> None:
    manifest = build_manifest(static)
    urls = manifest.preloads(["js/app.js"])
    assert urls == sorted([manifest.url("js/app.js"), manifest.url("js/dom.js")])
    page = manifest.preloads(["js/app.js", "js/pages/x.js"])
    assert manifest.url("js/pages/x.js") in page
    assert manifest.url("vendor/lib.js") in page  # a bare `import "..."` is static
    with pytest.raises(KeyError, match=r"nope\.js"):
        manifest.preloads(["js/nope.js"])
