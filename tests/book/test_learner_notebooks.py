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
              for m in re.finditer(r"check_\w+\(my_\w+", cell.source)}
    stubs = "\n".join(cell.source for cell in notebook.cells
                      if "exercise-stub" in cell.metadata.get("tags", []))
    for call in checks:
        assert call in stubs, f"{chapter}: no stub with {call}...) for the learner"
        name = call.split("(")[1]
        assert f"def {name}(" in stubs and "NotImplementedError" in stubs


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
