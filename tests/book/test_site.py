"""Checks of the built site in ``_build/html`` (run after ``make book``)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.book.chapters import HTML, chapter_sources, source_of, toc_files, ROOT

if not HTML.is_dir():
    pytest.fail("the book has not been built: run 'make book' before these tests",
                pytrace=False)

# Pages of the book, not the theme's template fragments copied into _static/.
PAGES = sorted(p for p in HTML.rglob("*.html") if "_static" not in p.relative_to(HTML).parts)
CONTENT_PAGES = [HTML / f"{name}.html" for name in toc_files()]
CHAPTER_PAGES = [HTML / source.relative_to(ROOT).with_suffix(".html") for source in chapter_sources()]


@lru_cache(maxsize=None)
def soup(page: Path) -> BeautifulSoup:
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


@lru_cache(maxsize=None)
def ids(page: Path) -> frozenset[str]:
    return frozenset(tag["id"] for tag in soup(page).find_all(id=True))


def page_id(page: Path) -> str:
    return str(page.relative_to(HTML))


@pytest.mark.parametrize("name", toc_files())
def test_every_toc_entry_has_a_page(name):
    assert (HTML / f"{name}.html").is_file(), f"no HTML page for {name} in _build/html"


def test_there_are_chapters():
    assert CHAPTER_PAGES, "no executable chapter in _toc.yml"


@pytest.mark.parametrize("page", CONTENT_PAGES, ids=page_id)
def test_no_error_output_or_traceback(page):
    main = soup(page).find("main") or soup(page)
    for output in main.select("div.cell_output, div.output"):
        classes = " ".join(sum((d.get("class", []) for d in output.find_all(True)), []))
        text = output.get_text()
        assert "traceback" not in classes, f"{page_id(page)} shows a traceback"
        assert "stderr" not in classes, f"{page_id(page)} shows stderr output: {text[:300]}"
        assert "Traceback (most recent call last)" not in text, f"{page_id(page)} shows a traceback"
        # Bare object reprs such as "<matplotlib.lines.Line2D at 0x7f...>" are
        # noise for a reader and differ between runs.
        # A figure whose drawing failed leaves only its text repr behind.
        assert "<Figure size" not in text, f"{page_id(page)}: a figure failed to render"
        assert not re.search(r" at 0x[0-9a-f]{6,}>", text), \
            f"{page_id(page)} shows an object's memory address: {text[:200]}"
    text = main.get_text()
    assert "Traceback (most recent call last)" not in text


def _internal_targets(page: Path):
    for tag, attr in (("a", "href"), ("img", "src"), ("link", "href"), ("script", "src")):
        for element in soup(page).find_all(tag):
            url = element.get(attr)
            if not url or url.startswith(("mailto:", "javascript:", "data:")):
                continue
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                continue  # external: not checked offline
            yield url, parts


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_internal_links_and_anchors_resolve(page):
    broken = []
    for url, parts in _internal_targets(page):
        target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.exists():
            broken.append(f"{url} (no file {target})")
            continue
        if parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in ids(target):
            broken.append(f"{url} (no anchor #{parts.fragment})")
    assert not broken, f"{page_id(page)} has broken links:\n" + "\n".join(broken)


@pytest.mark.parametrize("page", CHAPTER_PAGES, ids=page_id)
def test_chapter_has_binder_link(page):
    # Binder opens the learner notebook on the published branch.
    source = Path("_sources") / page.relative_to(HTML).with_suffix(".ipynb")
    links = [a["href"] for a in soup(page).find_all("a", href=True)
             if a["href"].startswith("https://mybinder.org/v2/gh/")]
    assert links, f"{page_id(page)} has no Binder launch link"
    assert any(str(source) in link for link in links), \
        f"{page_id(page)}: Binder link does not open {source}: {links}"


@pytest.mark.parametrize("page", CHAPTER_PAGES, ids=page_id)
def test_chapter_figures_have_alt_text_and_captions(page):
    main = soup(page).find("main")
    for img in main.select("div.cell_output img, figure img"):
        alt = img.get("alt", "").strip()
        assert alt and alt != "_images", f"{page_id(page)}: image {img.get('src')} has no alt text"
    for figure in main.find_all("figure"):
        assert figure.find("figcaption"), f"{page_id(page)}: a figure has no caption"


@pytest.mark.parametrize("page", CHAPTER_PAGES, ids=page_id)
def test_chapter_has_exercises_with_collapsed_solutions(page):
    main = soup(page).find("main")
    exercises = main.select("div.exercise")
    solutions = main.select("div.solution")
    assert len(exercises) >= 2, f"{page_id(page)} has {len(exercises)} exercises, wants at least 2"
    assert solutions, f"{page_id(page)} has no solutions"
    for solution in solutions:
        assert "dropdown" in solution.get("class", []), \
            f"{page_id(page)}: a solution is not collapsed (add ':class: dropdown')"


@pytest.mark.parametrize("page", CHAPTER_PAGES, ids=page_id)
def test_glued_values_are_rendered(page):
    main = soup(page).find("main")
    assert not main.select(".pasted-inline .error, .output.error"), f"{page_id(page)}: a glue failed"


@pytest.mark.parametrize("page", CHAPTER_PAGES, ids=page_id)
def test_chapter_has_colab_and_download_links_to_its_notebook(page):
    notebook = Path("_sources") / page.relative_to(HTML).with_suffix(".ipynb")
    assert (HTML / notebook).is_file(), f"the build did not write {notebook}"
    hrefs = [a["href"] for a in soup(page).find_all("a", href=True)]
    colab = [h for h in hrefs if h.startswith("https://colab.research.google.com/github/")]
    assert colab, f"{page_id(page)} has no Colab launch link"
    assert all(h.endswith(f"/blob/gh-pages/{notebook}") for h in colab), \
        f"{page_id(page)}: Colab must open the published notebook {notebook}: {colab}"
    downloads = [h for h in hrefs if h.endswith(notebook.name) and not urlsplit(h).scheme
                 and not urlsplit(h).query]  # not the JupyterLite link (lite/...?path=...)
    assert downloads, f"{page_id(page)} has no .ipynb download link"
    assert all((page.parent / h).resolve() == (HTML / notebook).resolve() for h in downloads)


def _sidebar_parts(page: Path) -> dict[str, tuple[bool, list[str]]]:
    """Each part of the sidebar's chapter list: (open?, its chapters' link texts)."""
    nav = soup(page).select_one("nav.bd-docs-nav")
    return {d.summary.get_text(strip=True): (d.has_attr("open"), [a.get_text(strip=True) for a in d.select("ul a")])
            for d in nav.select("details.mml-part")}


@pytest.mark.parametrize("page", CHAPTER_PAGES, ids=page_id)
def test_sidebar_opens_only_the_part_of_the_page(page):
    """The chapter list folds every part but the page's own (reader.py, fold_parts)."""
    parts = _sidebar_parts(page)
    assert {"Linear Algebra", "Multivariate Calculus", "Principal Component Analysis"} <= set(parts), parts
    opened = [name for name, (is_open, _) in parts.items() if is_open]
    assert len(opened) == 1, f"open parts: {opened}"
    title = soup(page).select_one("nav.bd-docs-nav a.current").get_text(strip=True)
    assert title in parts[opened[0]][1], f"{title!r} is not in the open part {opened[0]!r}"
    assert sum(len(links) for _, links in parts.values()) == len(CHAPTER_PAGES) + 2  # + progress, references


def test_sidebar_opens_every_part_on_the_front_page():
    parts = _sidebar_parts(HTML / "book" / "intro.html")
    assert parts and all(is_open for is_open, _ in parts.values()), parts
