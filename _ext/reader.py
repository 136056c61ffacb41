"""What a reader meets around the content: a "Run this chapter" bar, the
chapter's score, the progress page, and the live figures' site-only trim.

- **Run this chapter**: at the top of every chapter page, beside its title, a
  bar of three links: in the browser (the book's JupyterLite, see
  ``jupyterlite_site.py``), Binder and Colab, the same addresses as the
  launch menu (the rocket). Under it, the chapter's score (filled in by
  ``static/progress.js``: "2 of 4 questions answered, 1 right").
- **Progress**: ``static/progress.js`` keeps each answer and its result in
  the browser's ``localStorage``, under the book's version and the
  question's label, with a fingerprint of the question's answer so that a
  changed question is never shown as answered. It restores them on reload.
- **The progress page** (``book/progress.md``, a ``{progress-table}``
  placeholder): one row per chapter in the order of the table of contents,
  with its questions' labels, filled in by the same script; a button clears
  the saved answers.
- **Live figures** (``mmlbook.interactive.live_figure``) carry a PNG
  fallback for notebooks that run no script; the site always runs its script,
  so the fallback is dropped from the page (lighter HTML).
- **Wide formulas** stay keyboard-scrollable (``static/math-scroll.js``)
  although formulas are no longer tab stops.
- **The chapter list** in the sidebar: each part (Linear Algebra, ...) is
  a ``<details>`` under its title, open for the part of the page shown and
  folded for the others, so that a keyboard passes three titles, not 38
  chapters, on its way to the content. On the front page every part is
  open. No script is needed. The theme's fullscreen button (the browser's
  F11) is left out of the header.
- **Flipbooks** (``mmlbook.interactive.slider_figure``): their frames are
  palette PNGs at twice the resolution they are shown at; on the site they
  are re-encoded as lossless WebP (the same pixels, about 40 % fewer bytes),
  which every browser that runs the site's script shows.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
from importlib.metadata import version
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

PLACEHOLDER = "mml-progress-table"
FALLBACK = re.compile(r'<img\b[^>]*class="mml-live-fallback"[^>]*>')
FLIPBOOK = re.compile(r'<div class="mml-slider" id="[^"]*">.*?</script></div>', re.S)
PNG_URI = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")


def _webp(match: re.Match) -> str:
    """A PNG data URI as a lossless WebP data URI (the same pixels)."""
    from PIL import Image

    image = Image.open(io.BytesIO(base64.b64decode(match.group(1))))
    out = io.BytesIO()
    image.save(out, format="webp", lossless=True, quality=100, method=6)
    return "data:image/webp;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def _lighter_flipbooks(body: str) -> str:
    cache: dict[str, str] = {}

    def frame(match: re.Match) -> str:
        if match.group(1) not in cache:
            cache[match.group(1)] = _webp(match)
        return cache[match.group(1)]

    return FLIPBOOK.sub(lambda m: PNG_URI.sub(frame, m.group(0)), body)


class ProgressTable(SphinxDirective):
    """``{progress-table}``: where the progress page's table goes."""

    has_content = False

    def run(self):
        return [nodes.raw("", f'<div id="{PLACEHOLDER}"></div>', format="html")]


def _collect(app, doctree) -> None:
    env = app.env
    if not hasattr(env, "mml_questions"):
        env.mml_questions = {}
    labels = [node["label"] for node in doctree.findall(nodes.Element)
              if node.__class__.__name__ == "question" and "label" in node]
    if labels:
        env.mml_questions[env.docname] = labels
    else:
        env.mml_questions.pop(env.docname, None)


def _purge(app, env, docname) -> None:
    getattr(env, "mml_questions", {}).pop(docname, None)


def _merge(app, env, docnames, other) -> None:
    if not hasattr(env, "mml_questions"):
        env.mml_questions = {}
    for docname in docnames:
        if docname in getattr(other, "mml_questions", {}):
            env.mml_questions[docname] = other.mml_questions[docname]


def _toc_order(env) -> list[str]:
    order: list[str] = []

    def walk(docname: str) -> None:
        if docname in order:
            return
        order.append(docname)
        for child in env.toctree_includes.get(docname, []):
            walk(child)

    walk(env.config.root_doc)
    return order


def _chapter_title(env, docname: str) -> str:
    title = env.titles[docname].astext() if docname in env.titles else docname
    number = env.toc_secnumbers.get(docname, {}).get("")
    return f"{'.'.join(map(str, number))}. {title}" if number else title


def _launch_links(context: dict[str, Any]) -> dict[str, str]:
    links = {}
    for button in context.get("header_buttons", []):
        if button.get("label") == "launch-buttons":
            for item in button.get("buttons", []):
                if item.get("text") in ("Run in the browser", "Binder", "Colab") and item.get("url"):
                    links[item["text"]] = item["url"]
    return links


def _run_bar(app, pagename: str, context: dict[str, Any]) -> str:
    links = _launch_links(context)
    total = len(getattr(app.env, "mml_questions", {}).get(pagename, []))
    progress = context["pathto"]("book/progress")
    parts = ['<nav class="mml-run" aria-label="Run this chapter">']
    if "Run in the browser" in links:
        parts.append(f'<a class="mml-run-main" href="{html.escape(links["Run in the browser"])}">'
                     '<span aria-hidden="true">&#9654;</span> Run this chapter</a>'
                     '<span class="mml-run-note">in your browser (JupyterLite), or on</span>')
    for name in ("Binder", "Colab"):
        if name in links:
            parts.append(f'<a class="mml-run-alt" href="{html.escape(links[name])}">{name}</a>')
    parts.append("</nav>")
    if total:
        parts.append(f'<p class="mml-score" data-total="{total}">'
                     f'<span class="mml-score-text">{total} questions in this chapter, none answered yet.</span> '
                     f'<a href="{progress}">Your progress</a></p>')
    return "".join(parts)


def _page(app, pagename: str, templatename: str, context: dict[str, Any], doctree) -> None:
    body = context.get("body")
    if not body:
        return
    body = FALLBACK.sub("", body)
    if 'class="mml-slider"' in body:
        body = _lighter_flipbooks(body)
    if _launch_links(context):
        at = body.find("</h1>")
        if at >= 0:
            at += len("</h1>")
            body = body[:at] + _run_bar(app, pagename, context) + body[at:]
    if f'id="{PLACEHOLDER}"' in body:
        body = body.replace(f'<div id="{PLACEHOLDER}"></div>', _progress_table(app, pagename, context))
    context["body"] = body


CAPTION = re.compile(r'<p aria-level="2" class="caption" role="heading">(<span class="caption-text">.*?</span>)</p>\s*'
                     r'(?=<ul\b)', re.S)
UL_TAG = re.compile(r"<(/?)ul\b")


def fold_parts(toctree: str) -> str:
    """The sidebar's chapter list with each part folded under its title.

    Every ``<p class="caption">Part</p><ul>...</ul>`` pair of the theme's
    toctree becomes ``<details class="mml-part"><summary>Part</summary><ul>...
    </ul></details>``, open when its list holds the current page (the theme
    marks it ``class="current ..."``), or when no part does.
    """
    pieces, folded, at = [], [], 0
    for caption in CAPTION.finditer(toctree):
        if caption.start() < at:
            continue
        depth, end = 0, None
        for tag in UL_TAG.finditer(toctree, caption.end()):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                end = toctree.index(">", tag.end()) + 1
                break
        if end is None:
            return toctree  # not the markup this was written for: leave it alone
        listing = toctree[caption.end():end]
        current = re.match(r'<ul class="[^"]*\bcurrent\b', listing) is not None
        pieces.append(toctree[at:caption.start()])
        folded.append(len(pieces))
        pieces.append((current, caption.group(1), listing))
        at = end
    pieces.append(toctree[at:])
    any_current = any(pieces[i][0] for i in folded)
    for i in folded:
        current, title, listing = pieces[i]
        opened = " open" if current or not any_current else ""
        pieces[i] = (f'<details class="mml-part"{opened}><summary class="caption">{title}</summary>'
                     f"{listing}</details>")
    return "".join(pieces)


def _fold_sidebar(app, pagename: str, templatename: str, context: dict[str, Any], doctree) -> None:
    generate = context.get("generate_toctree_html")
    if generate is None:
        return

    def folded(*args, **kwargs):
        toctree = generate(*args, **kwargs)
        # The theme returns a BeautifulSoup tree, which the template prints;
        # kind="raw" is the tree for the theme's own use: left as it is.
        return toctree if kwargs.get("kind", args[0] if args else None) == "raw" else fold_parts(str(toctree))

    context["generate_toctree_html"] = folded


def _progress_table(app, pagename: str, context: dict[str, Any]) -> str:
    env = app.env
    questions = getattr(env, "mml_questions", {})
    rows = []
    for docname in _toc_order(env):
        labels = questions.get(docname)
        if not labels:
            continue
        href = context["pathto"](docname)
        rows.append(
            f'<tr data-labels="{html.escape(json.dumps(labels), quote=True)}">'
            f'<th scope="row"><a href="{href}">{html.escape(_chapter_title(env, docname))}</a></th>'
            f'<td class="mml-total">{len(labels)}</td><td class="mml-answered">0</td>'
            f'<td class="mml-right">0</td></tr>')
    total = sum(len(v) for v in questions.values())
    return (
        '<div class="mml-progress">'
        '<table class="mml-progress-table"><caption>Questions answered and right, per chapter '
        '(saved in this browser only)</caption>'
        '<thead><tr><th scope="col">Chapter</th><th scope="col">Questions</th>'
        '<th scope="col">Answered</th><th scope="col">Right</th></tr></thead><tbody>'
        + "".join(rows)
        + f'</tbody><tfoot><tr><th scope="row">The whole book</th><td class="mml-total">{total}</td>'
          '<td class="mml-answered">0</td><td class="mml-right">0</td></tr></tfoot></table>'
        '<p><button type="button" class="mml-progress-clear">Clear my saved answers</button> '
        '<span class="mml-progress-status" role="status"></span></p></div>')


def _always_outdated(app, env, added, changed, removed) -> list[str]:
    """The progress page lists every chapter's questions: write it on every build."""
    return ["book/progress"] if "book/progress" in env.found_docs else []


def _configure(app, config) -> None:
    here = str(Path(__file__).parent / "static")
    if here not in config.html_static_path:
        config.html_static_path.append(here)
    # The theme's fullscreen button does what the browser's own key (F11) does:
    # one header icon and one tab stop fewer before the content.
    config.html_theme_options["use_fullscreen_button"] = False


def setup(app):
    app.add_directive("progress-table", ProgressTable)
    app.connect("config-inited", _configure)
    app.connect("doctree-read", _collect)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _always_outdated)
    # After the theme's launch buttons (501) and the JupyterLite button (610).
    app.connect("html-page-context", _page, priority=700)
    # After pydata-sphinx-theme puts generate_toctree_html in the context (500).
    app.connect("html-page-context", _fold_sidebar, priority=700)
    app.add_css_file("reader.css", priority=900)
    app.add_js_file("math-scroll.js", priority=950, defer="defer")
    app.add_js_file("progress.js", priority=950, defer="defer",
                    **{"data-book-version": version("mmlbook")})
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
