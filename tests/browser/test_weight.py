"""The weight of three chapter pages and the keyboard's path to the first question.

Goals (issue 24): at most 1.5 MB before MathJax on eigenvalues,
gradient-descent and pca-mnist; at most 250 KB of HTML for each page with a
live figure; no FontAwesome JavaScript; at most 40 tab stops before the
first question box on eigenvalues (formulas are not tab stops). The numbers
are written to ``_build/artifacts/weight.json``.
"""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest

from tests.browser.conftest import ARTIFACTS, HTML, WAIT_FOR_MATHJAX
from tests.browser.weight import (LIVE_PAGES, MAX_BYTES_BEFORE_MATHJAX, MAX_LIVE_HTML,
                                  MAX_TAB_STOPS, PAGES, measure, tab_stops)

_weights: dict = {}


@pytest.fixture(scope="module")
def weights(new_page, book_url, browser_tools):
    if not _weights:
        for name in PAGES:
            _weights[name] = measure(new_page, book_url, name, browser_tools.mathjax_base)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "weight.json").write_text(json.dumps(
            {name: asdict(w) for name, w in _weights.items()}, indent=2))
        for w in _weights.values():
            print(w.line())
    return _weights


@pytest.mark.parametrize("name", PAGES)
def test_page_is_light_before_mathjax(name, weights):
    w = weights[name]
    assert w.bytes <= MAX_BYTES_BEFORE_MATHJAX, f"{w.line()}; largest: {w.largest}"


@pytest.mark.parametrize("name", PAGES)
def test_no_fontawesome_javascript(name, weights):
    assert not weights[name].fontawesome_js, weights[name].fontawesome_js


@pytest.mark.parametrize("name", LIVE_PAGES)
def test_live_figure_page_html_is_small(name):
    size = (HTML / name).stat().st_size
    assert size <= MAX_LIVE_HTML, f"{name} is {size / 1e3:.0f} KB of HTML"


def test_few_tab_stops_before_the_first_question(new_page, book_url):
    """Formulas are no tab stops, and the first question comes early.

    Counted from the top of the page, as a reader who tabs through everything
    meets them: the header, the chapter list of the sidebar (only the open
    part's chapters, see ``reader.fold_parts``), the run bar and the section
    before the first question. The count from the "Skip to main content"
    link, which passes the header and the sidebar, is recorded too.
    """
    counts = {}
    for skip in (False, True):
        context, page, _log = new_page()
        try:
            page.goto(book_url + "book/linalg/eigenvalues.html", wait_until="load")
            page.evaluate(WAIT_FOR_MATHJAX)
            formulas = page.evaluate("() => Array.from(document.querySelectorAll('mjx-container'))"
                                     ".filter(m => m.tabIndex >= 0).length")
            assert formulas == 0, f"{formulas} formulas are tab stops"
            counts[skip] = tab_stops(page, skip_link=skip)
        finally:
            context.close()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "tab-stops.json").write_text(json.dumps(
        {"from the top": counts[False], "from the skip link": counts[True]}))
    print(f"eigenvalues: {counts[False]} tab stops from the top, {counts[True]} from the skip link, "
          "before the first question box")
    assert counts[False] <= MAX_TAB_STOPS, f"{counts[False]} tab stops from the top of the page"
