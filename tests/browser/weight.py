"""What a chapter page weighs and how far the keyboard must travel, measured in Chromium.

``measure(new_page, book_url, name)`` loads one page of the built book offline
(desktop viewport, no scrolling) and returns the requests and bytes it made
before MathJax (everything but MathJax's own files) and with them, the size
of its HTML file, and whether any FontAwesome JavaScript was asked for.
``tab_stops(page)`` counts the Tab presses from the top of a loaded page to
the first question box.

``tests/browser/test_weight.py`` checks them against the goals and writes
them to ``_build/artifacts/weight.json``.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.browser.conftest import HTML, WAIT_FOR_MATHJAX

PAGES = ("book/linalg/eigenvalues.html", "book/calculus/gradient-descent.html",
         "book/pca/pca-mnist.html")
LIVE_PAGES = ("book/linalg/matrices-as-transformations.html", "book/linalg/change-of-basis.html",
              "book/linalg/eigenvalues.html")
MAX_BYTES_BEFORE_MATHJAX = 1_500_000
MAX_LIVE_HTML = 250_000
MAX_TAB_STOPS = 40


@dataclass
class Weight:
    name: str
    html_bytes: int
    requests: int
    bytes: int
    mathjax_requests: int
    mathjax_bytes: int
    fontawesome_js: list[str]
    largest: list[tuple[int, str]]

    def line(self) -> str:
        return (f"{self.name}: HTML {self.html_bytes / 1e3:.0f} KB; before MathJax {self.requests} "
                f"requests, {self.bytes / 1e6:.2f} MB; with MathJax {self.requests + self.mathjax_requests} "
                f"requests, {(self.bytes + self.mathjax_bytes) / 1e6:.2f} MB")


def measure(new_page, book_url: str, name: str, mathjax_base: str) -> Weight:
    context, page, _log = new_page()
    seen: list[tuple[str, int]] = []

    def on_response(response):
        try:
            size = len(response.body())
        except Exception:  # noqa: BLE001 - a redirect or an aborted request has no body
            size = 0
        seen.append((response.url, size))

    page.on("response", on_response)
    try:
        page.goto(book_url + name, wait_until="load")
        page.evaluate(WAIT_FOR_MATHJAX)
        page.evaluate("() => document.fonts.ready.then(() => true)")
        page.evaluate("() => document.fonts.ready.then(() => true)")
        page.wait_for_timeout(1500)
    finally:
        context.close()
    mathjax = [(u, s) for u, s in seen if u.startswith(mathjax_base)]
    rest = [(u, s) for u, s in seen if not u.startswith(mathjax_base)]
    return Weight(
        name=name, html_bytes=(HTML / name).stat().st_size,
        requests=len(rest), bytes=sum(s for _, s in rest),
        mathjax_requests=len(mathjax), mathjax_bytes=sum(s for _, s in mathjax),
        fontawesome_js=[u for u, _ in seen if "fontawesome" in u.lower() and ".js" in u.lower()],
        largest=sorted(((s, u.replace(book_url, "")) for u, s in rest), reverse=True)[:8])


INSIDE_QUESTION = ("() => !!(document.activeElement && "
                   "document.activeElement.closest('div.mml-question[data-question]'))")


def tab_stops(page, limit: int = 400, skip_link: bool = False) -> int:
    """Tab presses from the top of a freshly loaded page until the focus is in the first question box.

    With ``skip_link``, the first stop, the theme's "Skip to main content"
    link, is followed first (Tab, Enter), as a keyboard user does to pass the
    header and the book's chapter list, and the stops are counted from there.
    """
    page.evaluate("() => { if (document.activeElement) document.activeElement.blur(); window.scrollTo(0, 0); }")
    if skip_link:
        page.keyboard.press("Tab")
        text = page.evaluate("() => document.activeElement.textContent.trim()")
        assert text == "Skip to main content", f"the first tab stop is {text!r}, not the skip link"
        page.keyboard.press("Enter")
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(INSIDE_QUESTION):
            return presses - 1
    return limit
