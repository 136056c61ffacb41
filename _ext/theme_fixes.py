"""Work around console errors and accessibility faults of the theme stack.

Found by tests/browser (headless Chromium + axe-core) on every page, with
Sphinx 7.4, docutils 0.21, pydata-sphinx-theme 0.15, sphinx-book-theme 1.1,
myst-nb 1.4 and sphinx-thebe 0.3; none of them comes from the book's content.

1. Inline <script> blocks added while the build runs are written twice
   into every page (Sphinx 7.4 keeps one copy with filename None and one
   with filename '', which do not compare equal), so sphinx-thebe's
   ``const THEBE_JS_URL`` is declared twice: "SyntaxError: Identifier
   'THEBE_JS_URL' has already been declared". Fixed by dropping exact
   duplicates from the page's script list.
2. myst-nb's "Show code cell source" toggles are <summary> elements named
   "Toggle hidden content", which is not their visible text (axe
   label-content-name-mismatch, serious, WCAG 2.5.3): the aria-label is
   dropped so that the visible text names them.
3. docutils writes the bibliography as role="list" whose entries have
   role="doc-biblioentry", which ARIA 1.2 deprecates and which is not a
   list item (axe aria-required-children, critical): the entries get
   role="listitem".
4. pydata-sphinx-theme's search button is named "Search" but shows
   "Search Ctrl+K" (label-content-name-mismatch, serious): the copy of its
   template in templates/search-button-field.html, found first on
   templates_path, drops the aria-label, so the visible text names it.
5. pydata-sphinx-theme logs "Got invalid theme mode: ." on a first visit
   when ``default_mode`` is unset: it defaults to "auto" here.
6. sphinx-book-theme's light-mode link colour has a contrast of 4.29:1 on
   the background of exercise, proof and note admonitions (axe
   color-contrast, serious): static/theme-fixes.css darkens it.
7. pydata-sphinx-theme loads FontAwesome's JavaScript build (all.min.js,
   1.5 MB) on every page, although its CSS and web fonts, also loaded,
   show the same icons: templates/static/webpack-macros.html, found first
   on templates_path, drops the script (and the preloads of the unused
   regular-weight font and of the brands font, whose one icon, GitHub, is
   an SVG mask in static/theme-fixes.css, so that font is never fetched).
   Its CSS (all.min.css, 103 KB, two thousand icons) is cut down after the
   build to the icons the site's pages name (``fontawesome-subset.css``,
   which the same template links instead).
8. No image had a width and height, so the page shifted as each loaded,
   and every image loaded at once: each ``<img>`` of a PNG in ``_images``
   gets its pixel size (the CSS keeps it responsive), and every image after
   the first is ``loading="lazy"``.
"""

from __future__ import annotations

import re
from pathlib import Path


def _dedupe_scripts(app, pagename, templatename, context, doctree) -> None:
    seen, unique = set(), []
    for script in context.get("script_files", []):
        key = (str(getattr(script, "filename", script) or ""),
               tuple(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def _png_size(path: Path) -> tuple[int, int] | None:
    try:
        with open(path, "rb") as handle:
            head = handle.read(24)
    except OSError:
        return None
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


_IMG = re.compile(r"<img\b[^>]*>")
_SRC = re.compile(r'\ssrc="([^"]+)"')


def _size_images(app, body: str) -> str:
    """width/height from the PNG file, and lazy loading after the first image."""
    by_name = {name: Path(app.srcdir) / source for source, name in getattr(app.builder, "images", {}).items()}
    seen = 0

    def fix(match: re.Match) -> str:
        nonlocal seen
        tag = match.group(0)
        seen += 1
        src = _SRC.search(tag)
        if src and " width=" not in tag and " height=" not in tag:
            name = src.group(1).rsplit("/", 1)[-1]
            size = _png_size(by_name[name]) if "_images/" in src.group(1) and name in by_name else None
            if size:
                tag = tag.replace("<img ", f'<img width="{size[0]}" height="{size[1]}" ', 1)
        if seen > 1 and " loading=" not in tag:
            tag = tag.replace("<img ", '<img loading="lazy" decoding="async" ', 1)
        return tag

    return _IMG.sub(fix, body)


def _fix_body(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if body:
        body = body.replace('<summary aria-label="Toggle hidden content">', "<summary>")
        body = body.replace('role="doc-biblioentry"', 'role="listitem"')
        body = _size_images(app, body)
        context["body"] = body


def _configure(app, config) -> None:
    here = Path(__file__).parent
    config.templates_path.insert(0, str(here / "templates"))
    config.html_static_path.append(str(here / "static"))
    config.html_context.setdefault("default_mode", "auto")


FA_DIR = "_static/vendor/fontawesome/6.5.2"
_ICON_RULE = re.compile(r"^(\.fa-[a-z0-9-]+:{1,2}before)(,\.fa-[a-z0-9-]+:{1,2}before)*$")
_ICON_NAME = re.compile(r"fa-[a-z0-9-]+")


def _top_level_rules(css: str) -> list[tuple[str, str]]:
    """(prelude, block) for each top-level rule of a stylesheet, nested blocks kept whole."""
    rules, depth, start, brace = [], 0, 0, 0
    for i, char in enumerate(css):
        if char == "{":
            if depth == 0:
                brace = i
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                rules.append((css[start:brace].strip(), css[brace:i + 1]))
                start = i + 1
    return rules


def fontawesome_subset(css: str, used: set[str]) -> str:
    """FontAwesome's CSS with only the icon rules (``.fa-x:before{content}``) of ``used`` names."""
    kept = []
    for prelude, block in _top_level_rules(css):
        if _ICON_RULE.match(prelude):
            selectors = [s for s in prelude.split(",") if s.split(":")[0][1:] in used]
            if not selectors:
                continue
            prelude = ",".join(selectors)
        kept.append(prelude + block)
    return "".join(kept).replace("../webfonts/", "vendor/fontawesome/6.5.2/webfonts/")


def _write_fontawesome_subset(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    used: set[str] = set()
    for page in out.rglob("*.html"):
        if page.relative_to(out).parts[0] not in ("lite", "_sources"):
            used.update(_ICON_NAME.findall(page.read_text(encoding="utf-8", errors="replace")))
    for script in (out / "_static").rglob("*.js"):
        if "vendor" not in script.parts and "wheels" not in script.parts:
            used.update(_ICON_NAME.findall(script.read_text(encoding="utf-8", errors="replace")))
    css = (out / FA_DIR / "css" / "all.min.css").read_text(encoding="utf-8")
    (out / "_static" / "fontawesome-subset.css").write_text(fontawesome_subset(css, used), encoding="utf-8")


def setup(app):
    app.connect("config-inited", _configure)
    app.add_css_file("theme-fixes.css", priority=900)  # after the theme's own CSS
    # After every other handler, which may still add scripts.
    app.connect("html-page-context", _dedupe_scripts, priority=1000)
    app.connect("html-page-context", _fix_body)
    app.connect("build-finished", _write_fontawesome_subset)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
