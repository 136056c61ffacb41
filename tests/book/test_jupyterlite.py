"""The book's own JupyterLite (``_build/html/lite``, see ``_ext/jupyterlite_site.py``)."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.book.chapters import HTML, ROOT, chapter_sources

LITE = HTML / "lite"
CHAPTERS = [path.relative_to(ROOT).with_suffix("").as_posix() for path in chapter_sources()]
MAX_BYTES = 40 * 1024 * 1024


def test_the_app_is_built():
    for path in ("index.html", "notebooks/index.html", "lab/index.html", "jupyter-lite.json"):
        assert (LITE / path).is_file(), f"no lite/{path}: run 'make book'"


def test_storage_is_memory_only():
    config = json.loads((LITE / "jupyter-lite.json").read_text())["jupyter-config-data"]
    assert config.get("enableMemoryStorage") is True
    assert config.get("contentsStorageDrivers") == ["memoryStorageDriver"]
    assert config.get("settingsStorageDrivers") == ["memoryStorageDriver"]


def test_only_the_pyodide_kernel_extension():
    config = json.loads((LITE / "jupyter-lite.json").read_text())["jupyter-config-data"]
    names = [e["name"] for e in config.get("federated_extensions", [])]
    assert names == ["@jupyterlite/pyodide-kernel-extension"], names


def test_the_mmlbook_wheel_is_bundled():
    wheels = sorted((HTML / "_static" / "wheels").glob("mmlbook-*.whl"))
    bundled = LITE / "pypi" / wheels[0].name
    assert bundled.is_file(), "the mmlbook wheel is not in lite/pypi"
    assert bundled.read_bytes() == wheels[0].read_bytes(), "lite/pypi holds another build's wheel"
    index = json.loads((LITE / "pypi" / "all.json").read_text())
    assert "mmlbook" in index, "piplite's index does not list mmlbook"


def test_weight_and_no_source_maps():
    files = [p for p in LITE.rglob("*") if p.is_file()]
    assert not [p for p in files if p.suffix == ".map"], "source maps in lite/"
    size = sum(p.stat().st_size for p in files)
    assert size <= MAX_BYTES, f"lite/ is {size / 2**20:.1f} MiB, over 40 MiB"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_notebook_is_the_download(chapter):
    lite = LITE / "files" / f"{chapter}.ipynb"
    download = HTML / "_sources" / f"{chapter}.ipynb"
    assert lite.is_file(), f"lite/files/{chapter}.ipynb is missing"
    assert lite.read_bytes() == download.read_bytes(), "the browser copy differs from the download"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_run_in_the_browser_button(chapter):
    page = HTML / f"{chapter}.html"
    soup = BeautifulSoup(page.read_text(), "html.parser")
    links = [a["href"] for a in soup.select(".dropdown-launch-buttons a")
             if "Run in the browser" in a.get_text(" ", strip=True)]
    assert len(links) == 1, f"{chapter}: expected one 'Run in the browser' button, found {links}"
    target = urlsplit(urljoin(page.as_uri(), links[0]))
    app = target.path
    assert app.endswith("/lite/notebooks/index.html") and (LITE / "notebooks" / "index.html").is_file()
    (path,) = parse_qs(target.query)["path"]
    assert (LITE / "files" / path).is_file(), f"{chapter}: the button opens {path}, which lite/ lacks"
