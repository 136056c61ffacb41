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
CDN = re.compile(r"^https://cdn\.jsdelivr\.net/pyodide/")


def app_errors(log) -> list[str]:
    """Errors of the app itself: not the kernel failing to reach Pyodide's CDN."""
    errors = [*log.page_errors, *log.failed_requests]
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
        # The install cell is there: the first code cell, and it pins the wheel.
        page.locator(".jp-CodeCell").first.wait_for(timeout=30_000)
        first_code = page.locator(".jp-CodeCell").first.inner_text()
        assert "MMLBOOK_VERSION" in first_code, first_code[:300]
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
