"""Write each chapter's *learner notebook*: the notebook a reader downloads or
opens in Colab, Binder or the browser.

A chapter is MyST Markdown. Its executed notebook (``_build/jupyter_execute``)
still holds MyST syntax in its Markdown cells -- ``{glue:text}`` roles,
``{numref}``, ``{cite}``, ``(label)=`` targets and directive fences -- which
no notebook front end renders. So the learner notebook is made from the
*resolved doctree* instead, after Sphinx has numbered the figures, equations,
definitions and exercises, resolved every reference and citation, and myst-nb
has put the glued numbers into the text. Each doctree node is written out as
plain Markdown that JupyterLab, Notebook 7, Colab and VS Code render:

- maths as ``$...$`` and ``$$...$$`` (a numbered equation keeps its number as
  ``\\tag{3.2}``);
- definitions, theorems and exercises as quoted blocks with their titles and
  numbers ("**Definition 11.1** (PageRank)");
- references as links into the online book, with the text the page shows;
- solutions inside ``<details>``, their code cells hidden
  (``jupyter.source_hidden``; Colab's ``cellView: form``), and a stub with
  the self-check call for every "write your own" exercise;
- code cells with the page's own outputs (streams merged without the
  duplication myst-nb's in-place merge leaves in ``jupyter_execute``), and
  figure captions under their figures.

The first code cell installs exactly the mmlbook wheel that built the page
(published with the site, pinned by its SHA-256) when it is missing, and
stops with a clear error otherwise.

The notebook replaces the one that sphinx-book-theme copies into
``_sources/<page>.ipynb``, so the download button, Colab (which opens the
published ``_sources``) and Binder (which opens the published branch) all
give the learner this file. The launch links are rewritten here too.
"""

from __future__ import annotations

import ast
import copy
from html import unescape
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import nbformat
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Tag of the install cell, so that tests (and readers of the JSON) find it.
INSTALL_TAG = "mmlbook-install"
#: The install cell's first line: what a folded cell shows (Colab shows it as the title).
INSTALL_TITLE = "#@title Set-up: installs mmlbook {version} if it is missing. Run this cell first."
#: The cell that defines check_answer() for the self-marking questions, and the cells that call it.
#: (Not plain check: chapters define their own check.)
CHECK_NAME = "check_answer"
QUESTIONS_TAG = "mmlbook-questions"
CHECK_TAG = "question-check"
#: Tags of the cells that come from a solution.
SOLUTION_TAG = "solution"
STUB_TAG = "exercise-stub"
WHEEL_DIR = "_static/wheels"

# --------------------------------------------------------------------------
# The wheel
# --------------------------------------------------------------------------


def build_wheel(app: Sphinx) -> None:
    """Build the mmlbook wheel of this commit into ``_static/wheels``.

    The wheel is rebuilt only when the package's files change (their hash is
    kept beside it), and built reproducibly (``SOURCE_DATE_EPOCH``), so an
    unchanged rebuild gives the same file and the same SHA-256.
    """
    root = Path(app.confdir)
    digest = hashlib.sha256()
    files = sorted(p for p in (root / "mmlbook").rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts)
    for path in [root / "pyproject.toml", *files]:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    stamp = digest.hexdigest()

    outdir = Path(app.outdir) / WHEEL_DIR
    stamp_file = outdir / ".source-sha256"
    wheels = sorted(outdir.glob("mmlbook-*.whl"))
    if not (len(wheels) == 1 and stamp_file.is_file() and stamp_file.read_text() == stamp):
        # Build from a copy, so that setuptools' build/ and egg-info folders
        # never land in the book's source tree.
        work = Path(app.outdir).parent / "wheel-build"
        shutil.rmtree(work, ignore_errors=True)
        src, tmp = work / "src", work / "dist"
        src.mkdir(parents=True)
        for name in ("pyproject.toml", "README.md", "LICENSE"):
            shutil.copy2(root / name, src / name)
        shutil.copytree(root / "mmlbook", src / "mmlbook",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        env = {**os.environ, "SOURCE_DATE_EPOCH": "315532800"}
        result = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
             "--wheel-dir", str(tmp), str(src)],
            capture_output=True, text=True, env=env)
        if result.returncode != 0:
            raise RuntimeError(f"building the mmlbook wheel failed:\n{result.stderr}")
        outdir.mkdir(parents=True, exist_ok=True)
        for old in outdir.glob("mmlbook-*.whl"):
            old.unlink()
        (built,) = tmp.glob("mmlbook-*.whl")
        built.replace(outdir / built.name)
        stamp_file.write_text(stamp)
        wheels = [outdir / built.name]
    wheel = wheels[0]
    app.env.mmlbook_wheel = {  # type: ignore[attr-defined]
        "name": wheel.name,
        "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(),
        "version": wheel.name.split("-")[1],
    }


def install_cell_source(app: Sphinx) -> str:
    """The learner notebook's first code cell."""
    wheel = app.env.mmlbook_wheel  # type: ignore[attr-defined]
    return textwrap.dedent(f'''\
        {INSTALL_TITLE.format(version=wheel["version"])}
        # This notebook runs with the mmlbook package that built its page. If it is
        # missing, this cell installs it (pinned by its SHA-256) from the book's
        # website; if that fails, it stops with pip's reason and the command to run
        # instead. Run it before the other cells.
        import importlib.metadata
        import os
        import re
        import subprocess
        import sys

        MMLBOOK_VERSION = "{wheel["version"]}"
        BOOK_URL = os.environ.get("MMLBOOK_BOOK_URL", "{app.config.learner_book_url}").rstrip("/")
        WHEEL = f"{{BOOK_URL}}/{WHEEL_DIR}/{wheel["name"]}"
        REQUIREMENT = f"mmlbook[notebooks] @ {{WHEEL}}#sha256={wheel["sha256"]}"


        def installed_mmlbook():
            try:
                return importlib.metadata.version("mmlbook")
            except importlib.metadata.PackageNotFoundError:
                return None


        if installed_mmlbook() != MMLBOOK_VERSION:
            if sys.platform == "emscripten":  # in the browser: the book's JupyterLite bundles the wheel
                import piplite
                await piplite.install("mmlbook[notebooks]")
            else:
                # No colours (a kernel may force them), so that pip's reason reads as text.
                quiet = {{**os.environ, "NO_COLOR": "1", "PIP_NO_COLOR": "1", "FORCE_COLOR": "",
                          "CLICOLOR_FORCE": "", "PY_COLORS": "0"}}
                quiet = {{key: value for key, value in quiet.items() if value}}
                pip = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                                      "--disable-pip-version-check", REQUIREMENT],
                                     capture_output=True, text=True, env=quiet)
                if pip.returncode != 0:
                    # pip's reason: its last "ERROR:" line, or its "error:" report (without the hints).
                    text = re.sub(r"\\x1b\\[[0-9;?]*[A-Za-z]", "", pip.stderr + "\\n" + pip.stdout)
                    lines = [line.lstrip(" \\t×│╰─>").strip() for line in text.splitlines()]
                    lines = [line for line in lines if line]
                    errors = [line for line in lines if line.startswith("ERROR:")]
                    report = [i for i, line in enumerate(lines) if line.startswith("error:")]
                    if errors:
                        reason = errors[-1]
                    elif report:
                        reason = "; ".join(line for line in lines[report[0]:]
                                           if not line.startswith(("hint:", "note:")))
                    else:
                        reason = lines[-1] if lines else "pip gave no reason"
                    raise RuntimeError(
                        f"Could not install mmlbook {{MMLBOOK_VERSION}} from {{WHEEL}}: {{reason}}\\n"
                        f"Install it yourself in this notebook's environment, then restart the kernel:\\n"
                        f"    pip install '{{REQUIREMENT}}'")
            importlib.invalidate_caches()

        import mmlbook

        print(f"mmlbook {{mmlbook.__version__}} is ready.")
        ''')


# --------------------------------------------------------------------------
# Doctree to Markdown
# --------------------------------------------------------------------------

_ESCAPE = re.compile(r"([\\`*_\[\]$<#|])")


def escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def quote(markdown: str) -> str:
    """Indent a Markdown block as a block quote."""
    return "\n".join(("> " + line) if line.strip() else ">" for line in markdown.strip("\n").split("\n"))


def inline_text(markdown: str) -> str:
    """Collapse a rendered paragraph to one line (for titles and captions)."""
    return " ".join(markdown.split())


class Converter:
    """Turn one chapter's resolved doctree into notebook cells."""

    def __init__(self, app: Sphinx, docname: str, notebook: nbformat.NotebookNode):
        self.app = app
        self.env = app.env
        self.docname = docname
        self.notebook = notebook
        self.page_url = urljoin(app.config.learner_book_url, docname + ".html")
        self.fignumbers = self.env.toc_fignumbers.get(docname, {})
        self.std = self.env.get_domain("std")
        self.cells: list[nbformat.NotebookNode] = []
        self.markdown: list[str] = []
        self.in_solution = 0
        self.next_cell = 0  # the notebook cell after the last one written
        self.questions: dict[str, dict] = {}  # label -> spec, for the set-up cell's check_answer()
        self.anchors: set[str] = set()  # ids that have an anchor in this notebook

    # ---- cells -----------------------------------------------------------

    def flush(self) -> None:
        text = "\n\n".join(part.strip("\n") for part in self.markdown if part.strip())
        self.markdown = []
        if text.strip():
            self.cells.append(nbformat.v4.new_markdown_cell(text))

    def add_code(self, cell: nbformat.NotebookNode, *, hidden: bool, title: str | None = None,
                 tags: list[str] | None = None) -> None:
        self.flush()
        source = cell.source
        metadata: dict[str, Any] = {}
        cell_tags = [t for t in cell.metadata.get("tags", []) if not t.startswith("hide-")]
        if tags:
            cell_tags += tags
        if cell_tags:
            metadata["tags"] = cell_tags
        if hidden:
            metadata["jupyter"] = {"source_hidden": True}
            if tags and (SOLUTION_TAG in tags or "removed-on-page" in tags):
                metadata["jupyter"]["outputs_hidden"] = True
            if title:
                # Colab hides the code of a "form" cell and shows its title.
                source = f"#@title {title}\n{source}"
                metadata["cellView"] = "form"
        outputs = [static_slider(o) for o in merge_streams(cell.get("outputs", []))]
        new = nbformat.v4.new_code_cell(source, metadata=metadata, outputs=outputs)
        # Run at build time: numbered as a run from the top would number it
        # (renumbered in notebook order once every cell is in place).
        new.execution_count = None
        new.metadata["mmlbook_ran"] = True
        self.cells.append(new)

    # ---- numbers and links -----------------------------------------------

    def number_of(self, node: nodes.Element) -> str:
        figtype = self.std.get_enumerable_node_type(node)
        if not figtype or not node.get("ids"):
            return ""
        number = self.fignumbers.get(figtype, {}).get(node["ids"][0])
        return ".".join(map(str, number)) if number else ""

    def url(self, node: nodes.reference) -> str:
        """Where a link goes: an anchor of this notebook when its target is
        in the same chapter, else the online book."""
        if node.get("refuri"):
            uri = node["refuri"]
            if re.match(r"^[a-z]+:", uri):
                return uri
            if uri.startswith("#") and uri[1:] in self.anchors:
                return uri
            return urljoin(self.page_url, uri)
        if node.get("refid"):
            if node["refid"] in self.anchors:
                return f"#{node['refid']}"
            return f"{self.page_url}#{node['refid']}"
        return self.page_url

    def anchor(self, node: nodes.Node) -> str:
        """``<a id>`` anchors for a block's ids (what a same-chapter link points at)."""
        ids = [i for i in (node.get("ids", []) if isinstance(node, nodes.Element) else [])
               if i in self.anchors]
        return "".join(f'<a id="{i}"></a>' for i in ids)

    # ---- walking ---------------------------------------------------------

    def convert(self, doctree: nodes.document) -> list[nbformat.NotebookNode]:
        anchored = (nodes.section, nodes.figure, nodes.math_block, nodes.table)
        for node in doctree.findall(nodes.Element):
            if isinstance(node, anchored) or type(node).__name__ in {
                    "exercise_enumerable_node", "question", "proof_node"} or \
                    ("proof" in node.get("classes", []) and node.get("realtype")):
                self.anchors.update(node.get("ids", []))
        for child in doctree.children:
            self.block(child, level=1)
        self.removed_cells_before(len(self.notebook.cells))
        self.flush()
        return self.cells

    def blocks(self, node: nodes.Element, level: int) -> None:
        for child in node.children:
            self.block(child, level)

    def block(self, node: nodes.Node, level: int) -> None:  # noqa: C901 -- one case per node type
        name = type(node).__name__
        if isinstance(node, (nodes.target, nodes.comment, nodes.substitution_definition)) or name in {
                "solution_start_node", "solution_end_node", "pending"}:
            return
        if isinstance(node, nodes.section):
            title = node.next_node(nodes.title)
            if level > 1 and self.anchor(node):
                self.markdown.append(self.anchor(node))
            self.markdown.append("#" * min(level, 6) + " " + inline_text(self.inlines(title)))
            for child in node.children:
                if child is not title:
                    self.block(child, level + 1)
            return
        if isinstance(node, nodes.container) and node.get("nb_element") == "cell_code":
            self.code_cell(node)
            return
        if name == "exercise_enumerable_node" or name == "exercise_unenumerable_node":
            self.exercise(node, level)
            return
        if name == "solution_node":
            self.solution(node, level)
            return
        if name == "question":
            self.question(node, level)
            return
        if name == "proof_node":
            # sphinx-proof's proof: an untitled admonition whose text starts "Proof."
            self.markdown.append(quote("\n\n".join(
                self.render_children(child, level) if isinstance(child, nodes.Admonition)
                else self.render(child, level) for child in node.children)))
            return
        if "proof" in node.get("classes", []) and node.get("realtype"):
            self.proof(node, level)
            return
        self.markdown.append(self.render(node, level))

    def render(self, node: nodes.Node, level: int) -> str:  # noqa: C901
        """Markdown for a block node that holds no code cell."""
        if isinstance(node, nodes.Text):
            return escape(node.astext())
        if isinstance(node, (nodes.paragraph, nodes.caption)):
            return self.inlines(node)
        if isinstance(node, nodes.math_block):
            return self.math_block(node)
        if isinstance(node, nodes.literal_block):
            language = node.get("language", "")
            language = "python" if language in {"ipython3", "ipython"} else language
            return f"```{language}\n{node.astext().rstrip()}\n```"
        if isinstance(node, nodes.bullet_list):
            return "\n".join(self.list_item(item, "- ", level) for item in node.children)
        if isinstance(node, nodes.enumerated_list):
            start = node.get("start", 1)
            return "\n".join(self.list_item(item, f"{start + i}. ", level)
                             for i, item in enumerate(node.children))
        if isinstance(node, nodes.definition_list):
            parts = []
            for item in node.children:
                term = item.next_node(nodes.term)
                definition = item.next_node(nodes.definition)
                parts.append(f"**{inline_text(self.inlines(term))}**  \n"
                             + self.render_children(definition, level))
            return "\n\n".join(parts)
        if isinstance(node, nodes.block_quote):
            return quote(self.render_children(node, level))
        if isinstance(node, nodes.Admonition):
            title = node.next_node(nodes.title)
            heading = inline_text(self.inlines(title)) if title else type(node).__name__.capitalize()
            body = "\n\n".join(self.render(c, level) for c in node.children if c is not title)
            return quote(f"**{heading}**\n\n{body}")
        if isinstance(node, nodes.figure):
            image = node.next_node(nodes.image)
            caption = node.next_node(nodes.caption)
            parts = [self.anchor(node)] if self.anchor(node) else []
            if image is not None:
                parts.append(f"![{image.get('alt', '')}]({self.image_url(image)})")
            if caption is not None:
                parts.append(self.caption(node, caption))
            return "\n\n".join(parts)
        if isinstance(node, nodes.image):
            return f"![{node.get('alt', '')}]({self.image_url(node)})"
        if isinstance(node, nodes.table):
            return (self.anchor(node) + "\n\n" if self.anchor(node) else "") + self.table(node)
        if isinstance(node, nodes.raw):
            # The theme's thebe configuration and other scripts mean nothing in a notebook.
            html = "html" in node.get("format", "") and "<script" not in node.astext()
            return node.astext() if html else ""
        if isinstance(node, nodes.transition):
            return "---"
        if isinstance(node, (nodes.footnote, nodes.citation)):
            label = node.next_node(nodes.label)
            body = "\n\n".join(self.render(c, level) for c in node.children if c is not label)
            return f"[{label.astext() if label else ''}] {body}"
        if isinstance(node, nodes.rubric):
            return f"**{inline_text(self.inlines(node))}**"
        if isinstance(node, nodes.container):
            return self.render_children(node, level)
        if isinstance(node, nodes.section):
            # A section inside a definition or exercise: its title in bold.
            title = node.next_node(nodes.title)
            head = f"**{inline_text(self.inlines(title))}**\n\n" if title is not None else ""
            return head + "\n\n".join(self.render(c, level) for c in node.children if c is not title)
        if isinstance(node, nodes.Element) and isinstance(node, nodes.TextElement):
            return self.inlines(node)
        if isinstance(node, nodes.Element):
            return self.render_children(node, level)
        return escape(node.astext())

    def render_children(self, node: nodes.Element, level: int) -> str:
        return "\n\n".join(part for part in (self.render(c, level) for c in node.children) if part.strip())

    def list_item(self, item: nodes.Element, marker: str, level: int) -> str:
        body = self.render_children(item, level)
        indent = " " * len(marker)
        lines = body.split("\n")
        return marker + lines[0] + "".join("\n" + (indent + line if line.strip() else "") for line in lines[1:])

    def inlines(self, node: nodes.Element | None) -> str:  # noqa: C901
        if node is None:
            return ""
        out = []
        for child in node.children:
            if isinstance(child, nodes.Text):
                out.append(escape(child.astext()))
            elif isinstance(child, nodes.math):
                out.append(f"${child.astext().strip()}$")
            elif isinstance(child, nodes.literal):
                text = child.astext()
                fence = "``" if "`" in text else "`"
                out.append(f"{fence}{text}{fence}")
            elif isinstance(child, nodes.strong):
                out.append(f"**{self.inlines(child)}**")
            elif isinstance(child, nodes.emphasis):
                out.append(f"*{self.inlines(child)}*")
            elif isinstance(child, nodes.reference):
                out.append(f"[{self.inlines(child)}]({self.url(child)})")
            elif isinstance(child, nodes.footnote_reference):
                out.append(f"[{child.astext()}]")
            elif isinstance(child, nodes.image):
                out.append(f"![{child.get('alt', '')}]({self.image_url(child)})")
            elif isinstance(child, nodes.raw):
                out.append(child.astext() if "html" in child.get("format", "") else "")
            elif isinstance(child, (nodes.target, nodes.comment)):
                continue
            elif isinstance(child, nodes.Element) and child.get("classes") and \
                    type(child).__name__ == "inline" and "output" in " ".join(child["classes"]):
                out.append(escape(child.astext()))  # a glued value
            elif isinstance(child, nodes.Element):
                out.append(self.inlines(child))
            else:
                out.append(escape(child.astext()))
        return "".join(out)

    def math_block(self, node: nodes.math_block) -> str:
        latex = node.astext().strip()
        number = ""
        if node.get("ids") and self.app.config.math_numfig:
            found = self.fignumbers.get("displaymath", {}).get(node["ids"][0])
            number = ".".join(map(str, found)) if found else str(node.get("number") or "")
        elif node.get("label") and node.get("number"):
            number = str(node["number"])
        anchor = self.anchor(node) + "\n\n" if self.anchor(node) else ""
        # One line between $$: JupyterLab finds the maths in the raw Markdown,
        # so a block quote's "> " on a second line would land inside it. An
        # environment that numbers its own lines takes no \tag.
        if number and not re.search(r"\\begin\{(align|equation|gather|multline|flalign|alignat)\b", latex):
            latex += f" \\tag{{{number}}}"
        return f"{anchor}$$ {' '.join(line.strip() for line in latex.splitlines() if line.strip())} $$"

    def image_url(self, image: nodes.image) -> str:
        uri = image.get("uri", "")
        if re.match(r"^(https?|data):", uri):
            return uri
        images = getattr(self.app.builder, "images", {})
        if uri in images:
            return urljoin(self.app.config.learner_book_url, "_images/" + images[uri])
        return urljoin(self.page_url, uri)

    def caption(self, figure: nodes.Element, caption: nodes.Element) -> str:
        number = self.number_of(figure)
        label = f"Fig. {number}: " if number else ""
        return f"*{label}{inline_text(self.inlines(caption))}*"

    def table(self, table: nodes.table) -> str:
        rows = []
        for row in table.findall(nodes.row):
            rows.append([inline_text(self.render_children(entry, 0)).replace("|", "\\|")
                         for entry in row.children])
        if not rows:
            return ""
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return "\n".join(lines)

    # ---- code cells --------------------------------------------------------

    def removed_cells_before(self, index: int) -> None:
        """Cells the page removes (``remove-cell``) still compute what later
        cells use: the notebook keeps them, hidden, in their place. The
        chapter's own old install cell is left out (the first cell replaces it)."""
        while self.next_cell < index:
            cell = self.notebook.cells[self.next_cell]
            self.next_cell += 1
            if cell.cell_type != "code" or "%pip install" in cell.source:
                continue
            self.add_code(cell, hidden=True, title="Set-up for the text (hidden on the page)",
                          tags=["removed-on-page"])

    def code_cell(self, node: nodes.container) -> None:
        index = int(node["cell_index"])
        self.removed_cells_before(index)
        self.next_cell = max(self.next_cell, index + 1)
        cell = self.notebook.cells[index]
        hidden = bool(self.in_solution) or node.get("hide_mode") in {"input", "all"}
        title = None
        if self.in_solution:
            title = "Solution (code): double-click or expand to show"
        elif hidden:
            title = "Code for the figure or output below"
        tags = [SOLUTION_TAG] if self.in_solution else None
        self.add_code(cell, hidden=hidden, title=title, tags=tags)
        frames = slider_frames(self.cells[-1])
        for figure in node.findall(nodes.figure):
            caption = figure.next_node(nodes.caption)
            if caption is None:
                continue
            text = self.caption(figure, caption)
            if frames:
                text = slider_caption(text, frames)
            if self.in_solution:
                # Part of the solution: its caption stays collapsed with it.
                self.markdown.append("<details>\n<summary>Solution (figure)</summary>\n\n"
                                     f"{self.anchor(figure)}{text}\n\n</details>")
                self.flush()
            else:
                self.markdown.append(self.anchor(figure) + text)

    # ---- numbered blocks ---------------------------------------------------

    def proof(self, node: nodes.Element, level: int) -> None:
        kind = node["realtype"].capitalize()
        number = self.number_of(node)
        title = node.next_node(nodes.title)
        subtitle = inline_text(self.inlines(title)) if title is not None else ""
        heading = f"**{kind}{' ' + number if number else ''}**{(' ' + subtitle) if subtitle else ''}"
        heading += self.anchor(node)
        body = "\n\n".join(self.render(c, level) for c in node.children if c is not title)
        self.markdown.append(quote(f"{heading}\n\n{body}"))

    def question(self, node: nodes.Element, level: int) -> None:
        """A self-marking question (``_ext/questions.py``): the question with
        its lettered choices, its hint and its answer, each collapsed, then a
        cell in which the learner's answer is marked by ``check_answer``."""
        number = self.number_of(node)
        self.flush()
        anchor = self.anchor(node)
        parts = [f"**Question{' ' + number if number else ''}** ({node.get('kind', '')}){anchor}"]
        choices = []
        hint = answer = ""
        for child in node.children:
            kind = type(child).__name__
            if kind == "question_prompt":
                parts.append(self.render_children(child, level))
            elif kind == "question_choice":
                choices.append(inline_text(self.render_children(child, level)))
            elif kind == "question_hint":
                hint = inline_text(self.inlines(child))
            elif kind == "question_answer":
                answer = inline_text(self.inlines(child))
        if choices:
            parts.append("\n".join(f"- ({chr(97 + i)}) {choice}" for i, choice in enumerate(choices)))
        self.markdown.append("\n\n".join(p for p in parts if p.strip()))
        self.flush()
        if hint.strip():
            self.markdown.append(f"<details>\n<summary>Hint</summary>\n\n{hint.strip()}\n\n</details>")
            self.flush()
        if not answer.strip():
            answer = escape(str(node.get("answer", "")))
        self.markdown.append(f"<details>\n<summary>Answer</summary>\n\n{answer.strip()}\n\n</details>")
        self.flush()
        label, kind = node["label"], node["kind"]
        spec = {"kind": kind, "answer": node["answer_value"]}
        if kind == "choice":
            spec["choices"] = len(choices)
        else:
            spec["tolerance"] = list(node["tolerance"])
            spec["integer"] = bool(node["integer"])
        spec["hint"] = bool(hint.strip())
        self.questions[label] = spec
        self.cells.append(nbformat.v4.new_code_cell(
            check_cell_source(label, spec, f"Question {number}" if number else "The question above"),
            metadata={"tags": [CHECK_TAG]}))

    def exercise_heading(self, node: nodes.Element) -> str:
        number = self.number_of(node)
        subtitle = ""
        for sub in node.findall(lambda n: type(n).__name__ == "exercise_subtitle"):
            subtitle = inline_text(self.inlines(sub))
            break
        return f"**Exercise {number}**" + (f" {subtitle}" if subtitle else "")

    def exercise(self, node: nodes.Element, level: int) -> None:
        heading = self.exercise_heading(node) + self.anchor(node)
        body = [c for c in node.children if type(c).__name__ not in {"exercise_title", "title"}]
        self.flush()
        self.markdown.append(quote(heading + "\n\n" + "\n\n".join(self.render(c, level) for c in body)))

    def solution(self, node: nodes.Element, level: int) -> None:
        """A solution stays hidden until asked for.

        Its prose goes in ``<details>`` blocks and its code cells (a gated
        solution's executed code) become hidden code cells with hidden
        outputs. A "write your own" solution is preceded by a stub cell for
        the learner to fill in.
        """
        target = node.get("target_label", "")
        exercise = None
        for candidate in node.document.findall(
                lambda n: type(n).__name__ == "exercise_enumerable_node"):
            if candidate.get("label") == target:
                exercise = candidate
        heading = "Solution"
        if exercise is not None:
            heading = "Solution to " + self.exercise_heading(exercise).replace("**", "")
        parts = list(self.flatten(node))
        code_cells = [c for c in parts if _is_code_cell(c)]
        self.flush()
        if code_cells:
            self.stub(code_cells)
        first = True
        prose: list[str] = []

        def close_details() -> None:
            nonlocal first
            text = "\n\n".join(p for p in prose if p.strip())
            if not text and not first:
                return
            summary = heading if first else heading + " (continued)"
            if first and code_cells:
                text += "\n\n*The code of this solution is in the hidden cells below.*"
            self.markdown.append(f"<details>\n<summary>{summary}</summary>\n\n{text.strip()}\n\n</details>")
            self.flush()
            first = False
            prose.clear()

        for part in parts:
            if _is_code_cell(part):
                close_details()
                self.in_solution += 1
                self.code_cell(part)
                self.in_solution -= 1
            else:
                prose.append(self.render(part, level))
        if prose or first:
            close_details()
        self.flush()

    def flatten(self, node: nodes.Element):
        """The blocks of a solution, with its untitled wrapper sections opened."""
        for child in node.children:
            name = type(child).__name__
            if name in {"solution_title", "title", "solution_start_node", "solution_end_node"}:
                continue
            if isinstance(child, nodes.section) and not _is_code_cell(child):
                title = child.next_node(nodes.title)
                if title is not None and title.astext().strip():
                    yield nodes.paragraph("", "", nodes.strong(text=title.astext()))
                yield from self.flatten(child)
            else:
                yield child

    def stub(self, code_cells: list[nodes.Element]) -> None:
        """A cell for the learner to fill in, for "write your own" exercises.

        A solution whose code defines a function or a class and passes it to
        a ``check_*`` self-check gets a stub: the same signature (for a class,
        every method's) and docstring, a body that raises
        NotImplementedError, and the same check call.
        """
        for node in code_cells:
            source = self.notebook.cells[int(node["cell_index"])].source
            try:
                tree = ast.parse(_strip_magics(source))
            except SyntaxError:
                continue
            defined = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
            checks = [n for n in tree.body if isinstance(n, (ast.Expr, ast.Assign))
                      and isinstance(n.value, ast.Call) and isinstance(n.value.func, ast.Name)
                      and n.value.func.id.startswith("check_")]
            used = [arg.id for c in checks for arg in c.value.args
                    if isinstance(arg, ast.Name) and arg.id in defined]
            if not checks or not used:
                continue
            what = "class" if any(isinstance(defined[u], ast.ClassDef) for u in used) else "function"
            parts = [f"# Your turn: write the {what}, then run this cell to check it."]
            # The solution's own imports of what the stub uses (the self-check, say).
            wanted = {c.value.func.id for c in checks} | {n.id for f in used for n in ast.walk(defined[f])
                                                          if isinstance(n, ast.Name)}
            imports = [ast.get_source_segment(_strip_magics(source), n) for n in tree.body
                       if isinstance(n, (ast.Import, ast.ImportFrom))
                       and any((a.asname or a.name).split(".")[0] in wanted for a in n.names)]
            if imports:
                parts.append("\n".join(imports))
            for name in dict.fromkeys(used):
                parts.append(_stub_of(defined[name]))
            parts += [ast.get_source_segment(_strip_magics(source), c) for c in checks]
            stub = nbformat.v4.new_code_cell("\n\n\n".join(p for p in parts if p),
                                             metadata={"tags": [STUB_TAG]})
            self.cells.append(stub)


def _stub_of(definition: ast.FunctionDef | ast.ClassDef, indent: str = "") -> str:
    """A function with its signature and docstring and a body to write, or a
    class with such a stub for each of its methods."""
    doc = ast.get_docstring(definition)
    if isinstance(definition, ast.ClassDef):
        lines = [f"class {definition.name}:"]
        if doc:
            lines.append(textwrap.indent(f'"""{doc}"""', "    "))
        methods = [n for n in definition.body if isinstance(n, ast.FunctionDef)]
        for k, method in enumerate(methods):
            if k or doc:
                lines.append("")
            lines.append(_stub_of(method, "    "))
        return textwrap.indent("\n".join(lines), indent)
    lines = [f"def {definition.name}({ast.unparse(definition.args)}):"]
    if doc:
        lines.append(textwrap.indent(f'"""{doc}"""', "    "))
    lines.append("    # Replace this line with your code.")
    lines.append(f"    raise NotImplementedError(\"write {definition.name} first\")")
    return textwrap.indent("\n".join(lines), indent)


SLIDER = re.compile(r'<div class="mml-slider"')
LIVE = re.compile(r'<div class="mml-live" id="[^"]*" data-live="([^"]*)"')


def _html(output) -> str:
    html = output.get("data", {}).get("text/html", "")
    return "".join(html) if isinstance(html, list) else html


def static_slider(output):
    """A slider figure's output without its HTML: a stored output is
    untrusted, so JupyterLab would strip the script and show a frozen slider.
    The static panel of key frames (``image/png``) is what it shows instead."""
    html = _html(output)
    if output.get("output_type") in ("display_data", "execute_result") and SLIDER.search(html):
        frames = re.search(r'<script type="application/json" class="mml-frames">(.*?)</script>', html, re.S)
        output = copy.deepcopy(output)
        del output["data"]["text/html"]
        output.setdefault("metadata", {})["mmlbook_slider_frames"] = len(json.loads(frames.group(1)))
    elif output.get("output_type") in ("display_data", "execute_result") and LIVE.search(html):
        # A live figure (SVG redrawn by a script): the same, its positions counted from its spec.
        spec = json.loads(unescape(LIVE.search(html).group(1)))["param"]
        output = copy.deepcopy(output)
        del output["data"]["text/html"]
        positions = int(round((spec["max"] - spec["min"]) / spec["step"])) + 1
        output.setdefault("metadata", {})["mmlbook_slider_frames"] = positions
    return output


def slider_frames(cell) -> int:
    """How many frames the slider figure in a (learner) code cell has (0: none)."""
    return sum(o.get("metadata", {}).get("mmlbook_slider_frames", 0) for o in cell.get("outputs", []))


def slider_caption(caption: str, frames: int) -> str:
    """A slider figure's caption as the notebook shows it: the key frames
    side by side, and how to get the slider."""
    caption = re.sub(r"^(\*(?:<a [^>]*></a>)?(?:Fig\. [\d.]+: )?)Interactive: (\w)",
                     lambda m: m.group(1) + m.group(2).upper(), caption)
    sentences = re.split(r"(?<=[.;])\s+", caption.rstrip("*").rstrip())
    kept = [x for x in sentences if not re.search(r"slider|arrow keys|PDF|key frames", x, re.I)]
    text = " ".join(kept).rstrip(";")
    if not text.endswith("."):
        text += "."
    return (f"{text} Here its key frames are side by side; run the hidden cell above for a slider "
            f"through all {frames} frames.*")


def check_cell_source(label: str, spec: dict, title: str) -> str:
    """The cell under a question, in which the learner writes and checks an answer."""
    kind = spec["kind"]
    if kind == "choice":
        how = 'the letter of your choice in quotes, such as "b" (for several, a list such as ["a", "c"])'
        blank = "..."
    elif kind == "numeric":
        how = 'a number, or an expression in quotes such as "sqrt(2)/2"'
        blank = "..."
    elif kind == "vector":
        how = "a list of numbers (an expression in quotes also works)"
        blank = "[" + ", ".join(["..."] * len(spec["answer"])) + "]"
    else:
        how = "a list of rows, each a list of numbers"
        row = "[" + ", ".join(["..."] * len(spec["answer"][0])) + "]"
        blank = "[" + ", ".join([row] * len(spec["answer"])) + "]"
    return (f"# {title}: replace the dots by your answer, {how}, and run the cell.\n"
            f'{CHECK_NAME}("{label}", {blank})')


def questions_cell_source(specs: dict[str, dict]) -> str:
    """The hidden set-up cell that defines ``check`` for the chapter's questions."""
    lines = [f"#@title Set-up for the questions: run this cell once; it defines {CHECK_NAME}().",
             f"# {CHECK_NAME}(\"q-label\", answer) marks an answer with the same rules as the book's page",
             "# (mmlbook.questions); below, each question's answer and tolerances.",
             "from mmlbook import interactive",
             "from mmlbook.questions import Questions",
             "",
             "# A slider figure's cell, when run, gives a slider that this kernel drives.",
             "interactive.LIVE_WIDGETS = True",
             f"{CHECK_NAME} = Questions({{"]
    for label, spec in specs.items():
        lines.append(f"    {label!r}: {spec!r},")
    lines.append("}).check")
    return "\n".join(lines)


def _is_code_cell(node: nodes.Node) -> bool:
    return isinstance(node, nodes.container) and node.get("nb_element") == "cell_code"


def _strip_magics(source: str) -> str:
    return "\n".join(line[:len(line) - len(line.lstrip())] + "pass" if line.lstrip().startswith(("%", "!")) else line for line in source.split("\n"))


def merge_streams(outputs: list[dict]) -> list[nbformat.NotebookNode]:
    """Merge consecutive stream outputs of the same name, on copies.

    (myst-nb's ``coalesce_streams`` edits the outputs in place, so the
    notebooks it saves repeat lines; this never touches its input.)
    """
    merged: list[nbformat.NotebookNode] = []
    for output in outputs:
        output = nbformat.from_dict(copy.deepcopy(dict(output)))
        metadata = output.get("metadata", {})
        if "scrapbook" in metadata:  # a glued value: shown in the prose, not as an output
            continue
        if output["output_type"] == "stream":
            text = "".join(output["text"]) if isinstance(output["text"], list) else output["text"]
            if merged and merged[-1]["output_type"] == "stream" and merged[-1]["name"] == output["name"]:
                merged[-1]["text"] += text
                continue
            output["text"] = text
        merged.append(output)
    return merged


# --------------------------------------------------------------------------
# Sphinx events
# --------------------------------------------------------------------------


def make_learner_notebook(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html":
        return
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{docname}.ipynb"
    if not executed.is_file() or not app.env.metadata.get(docname, {}).get("kernelspec"):
        return
    notebook = nbformat.read(executed, as_version=4)
    # myst-nb writes jupyter_execute/ without outputs when they come from its
    # cache; the outputs are those jupyter-cache stored at execution.
    cache_path = app.config.nb_execution_cache_path or str(Path(app.outdir).parent / ".jupyter_cache")
    try:
        from jupyter_cache import get_cache

        _, notebook = get_cache(cache_path).merge_match_into_notebook(notebook)
    except KeyError:
        pass  # not executed through the cache: jupyter_execute holds the outputs
    converter = Converter(app, docname, notebook)
    cells = converter.convert(doctree)
    # Folded: JupyterLab shows its first line, Colab its title.
    folded = {"jupyter": {"source_hidden": True}, "cellView": "form"}
    install = nbformat.v4.new_code_cell(install_cell_source(app),
                                        metadata={"tags": [INSTALL_TAG], **copy.deepcopy(folded)})
    setup = [install]
    if converter.questions:
        setup.append(nbformat.v4.new_code_cell(questions_cell_source(converter.questions),
                                               metadata={"tags": [QUESTIONS_TAG], **copy.deepcopy(folded)}))
    # The title first (what a preview shows), then the set-up cells.
    if cells and cells[0].cell_type == "markdown" and cells[0].source.startswith("# "):
        title, _, rest = cells[0].source.partition("\n")
        cells[0].source = title
        head = [cells[0], *setup]
        if rest.strip():
            head.append(nbformat.v4.new_markdown_cell(rest.strip()))
        cells = head + cells[1:]
    else:
        cells = [*setup, *cells]
    # Execution counts as one run from the top gives them: the cells that ran
    # at build time (and so hold outputs) are numbered in order; the set-up,
    # stub and check cells, which did not run, are left unnumbered.
    count = 0
    for cell in cells:
        if cell.cell_type == "code" and cell.metadata.pop("mmlbook_ran", False):
            count += 1
            cell.execution_count = count
            for output in cell.outputs:
                if "execution_count" in output:
                    output["execution_count"] = count
    learner = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "mmlbook": {"page": urljoin(app.config.learner_book_url, docname + ".html"),
                    "wheel": app.env.mmlbook_wheel},  # type: ignore[attr-defined]
    })
    # Deterministic cell ids, so two builds write identical files.
    for i, cell in enumerate(learner.cells):
        cell.id = hashlib.sha1(f"{docname}:{i}".encode()).hexdigest()[:12]
    nbformat.validate(learner)
    target = learner_notebook_path(app, docname)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".ipynb.tmp")
    tmp.write_text(json.dumps(learner, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                   encoding="utf-8")
    tmp.replace(target)


def learner_notebook_path(app: Sphinx, docname: str) -> Path:
    """Where the learner notebook is kept between the two events (and for tests)."""
    return Path(app.outdir).parent / "learner" / f"{docname}.ipynb"


def publish(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree) -> None:
    """Put the learner notebook where the download button points, and fix the launch links."""
    source = learner_notebook_path(app, pagename)
    if not context.get("ipynb_source") or not source.is_file():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(source.read_bytes())
    published = f"_sources/{pagename}.ipynb"
    org_repo = app.config.learner_repository
    branch = app.config.learner_branch
    for button in context.get("header_buttons", []):
        if button.get("label") != "launch-buttons":
            continue
        for launch in button.get("buttons", []):
            if launch.get("text") == "Colab":
                launch["url"] = (f"https://colab.research.google.com/github/{org_repo}/blob/"
                                 f"{branch}/{published}")
            elif launch.get("text") == "Binder":
                launch["url"] = (f"https://mybinder.org/v2/gh/{org_repo}/{branch}"
                                 f"?urlpath=lab/tree/{published}")


def patch_myst_nb_stream_merge(app: Sphinx, config) -> None:
    """myst-nb merges streams in place, so its saved notebook repeats lines:
    hand it copies instead."""
    from myst_nb.core import render, utils

    original = utils.coalesce_streams
    if getattr(render.coalesce_streams, "_mmlbook_copying", False):
        return

    def coalesce_copies(outputs):
        return original([nbformat.from_dict(copy.deepcopy(dict(o))) for o in outputs])

    coalesce_copies._mmlbook_copying = True  # type: ignore[attr-defined]
    render.coalesce_streams = coalesce_copies


def learner_requirements() -> list[str]:
    """The pinned closure of ``mmlbook[notebooks]``: what a learner's
    environment holds, at the versions the book was built and tested with."""
    from importlib.metadata import PackageNotFoundError, distribution

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    pins: dict[str, str] = {}
    todo = [(Requirement("mmlbook[notebooks]"), frozenset({"notebooks"}))]
    while todo:
        requirement, extras = todo.pop()
        name = canonicalize_name(requirement.name)
        try:
            dist = distribution(requirement.name)
        except PackageNotFoundError as error:
            raise RuntimeError(f"{requirement.name} is needed by the learner notebooks "
                               "but is not installed in the build environment") from error
        if name != "mmlbook":
            if name in pins:
                continue
            pins[name] = f"{dist.metadata['Name']}=={dist.version}"
        for line in dist.requires or []:
            child = Requirement(line)
            # Keep what this environment needs: no marker, or a marker that
            # holds here for one of the extras asked for (or none).
            if child.marker is None or any(child.marker.evaluate({"extra": e})
                                           for e in (*extras, "")):
                todo.append((child, frozenset(child.extras)))
    return sorted(pins.values(), key=str.lower)


def write_binder(app: Sphinx, exception: Exception | None) -> None:
    """Put Binder's configuration at the root of the published site.

    The launch buttons open Binder on the published branch, so Binder builds
    from this folder: Python pinned by runtime.txt, the learner's pinned
    requirements, and postBuild installing the wheel in ``_static/wheels``.
    """
    if exception is not None or app.builder.format != "html":
        return
    root = Path(app.confdir)
    binder = Path(app.outdir) / "binder"
    binder.mkdir(parents=True, exist_ok=True)
    header = ("# The learner's environment: mmlbook[notebooks] and everything it needs,\n"
              "# pinned to the versions that built and tested this book. Written by the\n"
              "# build (_ext/learner_notebooks.py); Binder installs it before postBuild.\n")
    text = header + "\n".join(learner_requirements()) + "\n"
    target = binder / "requirements.txt"
    if not target.is_file() or target.read_text() != text:
        target.write_text(text)
    for name in ("runtime.txt", "postBuild"):
        shutil.copy2(root / "binder" / name, binder / name)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("learner_book_url", "https://mmlbook.github.io/mmlbook/", "env")
    app.add_config_value("learner_repository", "mmlbook/mmlbook", "env")
    app.add_config_value("learner_branch", "gh-pages", "env")
    app.connect("config-inited", patch_myst_nb_stream_merge)
    app.connect("builder-inited", build_wheel)
    app.connect("doctree-resolved", make_learner_notebook)
    # After sphinx-book-theme has made its launch buttons and copied the
    # executed notebook to _sources (priority 501).
    app.connect("html-page-context", publish, priority=600)
    app.connect("build-finished", write_binder)
    return {"parallel_read_safe": True, "parallel_write_safe": False}
