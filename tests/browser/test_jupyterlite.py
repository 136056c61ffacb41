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
    context, page, log = new_page()
    try:
        page.goto(f"{book_url}lite/lab/index.html?path=book/linalg", wait_until="load")
        listing = page.locator(".jp-DirListing-content")
        listing.wait_for(timeout=60_000)
        page.get_by_text("pagerank.ipynb").first.wait_for(timeout=60_000)
        names = page.locator(".jp-DirListing-itemName").all_inner_texts()
        assert "pagerank.ipynb" in " ".join(names), names
        assert not app_errors(log), app_errors(log)
    finally:
        context.close()


def test_run_in_the_browser_opens_the_chapter(new_page, book_url):
    context, page, log = new_page()
    try:
        page.goto(button_url(book_url), wait_until="load")
        page.locator(".jp-Notebook").first.wait_for(timeout=60_000)
        page.get_by_text("Rank web pages with PageRank").first.wait_for(timeout=60_000)
        # The install cell is there, first among the code cells.
        page.get_by_text("MMLBOOK_VERSION").first.wait_for(timeout=30_000)
        assert not app_errors(log), app_errors(log)
    finally:
        context.close()
