"""Every page of the built book in headless Chromium, with no network.

Each page is loaded once (see ``page_report`` in conftest.py) and four checks
read that load: no JavaScript error, the equations typeset by MathJax, every
image loaded, and no serious or critical accessibility violation found by
axe-core. Screenshots of one chapter at desktop and phone widths are saved
under ``_build/artifacts/`` for a person to look at, and the chapter must not
scroll sideways at either width.
"""

from __future__ import annotations

import pytest

from tests.book.chapters import HTML, toc_files
from tests.browser.conftest import (ARTIFACTS, DESKTOP, PHONE, book_pages, require,
                                    wait_until_typeset)

PAGES = book_pages()
# axe-core impacts that fail the test ("moderate" and "minor" ones do not).
FAILING_IMPACTS = ("serious", "critical")
SCREENSHOT_PAGE = "book/linalg/pagerank.html"


def _lines(items, limit=20) -> str:
    items = list(items)
    shown = "\n".join(f"  - {item}" for item in items[:limit])
    more = f"\n  ... and {len(items) - limit} more" if len(items) > limit else ""
    return shown + more


def _summary(node) -> str:
    """axe's "Fix any of the following: ..." text on one line."""
    return " ".join((node.get("summary") or "").split())[:300]


def test_every_toc_entry_is_checked(browser_tools):
    """The pages checked below include every document of _toc.yml."""
    missing = [name for name in toc_files() if f"{name}.html" not in PAGES]
    assert not missing, f"toc entries with no page in {HTML}:\n{_lines(missing)}"


@pytest.mark.parametrize("name", PAGES)
def test_no_javascript_errors(name, page_report):
    report = page_report(name)
    problems = (
        [f"console error: {text}" for text in report.console_errors]
        + [f"uncaught exception: {text}" for text in report.page_errors]
        + [f"failed local request: {text}" for text in report.failed_requests]
        + [f"request to the network (blocked; the book must work offline): {url}"
           for url in report.blocked_requests]
        + [f"MathJax file not in the local copy: {url}" for url in report.missing_mathjax_files]
    )
    assert not problems, f"{name} (loaded as {report.final_url}):\n{_lines(problems)}"


@pytest.mark.parametrize("name", PAGES)
def test_equations_are_typeset(name, page_report):
    report = page_report(name)
    math = report.math
    if not math["math"] and not math["raw"]:
        return  # no mathematics on this page
    problems = []
    if report.mathjax != "typeset":
        problems.append(f"MathJax was not ready: {report.mathjax}")
    if math["math"] and not math["containers"]:
        problems.append(f"{math['math']} math elements but no mjx-container after load")
    problems += [f"left untypeset: {text}" for text in math["untypeset"]]
    problems += [f"TeX error: {text}" for text in math["errors"]]
    problems += [f"raw TeX delimiters in the text: {text}" for text in math["raw"]]
    assert not problems, f"{name}:\n{_lines(problems)}"


@pytest.mark.parametrize("name", PAGES)
def test_images_load(name, page_report):
    report = page_report(name)
    broken = [f"{image['src']} (alt={image['alt']!r}, complete={image['complete']}, "
              f"naturalWidth={image['width']})"
              for image in report.images if not (image["complete"] and image["width"] > 0)]
    assert not broken, f"{name}: images that did not load:\n{_lines(broken)}"


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violations(name, page_report):
    report = page_report(name)
    failing = []
    for violation in report.violations:
        nodes = [node for node in violation["nodes"]
                 if (node["impact"] or violation["impact"]) in FAILING_IMPACTS]
        if nodes:
            selectors = _lines((f"{node['target']}    {node['html']}\n      {_summary(node)}"
                                for node in nodes), 10)
            failing.append(f"{violation['id']} ({violation['impact']}): {violation['help']} "
                           f"<{violation['helpUrl']}>\n{selectors}")
    assert not failing, f"{name}: axe-core violations:\n" + "\n".join(failing)


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_screenshot(device, new_page, book_url):
    """Full-page screenshots of one chapter, saved as test artefacts."""
    require((HTML / SCREENSHOT_PAGE).is_file(), f"no {SCREENSHOT_PAGE} in the build",
            "the screenshot chapter is missing; run 'make book'")
    options = ({"viewport": DESKTOP} if device == "desktop" else
               {"viewport": PHONE, "device_scale_factor": 2, "is_mobile": True,
                "has_touch": True})
    context, page, _log = new_page(**options)
    try:
        page.goto(book_url + SCREENSHOT_PAGE, wait_until="load")
        assert wait_until_typeset(page) == "typeset"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"pagerank-{device}.png"
        path.unlink(missing_ok=True)
        page.screenshot(path=str(path), full_page=True)
        # The page itself never scrolls sideways (wide code and equations
        # scroll inside their own boxes).
        width, viewport = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]")
    finally:
        context.close()
    assert path.stat().st_size > 10_000, f"{path} is suspiciously small"
    assert width <= viewport, \
        f"{SCREENSHOT_PAGE} is {width}px wide in a {viewport}px {device} window (see {path})"
