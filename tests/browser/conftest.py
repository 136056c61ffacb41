"""Fixtures for the browser tests: the built book served on 127.0.0.1 and
opened in headless Chromium, with no network.

What the tests need, and where it comes from:

* Chromium or Google Chrome, already installed on the system (see
  :func:`find_chromium`: ``MMLBOOK_CHROMIUM`` if set, else the usual names on
  ``PATH`` and the usual install folders of Linux and macOS), driven by
  Playwright for Python (``tests/browser/requirements.txt``), never
  Playwright's own browser builds (its download is not reachable everywhere).
* MathJax 3 and axe-core: the npm packages pinned in
  ``tests/browser/package.json``, installed by ``make browser-assets`` into
  ``.venv/browser-assets/node_modules`` (another folder with
  ``MMLBOOK_BROWSER_ASSETS``). Requests for MathJax's CDN address (the
  ``mathjax_path`` of ``_config.yml``) are answered from that copy; axe-core is
  injected into each page.
* The built book in ``_build/html`` (``make book``).

Every other request that leaves 127.0.0.1 is blocked and recorded, and the
browser cannot resolve any other host name either.

When one of these is missing the tests skip with the reason, except when the
``CI`` environment variable is set (``.ci/run`` runs with ``CI=true``): there a
missing tool is a failure, so that a green CI run always means the pages were
really checked. :func:`require` is that rule, and :func:`browser_tools` applies
it to everything above.
"""

from __future__ import annotations

import functools
import http.server
import json
import mimetypes
import os
import re
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from tests.book.chapters import BUILD, HTML, ROOT

HERE = Path(__file__).resolve().parent
ASSETS = Path(os.environ.get("MMLBOOK_BROWSER_ASSETS", ROOT / ".venv" / "browser-assets"))
NODE_MODULES = ASSETS / "node_modules"
PINNED = json.loads((HERE / "package.json").read_text())["dependencies"]
ARTIFACTS = BUILD / "artifacts"

# Where an installed Chromium or Chrome is looked for, in order, after
# MMLBOOK_CHROMIUM: commands on PATH (Debian's and Arch's ``chromium``,
# Fedora's and Ubuntu's ``chromium-browser``, Google's packages), then the
# install folders that are not on PATH (snap, macOS applications).
CHROMIUM_COMMANDS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
                     "chrome")
CHROMIUM_PATHS = (
    "/snap/bin/chromium",
    "/usr/lib/chromium/chromium",
    "/opt/google/chrome/chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "~/Applications/Chromium.app/Contents/MacOS/Chromium",
    "~/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
)
INSTALL_CHROMIUM = (
    "install Chromium or Google Chrome, or set MMLBOOK_CHROMIUM to its executable. "
    "Debian: sudo apt-get install chromium; Ubuntu: sudo snap install chromium "
    "(or Google Chrome's .deb); Fedora: sudo dnf install chromium; "
    "macOS with Homebrew: brew install --cask chromium (or google-chrome)"
)


def find_chromium() -> tuple[str | None, str]:
    """The Chromium or Chrome to drive, and where it was looked for.

    ``MMLBOOK_CHROMIUM`` (a path or a command name) wins and is the only
    place looked at when set; otherwise the first of
    :data:`CHROMIUM_COMMANDS` on ``PATH``, then of :data:`CHROMIUM_PATHS`.
    """
    wanted = os.environ.get("MMLBOOK_CHROMIUM", "").strip()
    if wanted:
        return shutil.which(os.path.expanduser(wanted)), f"MMLBOOK_CHROMIUM={wanted}"
    for name in CHROMIUM_COMMANDS:
        found = shutil.which(name)
        if found:
            return found, name
    for path in CHROMIUM_PATHS:
        found = shutil.which(os.path.expanduser(path))
        if found:
            return found, path
    return None, ", ".join((*CHROMIUM_COMMANDS, *CHROMIUM_PATHS))

# Launch flags that work headless, as root, on a machine without a GPU or
# network. Playwright adds --headless and --no-sandbox itself and gives every
# launch a fresh temporary --user-data-dir (it refuses one in ``args``).
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Belt and braces behind the request interception: no host name but
    # 127.0.0.1 resolves, so nothing can reach the network even by a path
    # that Playwright's routing does not see (a WebSocket, a prefetch).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]

PAGE_TIMEOUT_MS = 30_000
MATHJAX_TIMEOUT_MS = 20_000
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def in_ci() -> bool:
    """True when running under CI (``CI`` set to anything but empty/0/false)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require(ok: bool, what: str, fix: str) -> None:
    """Skip the test when ``what`` is missing, or fail it under CI.

    Outside CI a developer without Chromium can still run the rest of the
    suite; under CI a missing browser must not turn into a silently green run.
    """
    if ok:
        return
    message = f"{what}: {fix}"
    if in_ci():
        pytest.fail(f"{message} (CI is set, so a missing tool is a failure, not a skip)",
                    pytrace=False)
    pytest.skip(message)


def book_pages() -> list[str]:
    """Every page of the built book, as paths relative to ``_build/html``.

    Every ``.html`` file except the theme's templates under ``_static/`` and
    anything else in a folder starting with ``_`` or ``.`` (such as a stray
    ``.pytest_cache``), which are not pages of the book, and the JupyterLite
    app under ``lite/`` (an application, checked by ``test_jupyterlite.py``).
    """
    if not HTML.is_dir():
        return []
    return sorted(
        path.relative_to(HTML).as_posix()
        for path in HTML.rglob("*.html")
        if not any(part.startswith(("_", ".")) for part in path.relative_to(HTML).parts[:-1])
        and path.relative_to(HTML).parts[0] != "lite"
    )


def mathjax_url() -> str:
    """The address the book loads MathJax from (``mathjax_path`` in _config.yml)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    return config["sphinx"]["config"]["mathjax_path"]


@dataclass(frozen=True)
class Tools:
    chromium: str
    mathjax_base: str   # CDN folder that holds es5/, answered from mathjax_dir
    mathjax_dir: Path
    axe_js: Path


@pytest.fixture(scope="session")
def browser_tools() -> Tools:
    """Everything the browser tests need, or a skip (a failure under CI)."""
    require(HTML.is_dir() and (HTML / "index.html").is_file(),
            "the book is not built (no _build/html/index.html)", "run 'make book'")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        require(False, "Playwright for Python is not installed",
                "run 'make browser-deps' (pip install -r tests/browser/requirements.txt)")
    chromium, looked = find_chromium()
    require(chromium is not None, f"no Chromium or Chrome found (looked for {looked})",
            INSTALL_CHROMIUM)

    url = mathjax_url()
    require("/es5/" in url, f"mathjax_path {url!r} is not a MathJax 3 es5/ address",
            "the tests map <base>/es5/... to the local MathJax copy; adapt conftest.py")
    mathjax_dir = NODE_MODULES / "mathjax"
    fix = f"run 'make browser-assets' (npm install of tests/browser/package.json into {ASSETS})"
    installed = _installed_version(mathjax_dir)
    require(installed == PINNED["mathjax"],
            f"local MathJax {PINNED['mathjax']} not found in {mathjax_dir} (found {installed})", fix)
    wanted_major = re.search(r"mathjax@(\d+)", url)
    require(wanted_major is None or installed.split(".")[0] == wanted_major.group(1),
            f"the book loads {url} but the local copy is MathJax {installed}",
            "pin a matching mathjax version in tests/browser/package.json")
    axe_dir = NODE_MODULES / "axe-core"
    installed = _installed_version(axe_dir)
    require(installed == PINNED["axe-core"] and (axe_dir / "axe.min.js").is_file(),
            f"axe-core {PINNED['axe-core']} not found in {axe_dir} (found {installed})", fix)

    return Tools(chromium=chromium, mathjax_base=url.rsplit("/es5/", 1)[0] + "/",
                 mathjax_dir=mathjax_dir, axe_js=axe_dir / "axe.min.js")


def _installed_version(package_dir: Path) -> str | None:
    try:
        return json.loads((package_dir / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def book_url(browser_tools) -> str:
    """``_build/html`` served on 127.0.0.1 (a free port) for the session."""
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="book-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser(browser_tools):
    """One headless Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=browser_tools.chromium,
                                             headless=True, args=CHROMIUM_ARGS)
    except Exception as error:  # noqa: BLE001 - any launch failure means "no browser"
        playwright.stop()
        require(False, f"Chromium at {browser_tools.chromium} does not start ({error})",
                "check 'chromium --headless --no-sandbox --dump-dom about:blank'")
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()


@dataclass
class Offline:
    """The request handler of a browser context: local, MathJax, or blocked."""
    book_url: str
    tools: Tools
    blocked: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def is_remote(self, url: str) -> bool:
        """Anything on the network that is not the book server."""
        scheme = urlsplit(url).scheme
        return scheme in ("http", "https", "ws", "wss") and not url.startswith(self.book_url)

    def handle(self, route) -> None:
        url = route.request.url
        if url.startswith(self.tools.mathjax_base):
            relative = urlsplit(url[len(self.tools.mathjax_base):]).path
            body = _mathjax_file(self.tools.mathjax_dir, relative)
            if body is None:
                self.missing.append(url)
                route.fulfill(status=404, body="not in the local MathJax copy")
            else:
                route.fulfill(status=200, body=body,
                              content_type=mimetypes.guess_type(relative)[0]
                              or "application/octet-stream",
                              # Fonts are loaded cross-origin from the page.
                              headers={"Access-Control-Allow-Origin": "*"})
        else:
            self.blocked.append(url)
            route.abort("internetdisconnected")


@functools.lru_cache(maxsize=None)
def _mathjax_file(root: Path, relative: str) -> bytes | None:
    path = (root / relative).resolve()
    if root.resolve() not in path.parents or not path.is_file():
        return None
    return path.read_bytes()


@pytest.fixture(scope="session")
def new_page(browser, browser_tools, book_url):
    """A factory: a fresh context and page, offline, recording its errors.

    Returns ``(context, page, log)``; the caller closes the context.
    """
    def make(viewport=DESKTOP, **context_options):
        offline = Offline(book_url, browser_tools)
        options = {"service_workers": "block", **context_options}  # JupyterLite needs "allow"
        context = browser.new_context(viewport=viewport, **options)
        context.set_default_timeout(PAGE_TIMEOUT_MS)
        context.route(offline.is_remote, offline.handle)
        page = context.new_page()
        log = PageLog(offline=offline)
        page.on("console", log.on_console)
        page.on("pageerror", lambda error: log.page_errors.append(str(error)))
        page.on("requestfailed", log.on_request_failed)
        return context, page, log

    return make


@dataclass
class PageLog:
    offline: Offline
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def on_console(self, message) -> None:
        if message.type == "error":
            where = message.location or {}
            self.console_errors.append(
                f"{message.text} [{where.get('url', '?')}:{where.get('lineNumber', '?')}]")

    def on_request_failed(self, request) -> None:
        if not self.offline.is_remote(request.url):
            self.failed_requests.append(f"{request.url}: {request.failure}")


# --- what is read off each page -------------------------------------------

WAIT_FOR_MATHJAX = """
async () => {
  if (!document.querySelector('script[src*="mathjax" i]')) return 'no MathJax script';
  const start = Date.now();
  while (!(window.MathJax && window.MathJax.startup && window.MathJax.startup.promise)) {
    if (Date.now() - start > %d) return 'MathJax did not start';
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  await window.MathJax.startup.promise;
  return 'typeset';
}
""" % MATHJAX_TIMEOUT_MS

READ_MATH = r"""
() => {
  const root = document.querySelector('main') || document.body;
  const math = Array.from(root.querySelectorAll('.math'));
  const snippet = text => text.replace(/\s+/g, ' ').trim().slice(0, 100);
  const untypeset = math.filter(e => !e.querySelector('mjx-container'))
                        .map(e => snippet(e.textContent));
  const errors = Array.from(root.querySelectorAll('mjx-merror'))
                      .map(e => snippet(e.getAttribute('data-mjx-error') || e.textContent));
  // TeX delimiters left in the text (outside code, which may hold them).
  const skip = 'pre, code, script, style, textarea, mjx-container, .highlight, .cell_input';
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const raw = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement && node.parentElement.closest(skip)) continue;
    const text = node.textContent;
    const at = text.search(/\\\(|\\\[|\$\$|\\begin\{/);
    if (at >= 0) raw.push(snippet(text.slice(Math.max(0, at - 40), at + 60)));
  }
  return {math: math.length, containers: root.querySelectorAll('mjx-container').length,
          untypeset, errors, raw};
}
"""

READ_IMAGES = """
async () => {
  const images = Array.from(document.images);
  for (const image of images) if (image.loading === 'lazy') image.loading = 'eager';
  await Promise.all(images.map(image => image.complete ? null : new Promise(resolve => {
    image.addEventListener('load', resolve, {once: true});
    image.addEventListener('error', resolve, {once: true});
    setTimeout(resolve, 10000);
  })));
  return images.map(image => ({src: image.getAttribute('src'), url: image.currentSrc || image.src,
                               complete: image.complete, width: image.naturalWidth,
                               alt: image.getAttribute('alt')}));
}
"""

RUN_AXE = """
async () => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.map(String).join(' '), impact: n.impact,
                              html: n.html.slice(0, 200), summary: n.failureSummary}))
  }));
}
"""


@dataclass
class PageReport:
    """What one load of one page showed."""
    name: str
    url: str
    final_url: str
    console_errors: list[str]
    page_errors: list[str]
    failed_requests: list[str]
    blocked_requests: list[str]
    missing_mathjax_files: list[str]
    mathjax: str
    math: dict
    images: list[dict]
    violations: list[dict]


@pytest.fixture(scope="session")
def page_report(new_page, book_url, browser_tools):
    """``page_report(name)``: load the page once, run every check, cache it.

    Each check is its own test, but all of them read the same load, so a page
    is opened once per session however many checks there are.
    """
    reports: dict[str, PageReport | Exception] = {}
    axe_source = browser_tools.axe_js.read_text(encoding="utf-8")

    def report(name: str) -> PageReport:
        if name not in reports:
            try:
                reports[name] = _inspect(new_page, book_url, name, axe_source)
            except Exception as error:  # noqa: BLE001 - kept, so the page is tried once
                reports[name] = error
        result = reports[name]
        if isinstance(result, Exception):
            raise AssertionError(f"{name} could not be loaded and checked: "
                                 f"{type(result).__name__}: {result}") from result
        return result

    return report


def _redirect_target(name: str) -> str | None:
    """The target of a ``<meta http-equiv="Refresh">`` page, such as index.html."""
    text = (HTML / name).read_text(encoding="utf-8", errors="replace")[:2000]
    match = re.search(r'http-equiv="refresh"[^>]*content="\d+;\s*url=([^"]+)"', text, re.I)
    return match.group(1) if match else None


def _inspect(new_page, book_url: str, name: str, axe_source: str) -> PageReport:
    context, page, log = new_page()
    try:
        url = book_url + name
        page.goto(url, wait_until="load")
        target = _redirect_target(name)
        if target:
            page.wait_for_url(book_url + target.lstrip("/"), wait_until="load")
        mathjax = page.evaluate(WAIT_FOR_MATHJAX)
        math = page.evaluate(READ_MATH)
        images = page.evaluate(READ_IMAGES)
        page.add_script_tag(content=axe_source)
        violations = page.evaluate(RUN_AXE)
        return PageReport(
            name=name, url=url, final_url=page.url,
            console_errors=list(log.console_errors), page_errors=list(log.page_errors),
            failed_requests=list(log.failed_requests),
            blocked_requests=list(log.offline.blocked),
            missing_mathjax_files=list(log.offline.missing),
            mathjax=mathjax, math=math, images=images, violations=violations)
    finally:
        context.close()


def wait_until_typeset(page) -> str:
    """Wait for MathJax's first typeset and the web fonts (for screenshots)."""
    state = page.evaluate(WAIT_FOR_MATHJAX)
    page.evaluate("() => document.fonts.ready.then(() => true)")
    return state
