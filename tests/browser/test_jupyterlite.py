"""The book's JupyterLite in headless Chromium, served on 127.0.0.1 with no network.

The app must load without JavaScript errors, list the chapters' notebooks,
and open a chapter's notebook from its "Run in the browser" link, showing
the chapter's cells. Pyodide itself comes from its CDN, which these tests
cannot reach: the kernel's requests to it are blocked and recorded, never
counted as the app's errors, and whether the kernel starts and imports
mmlbook is not claimed here (see the README: verified online only).
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from tests.book.chapters import HTML

CHAPTER = "book/linalg/pagerank"
APP = "notebooks"  # the Notebook 7 interface (_ext/jupyterlite_site.py)
CDN = re.compile(r"^https://cdn\.jsdelivr\.net/pyodide/")
CDN_ANYWHERE = re.compile(r"https://cdn\.jsdelivr\.net/pyodide/")


def app_errors(log) -> list[str]:
    """Errors of the app itself: not the kernel failing to reach Pyodide's CDN."""
    errors = [text for text in log.page_errors if not CDN_ANYWHERE.search(text)] + list(log.failed_requests)
    errors += [text for text in log.console_errors
               if "pyodide" not in text.lower() and "ERR_INTERNET_DISCONNECTED" not in text
               and "Failed to fetch" not in text and "kernel" not in text.lower()]
    errors += [f"request to the network: {url}" for url in log.offline.blocked if not CDN.match(url)]
    return errors


def button_url(book_url: str) -> str:
    page = BeautifulSoup((HTML / f"{CHAPTER}.html").read_text(), "html.parser")
    (link,) = [a["href"] for a in page.select(".dropdown-launch-buttons a")
               if "Run in the browser" in a.get_text(" ", strip=True)]
    from urllib.parse import urljoin
    return urljoin(f"{book_url}{CHAPTER}.html", link)


def test_lab_lists_the_chapters(new_page, book_url):
    # JupyterLite registers a service worker (for files and input): allow it.
    context, page, log = new_page(service_workers="allow")
    try:
        page.goto(f"{book_url}lite/lab/index.html", wait_until="load")
        page.locator(".jp-DirListing-content").wait_for(timeout=60_000)
        page.locator(".jp-DirListing-itemName", has_text="book").first.wait_for(timeout=60_000)
        # Into the folder of the Linear Algebra part, by double-clicks as a reader would.
        page.locator(".jp-DirListing-itemName", has_text="book").first.dblclick()
        page.locator(".jp-DirListing-itemName", has_text="linalg").first.wait_for(timeout=30_000)
        page.locator(".jp-DirListing-itemName", has_text="linalg").first.dblclick()
        page.locator(".jp-DirListing-itemName", has_text="pagerank.ipynb").first.wait_for(timeout=30_000)
        assert not app_errors(log), app_errors(log)
    finally:
        context.close()


def test_run_in_the_browser_opens_the_chapter(new_page, book_url):
    # JupyterLite registers a service worker (for files and input): allow it.
    context, page, log = new_page(service_workers="allow")
    try:
        page.goto(button_url(book_url), wait_until="load")
        page.locator(".jp-Notebook").first.wait_for(timeout=60_000)
        title = page.locator(".jp-RenderedMarkdown h1", has_text="Rank web pages with PageRank")
        title.first.wait_for(timeout=60_000)
        # The install cell is there, the first code cell, folded to the one line that says what it does.
        page.locator(".jp-CodeCell").first.wait_for(timeout=30_000)
        first_code = page.locator(".jp-CodeCell").first.inner_text()
        assert first_code.strip().startswith("#@title Set-up: installs mmlbook"), first_code[:300]
        assert "MMLBOOK_VERSION" not in first_code, "the install cell is not folded"
        assert not app_errors(log), app_errors(log)
    finally:
        context.close()


NOTEBOOK = "book/linalg/eigenvalues"  # a matrix question (q-eig-power) and a slider figure


def _cell_indices(chapter: str):
    """(index of q-eig-power's answer cell, index of the first slider figure's cell) in the notebook."""
    import nbformat

    notebook = nbformat.read(HTML / "_sources" / f"{chapter}.ipynb", as_version=4)
    question = next(i for i, cell in enumerate(notebook.cells)
                    if cell.cell_type == "markdown" and 'id="q-eig-power"' in cell.source)
    answer = next(i for i in range(question + 1, len(notebook.cells))
                  if notebook.cells[i].source.startswith("<details>\n<summary>Answer"))
    slider = next(i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code"
                  and any(o.get("metadata", {}).get("mmlbook_slider_frames") for o in cell.get("outputs", [])))
    return answer, slider


SCROLL_TO_CELL = """
async (index) => {
  const find = () => document.querySelector(`.jp-Notebook .jp-Cell[data-windowed-list-index="${index}"]`);
  for (let step = 0; step < 400 && !find(); step++) {
    const scroller = document.querySelector('.jp-WindowedPanel-outer') || document.scrollingElement;
    scroller.scrollTop += Math.max(200, scroller.clientHeight * 0.7);
    await new Promise(resolve => setTimeout(resolve, 60));
  }
  const cell = find();
  if (!cell) return false;
  cell.scrollIntoView({block: 'center'});
  return true;
}
"""


def test_notebook_shows_typeset_answers_and_slider_panels(new_page, book_url):
    answer_index, slider_index = _cell_indices(NOTEBOOK)
    context, page, log = new_page(service_workers="allow")
    try:
        page.goto(f"{book_url}lite/{APP}/index.html?path={NOTEBOOK}.ipynb", wait_until="load")
        page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
        # The answer of the matrix question D^4, opened and typeset by JupyterLab's own MathJax.
        assert page.evaluate(SCROLL_TO_CELL, answer_index), "the answer's cell never appeared"
        cell = page.locator(f'.jp-Cell[data-windowed-list-index="{answer_index}"]')
        cell.locator("summary").click()
        matrix = cell.locator("details mjx-container")
        matrix.first.wait_for(timeout=30_000)
        assert cell.locator("details mjx-container mjx-mtable").count() == 1, cell.inner_html()[:500]
        assert "\\begin" not in cell.inner_text(), "raw LaTeX beside the typeset answer"
        # The slider figure's cell shows its key-frame panel, not a frozen slider.
        assert page.evaluate(SCROLL_TO_CELL, slider_index), "the slider's cell never appeared"
        outputs = page.locator(f'.jp-Cell[data-windowed-list-index="{slider_index}"] .jp-OutputArea-output')
        image = outputs.locator("img").first
        image.wait_for(timeout=30_000)
        assert page.evaluate("img => img.complete && img.naturalWidth > 200", image.element_handle())
        assert outputs.locator('input[type="range"]').count() == 0, "a frozen slider in the notebook"
        assert not app_errors(log), app_errors(log)
    finally:
        context.close()


def test_run_this_chapter_opens_jupyterlite_and_says_when_python_cannot_start(new_page, book_url):
    """The bar at the top of the chapter opens its notebook; with Pyodide's CDN out of
    reach (as here), the app says so in an alert instead of a silent [*]."""
    context, page, log = new_page(service_workers="allow")
    try:
        page.goto(f"{book_url}{CHAPTER}.html", wait_until="load")
        bar = page.locator("nav.mml-run")
        main = bar.locator("a.mml-run-main")
        assert main.is_visible() and main.bounding_box()["y"] < 600, "no visible Run control at the top"
        names = [a.inner_text().strip() for a in bar.locator("a").all()]
        assert any("Run this chapter" in n for n in names) and "Binder" in names and "Colab" in names, names
        assert main.get_attribute("href").split("?path=")[-1] == f"{CHAPTER}.ipynb"
        main.click()
        page.wait_for_url(re.compile(r"/lite/notebooks/index\.html\?path="))
        page.locator(".jp-Notebook").first.wait_for(timeout=60_000)
        alert = page.locator('#mml-kernel-check[role="alert"]')
        alert.wait_for(timeout=40_000)
        text = alert.inner_text()
        assert "Python cannot start" in text and "cdn.jsdelivr.net" in text and "Binder" in text, text
        assert not app_errors(log), app_errors(log)
    finally:
        context.close()
