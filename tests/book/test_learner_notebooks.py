"""The learner notebooks: what the download button, Colab and Binder give a reader.

Each chapter's notebook is written by ``_ext/learner_notebooks.py`` into
``_build/html/_sources/<chapter>.ipynb``. These checks read the built site;
``tests/learner`` runs the notebooks in a learner's environment.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import jupytext
import nbformat
import pytest
from bs4 import BeautifulSoup
from jupyter_cache import get_cache
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.book.chapters import BUILD, HTML, ROOT, chapter_sources

CHAPTERS = [path.relative_to(ROOT).with_suffix("").as_posix() for path in chapter_sources()]
WHEELS = HTML / "_static" / "wheels"

# MyST syntax that no notebook front end renders.
MYST = {
    "role": re.compile(r"\{(glue|glue:text|glue:any|glue:figure|numref|ref|eq|cite|cite:p|cite:t|doc|"
                       r"prf:ref|term|math|download|abbr|sub|sup)\}`"),
    "directive fence": re.compile(r"^\s*(`{3,}|:{3,})\s*\{", re.M),
    "colon fence": re.compile(r"^\s*:{3,}", re.M),
    "label target": re.compile(r"^\s*\([\w:.-]+\)=\s*$", re.M),
    "substitution": re.compile(r"\{\{\s*\w+\s*\}\}"),
    "directive option": re.compile(r"^:(class|label|name|nonumber):", re.M),
}


def learner(chapter: str) -> nbformat.NotebookNode:
    path = HTML / "_sources" / f"{chapter}.ipynb"
    if not path.is_file():
        pytest.fail(f"no learner notebook at {path.relative_to(ROOT)}: run 'make book'")
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    return notebook


def markdown_cells(notebook) -> list[str]:
    return [cell.source for cell in notebook.cells if cell.cell_type == "markdown"]


def unescape(markdown: str) -> str:
    return re.sub(r"\\([\\`*_\[\]$<#|])", r"\1", markdown)


@pytest.fixture(scope="module")
def wheel() -> Path:
    wheels = sorted(WHEELS.glob("mmlbook-*.whl"))
    assert len(wheels) == 1, f"expected one mmlbook wheel in {WHEELS}, found {wheels}"
    return wheels[0]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_no_myst_syntax_is_left(chapter):
    for text in markdown_cells(learner(chapter)):
        for kind, pattern in MYST.items():
            match = pattern.search(text)
            assert match is None, f"{chapter}: MyST {kind} {match.group(0)!r} left in:\n{text[:400]}"


def glue_references(source: Path) -> list[tuple[str, str, str]]:
    """(role, key, format spec) of every glue role in a chapter."""
    text = source.read_text()
    return [(m.group(1), *m.group(2).partition(":")[::2])
            for m in re.finditer(r"\{(glue|glue:text|glue:any)\}`([^`]+)`", text)]


def glued_text(chapter: str) -> dict[str, str]:
    data = json.loads((BUILD / "jupyter_execute" / f"{chapter}.glue.json").read_text())
    values = {}
    for key, bundle in data.items():
        plain = bundle.get("data", bundle).get("text/plain")
        if plain is not None:
            values[key] = "".join(plain) if isinstance(plain, list) else plain
    return values


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_glued_value_is_in_the_notebook(chapter):
    references = glue_references(ROOT / f"{chapter}.md")
    if not references:
        pytest.skip(f"{chapter} glues no values into its prose")
    values = glued_text(chapter)
    text = unescape("\n".join(markdown_cells(learner(chapter))))
    for role, key, spec in references:
        assert key in values, f"{chapter}: glued value {key!r} is not in the glue data"
        plain = values[key]
        if spec:
            expected = format(ast.literal_eval(plain), spec)
        elif role == "glue:text":
            expected = plain.strip("'\"")
        else:
            expected = plain.strip("'\"")
        assert expected in text, f"{chapter}: the value of {key!r} ({expected!r}) is missing"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_solutions_stay_hidden(chapter):
    notebook = learner(chapter)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            if any(mark in cell.source for mark in ("Solution to Exercise", "<summary>Solution",
                                                     "<summary>Answer", "<summary>Hint")):
                text = cell.source.strip()
                assert text.startswith("<details>") and text.endswith("</details>"), \
                    f"{chapter}: a solution, answer or hint is visible outside <details>:\n{text[:300]}"
        elif "solution" in cell.metadata.get("tags", []):
            hidden = cell.metadata.get("jupyter", {})
            assert hidden.get("source_hidden") and hidden.get("outputs_hidden"), \
                f"{chapter}: a solution's code cell is not hidden: {cell.source[:200]}"
            assert cell.metadata.get("cellView") == "form", f"{chapter}: Colab would show a solution"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_write_your_own_exercises_leave_a_stub(chapter):
    notebook = learner(chapter)
    checks = {m.group(0) for cell in notebook.cells
              if "solution" in cell.metadata.get("tags", [])
              for m in re.finditer(r"check_\w+\((?:my_\w+|My\w+)", cell.source)}
    stubs = "\n".join(cell.source for cell in notebook.cells
                      if "exercise-stub" in cell.metadata.get("tags", []))
    for call in checks:
        assert call in stubs, f"{chapter}: no stub with {call}...) for the learner"
        name = call.split("(")[1]
        assert (f"def {name}(" in stubs or f"class {name}:" in stubs) and "NotImplementedError" in stubs


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_install_cell_is_first_and_pinned(chapter, wheel):
    notebook = learner(chapter)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and "mmlbook-install" in code[0].metadata.get("tags", []), \
        f"{chapter}: the first code cell is not the install cell"
    source = code[0].source
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert wheel.name in source and f"sha256={digest}" in source, \
        f"{chapter}: the install cell does not pin the wheel this build published"
    assert "raise RuntimeError" in source and "pip install" in source
    # Nothing but Markdown before it.
    first = notebook.cells.index(code[0])
    assert all(cell.cell_type == "markdown" for cell in notebook.cells[:first])


def cached_outputs(chapter: str) -> list[list]:
    """The outputs jupyter-cache stored at execution (before any merge)."""
    cache = get_cache(BUILD / ".jupyter_cache")
    _, built = cache.merge_match_into_notebook(jupytext.read(ROOT / f"{chapter}.md"))
    return built


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_stored_outputs_are_the_executed_ones_without_duplicates(chapter):
    built = cached_outputs(chapter)
    expected = {}
    for cell in built.cells:
        if cell.cell_type == "code":
            text = "".join("".join(o["text"]) if isinstance(o["text"], list) else o["text"]
                           for o in cell.get("outputs", []) if o["output_type"] == "stream")
            expected.setdefault(cell.source, []).append(text)
    for cell in learner(chapter).cells:
        if cell.cell_type != "code" or cell.source not in expected:
            continue
        streams = [o for o in cell.outputs if o["output_type"] == "stream"]
        names = [o["name"] for o in streams]
        assert all(a != b for a, b in zip(names, names[1:])), f"{chapter}: unmerged streams"
        text = "".join(o["text"] for o in streams)
        assert text in expected[cell.source], \
            f"{chapter}: stored output differs from the executed one:\n{text[:500]}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_launch_links_open_the_learner_notebook(chapter):
    page = BeautifulSoup((HTML / f"{chapter}.html").read_text(), "html.parser")
    links = {a.get_text(" ", strip=True): a["href"] for a in page.select(".dropdown-launch-buttons a")}
    links.update({a.get_text(" ", strip=True): a["href"] for a in page.select(".dropdown-download-buttons a")})
    published = f"_sources/{chapter}.ipynb"
    binder = [url for text, url in links.items() if "Binder" in text]
    colab = [url for text, url in links.items() if "Colab" in text]
    download = [url for text, url in links.items() if ".ipynb" in text]
    assert binder and binder[0].endswith(f"/gh-pages?urlpath=lab/tree/{published}"), binder
    assert colab and colab[0].endswith(f"/blob/gh-pages/{published}"), colab
    assert download and download[0].endswith(published), download


def test_binder_configuration_is_published(wheel):
    binder = HTML / "binder"
    assert (binder / "runtime.txt").read_text().strip() == "python-3.11"
    requirements = [Requirement(line) for line in (binder / "requirements.txt").read_text().splitlines()
                    if line and not line.startswith("#")]
    assert requirements and all(str(r.specifier).startswith("==") for r in requirements), \
        "every learner requirement is pinned"
    names = {canonicalize_name(r.name) for r in requirements}
    assert {"numpy", "scipy", "matplotlib", "scikit-learn", "sympy"} <= names
    assert "_static/wheels/mmlbook-*.whl" in (binder / "postBuild").read_text()


# --------------------------------------------------------------------------
# Declared dependencies
# --------------------------------------------------------------------------


def chapter_imports(source: Path) -> set[str]:
    """Top-level modules imported by a chapter's code cells."""
    notebook = jupytext.read(source)
    modules = set()
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        code = "\n".join(line[:len(line) - len(line.lstrip())] + "pass" if line.lstrip().startswith(("%", "!")) else line
                         for line in cell.source.splitlines())
        for node in ast.walk(ast.parse(code)):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return modules


def declared() -> dict[str, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = project["dependencies"] + project["optional-dependencies"]["notebooks"]
    return {canonicalize_name(Requirement(line).name): Requirement(line) for line in lines}


@pytest.mark.parametrize("source", chapter_sources(), ids=lambda p: p.stem)
def test_every_import_is_declared(source):
    distributions = packages_distributions()
    requirements = declared()
    missing = []
    for module in sorted(chapter_imports(source)):
        if module in sys.stdlib_module_names or module == "mmlbook":
            continue
        names = {canonicalize_name(d) for d in distributions.get(module, [module])}
        # IPython comes with ipykernel in every notebook; mmlbook depends on it too.
        if not names & set(requirements):
            missing.append(f"{module} (from {', '.join(sorted(names))})")
    assert not missing, (f"{source.name} imports packages that neither mmlbook's dependencies "
                         f"nor its 'notebooks' extra declare: {missing}")


def test_declared_lower_bounds_hold_in_the_lock():
    from packaging.version import Version

    pins = {}
    for line in (ROOT / "binder" / "requirements.txt").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = Version(version)
    for name, requirement in declared().items():
        assert name in pins, f"{name} is declared but not pinned in binder/requirements.txt"
        assert requirement.specifier.contains(pins[name]), f"the lock's {name} {pins[name]} breaks {requirement}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_questions_appear_with_collapsed_answers(chapter):
    page = BeautifulSoup((HTML / f"{chapter}.html").read_text(), "html.parser")
    on_page = len(page.select("[data-question]"))
    cells = markdown_cells(learner(chapter))
    questions = [c for c in cells if c.startswith("**Question ")]
    answers = [c for c in cells if c.startswith("<details>\n<summary>Answer</summary>")]
    assert len(questions) == on_page, f"{chapter}: {on_page} questions on the page, {len(questions)} in the notebook"
    assert len(answers) == on_page, f"{chapter}: every question needs its answer, collapsed"


# --------------------------------------------------------------------------
# Round two (issue 23): maths, sliders, counts, the install cell, choices,
# links, and a check under every question
# --------------------------------------------------------------------------

MATH = [re.compile(r"```.*?```", re.S), re.compile(r"`[^`\n]*`"), re.compile(r"\$\$.*?\$\$", re.S),
        re.compile(r"(?<!\\)\$(?:\\.|[^$\\])+?\$")]
LATEX_COMMAND = re.compile(r"\\[A-Za-z]{2,}")


def outside_math(markdown: str) -> str:
    """A Markdown cell without its code and its maths ($...$ and $$...$$)."""
    for pattern in MATH:
        markdown = pattern.sub(" ", markdown)
    return markdown


def test_latex_outside_math_is_found():
    assert LATEX_COMMAND.search(outside_math(r"<summary>Answer</summary> \\begin{bmatrix}2 \\\\ 5\\end{bmatrix}"))
    assert not LATEX_COMMAND.search(outside_math(r"Answer: $\begin{bmatrix}2 \\ 5\end{bmatrix}$ and \$5"))
    assert not LATEX_COMMAND.search(outside_math("$$\n\\frac{a}{b}\n$$\n\n$$ \\begin{align}x\\end{align} $$"))
    assert LATEX_COMMAND.search(outside_math("\\begin{aligned}x\\end{aligned}")), "a bare environment"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_no_latex_outside_math(chapter):
    for text in markdown_cells(learner(chapter)):
        match = LATEX_COMMAND.search(outside_math(text))
        assert match is None, f"{chapter}: LaTeX {match.group(0)!r} outside $...$ in:\n{text[:400]}"


FROZEN = re.compile(r"<(input|script|button|select|textarea)\b", re.I)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_no_stored_output_is_a_frozen_control(chapter):
    """A stored output is untrusted: JupyterLab strips its scripts, so a
    control in it would not move. A slider figure keeps its key-frame panel."""
    sliders = 0
    for cell in learner(chapter).cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            html = data.get("text/html", "")
            html = "".join(html) if isinstance(html, list) else html
            assert not FROZEN.search(html), f"{chapter}: a stored output holds a control: {html[:200]}"
            assert "application/vnd.jupyter.widget-view+json" not in data, f"{chapter}: a stored widget"
            if output.get("metadata", {}).get("mmlbook_slider_frames"):
                sliders += 1
                assert "image/png" in data, f"{chapter}: a slider figure without its static panel"
    text = "\n".join(markdown_cells(learner(chapter)))
    assert text.count("Here its key frames are side by side") == sliders
    assert "Move the slider" not in text, f"{chapter}: a caption asks to move a slider the notebook lacks"


def test_the_book_has_six_slider_panels():
    count = sum(1 for chapter in CHAPTERS for cell in learner(chapter).cells
                for output in cell.get("outputs", []) if output.get("metadata", {}).get("mmlbook_slider_frames"))
    assert count >= 6


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_execution_counts_are_filled_in(chapter):
    counts = []
    for cell in learner(chapter).cells:
        if cell.cell_type != "code" or not cell.outputs:
            continue
        assert isinstance(cell.execution_count, int), f"{chapter}: [ ] beside stored outputs: {cell.source[:100]}"
        counts.append(cell.execution_count)
        for output in cell.outputs:
            if output.output_type == "execute_result":
                assert output.execution_count == cell.execution_count
    assert counts and counts == sorted(set(counts)), f"{chapter}: counts out of order: {counts}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_install_cell_is_folded_with_one_line_saying_what_it_does(chapter):
    install = next(cell for cell in learner(chapter).cells if "mmlbook-install" in cell.metadata.get("tags", []))
    assert install.metadata.get("jupyter", {}).get("source_hidden") is True
    assert install.metadata.get("cellView") == "form"
    assert re.match(r"#@title Set-up: installs mmlbook [\d.]+ if it is missing\. Run this cell first\.\n",
                    install.source), install.source.splitlines()[0]


def test_install_cell_failure_reads_clearly(tmp_path):
    """Run with colours forced and no site: the reason is pip's ERROR line, as text."""
    import os
    import socket
    import subprocess

    install = next(cell for cell in learner("book/linalg/vectors").cells
                   if "mmlbook-install" in cell.metadata.get("tags", []))
    source = re.sub(r'MMLBOOK_VERSION = "[^"]+"', 'MMLBOOK_VERSION = "0.0.0"', install.source)  # "missing"
    (tmp_path / "cell.py").write_text(source)
    runner = ("import ast, asyncio; code = compile(open('cell.py').read(), 'cell', 'exec', "
              "flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT); result = eval(code, {'__name__': '__main__'}); "
              "asyncio.run(result) if asyncio.iscoroutine(result) else None")
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    env = {**os.environ, "FORCE_COLOR": "1", "CLICOLOR_FORCE": "1", "PIP_NO_INDEX": "1", "PIP_RETRIES": "0",
           "MMLBOOK_BOOK_URL": f"http://127.0.0.1:{port}/"}
    run = subprocess.run([sys.executable, "-c", runner], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode != 0
    message = run.stderr.strip().splitlines()
    error = next(line for line in message if line.startswith("RuntimeError: Could not install mmlbook"))
    assert "\x1b" not in run.stderr, f"escape codes in the message: {error!r}"
    reason = error.split(".whl: ", 1)[1]
    assert reason.lower().startswith("error") and "Connection refused" in reason, f"no readable reason: {error!r}"
    assert any(line.strip().startswith("pip install 'mmlbook[notebooks] @") for line in message)


def question_cells(notebook):
    """(index, markdown) of every question's cell."""
    return [(i, cell.source) for i, cell in enumerate(notebook.cells)
            if cell.cell_type == "markdown" and cell.source.startswith("**Question ")]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_choices_are_lettered_like_their_answers(chapter):
    notebook = learner(chapter)
    for i, text in question_cells(notebook):
        if "(choice)" not in text.splitlines()[0]:
            continue
        labels = re.findall(r"^- \(([a-z])\) ", text, re.M)
        assert labels == [chr(97 + k) for k in range(len(labels))] and len(labels) >= 2, text[:300]
        assert not re.search(r"^\d+\. ", text, re.M), f"{chapter}: numbered choices:\n{text[:300]}"
        answer = next(cell.source for cell in notebook.cells[i + 1:]
                      if cell.source.startswith("<details>\n<summary>Answer"))
        body = answer.split("</summary>", 1)[1].replace("</details>", "").strip()
        letters = re.findall(r"(?:^|; )\(([a-z])\) ", body)
        assert letters and set(letters) <= set(labels), f"{chapter}: answer {body[:100]!r} vs choices {labels}"
        assert "\n" not in body, f"{chapter}: a stray line break in the answer {body!r}"


def stored_answer(kind: str, body: str):
    """The answer the notebook shows, as a learner would pass it to check_answer()."""
    if kind == "choice":
        return re.findall(r"(?:^|; )\(([a-z])\) ", body)
    if kind == "numeric":
        return unescape(body)
    tex = re.fullmatch(r"\$\\begin\{bmatrix\}(.*)\\end\{bmatrix\}\$", body, re.S)
    assert tex, f"a {kind} answer not typeset as $\\begin{{bmatrix}}...$: {body!r}"
    rows = [[entry.strip() for entry in row.split("&")] for row in tex.group(1).split("\\\\")]
    return [row[0] for row in rows] if kind == "vector" else rows


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_question_has_a_check_that_passes_its_answer(chapter, capsys):
    from mmlbook import interactive
    from tests.book.test_questions import near_misses

    notebook = learner(chapter)
    setup = [cell for cell in notebook.cells if "mmlbook-questions" in cell.metadata.get("tags", [])]
    assert len(setup) == 1, f"{chapter}: no set-up cell for the questions"
    assert setup[0].metadata.get("jupyter", {}).get("source_hidden")
    namespace: dict = {}
    try:
        exec(setup[0].source, namespace)
    finally:
        interactive.LIVE_WIDGETS = False
    check, specs = namespace["check_answer"], namespace["check_answer"].__self__.specs
    found = question_cells(notebook)
    assert len(found) == len(specs) >= 3
    for i, text in found:
        after = notebook.cells[i + 1:]
        k = next(n for n, cell in enumerate(after) if cell.cell_type == "code")
        details = [cell.source for cell in after[:k]]
        assert all(d.startswith("<details>") for d in details) and details[-1].startswith(
            "<details>\n<summary>Answer"), f"{chapter}: no answer right before the check"
        cell = after[k]
        assert "question-check" in cell.metadata.get("tags", []), f"{chapter}: no check after {text[:80]}"
        label = re.search(r'^check_answer\("([^"]+)", ', cell.source, re.M).group(1)
        spec = specs[label]
        # As written, the cell runs and says an answer is still to come.
        capsys.readouterr()
        exec(cell.source, {"check_answer": check})
        assert capsys.readouterr().out.startswith("Not yet"), f"{chapter}: {label} as written"
        body = details[-1].split("</summary>", 1)[1].replace("</details>", "").strip()
        check(label, stored_answer(spec["kind"], body))
        assert capsys.readouterr().out == "Correct.\n", f"{chapter}: {label}'s shown answer {body!r} fails"
        for what, entries in near_misses(spec).items():
            if spec["kind"] == "matrix":
                width = len(spec["answer"][0])
                entries = [entries[r:r + width] for r in range(0, len(entries), width)]
            check(label, entries if spec["kind"] != "numeric" else entries[0])
            assert capsys.readouterr().out.startswith("Not yet"), f"{chapter}: {label} accepts a {what}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_links_within_the_chapter_stay_in_the_notebook(chapter):
    notebook = learner(chapter)
    text = "\n".join(markdown_cells(notebook))
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', text))
    page = notebook.metadata["mmlbook"]["page"]
    inside = re.findall(r"\]\(#([^)\s]+)\)", text)
    missing = sorted(set(inside) - anchors)
    assert not missing, f"{chapter}: links to anchors the notebook lacks: {missing[:5]}"
    outside = [target for target in re.findall(re.escape(page) + r"#([^)\s]+)\)", text) if target in anchors]
    assert not outside, f"{chapter}: links to the website for targets in this notebook: {outside[:5]}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_no_cell_rebinds_the_checker(chapter):
    """The chapter's own code must leave check_answer alone (two chapters define a check of their own)."""
    for cell in learner(chapter).cells:
        if cell.cell_type != "code" or "mmlbook-questions" in cell.metadata.get("tags", []):
            continue
        code = "\n".join(line[:len(line) - len(line.lstrip())] + "pass" if line.lstrip().startswith(("%", "!"))
                         else line for line in cell.source.splitlines())
        for node in ast.walk(ast.parse(code)):
            bound = (node.id if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
                     else node.name if isinstance(node, (ast.FunctionDef, ast.ClassDef))
                     else None)
            assert bound != "check_answer", f"{chapter}: a cell rebinds check_answer: {cell.source[:200]}"
