"""``make check``: the tests that an edit can break, found from what changed.

Usage: ``python -m tests.check [--base REF] [--dry-run] [-- PYTEST ARGS]``

What changed is everything that differs from where the branch left ``main``
(``git merge-base main HEAD``; another base with ``--base`` or ``CHECK_BASE``):
commits on the branch, staged and unstaged edits, and new files. From it:

* **package tests**: the files under ``tests/`` (not the book, browser or
  learner ones) that use a changed module of ``mmlbook`` (found by reading the
  imports, down to the names a package re-exports), and changed test files;
* **chapters**: the changed chapters, and every chapter whose code uses a
  changed module. For each: its execution in the book's environment compared
  with the build's (``tests/book/test_determinism.py``) and its pages in
  Chromium (``tests/browser/test_pages.py``, its slider figures);
* **site checks**: ``tests/book`` read from ``_build/html``, the per-chapter
  ones for those chapters (``tests/book/conftest.py``) and the book-wide ones
  and link checks in full; all of it when ``_ext/``, the configuration or a
  site test changed. Before them, the build (``make book``, which
  re-executes only the changed chapters, or every chapter when ``mmlbook/``
  changed).

Not run here: the learner environment (``make test-learner``), the
JupyterLite app and question widgets in Chromium (unless ``_ext/`` or the
browser tests changed), and the tests of unchanged modules. ``make test``
runs everything.
"""

from __future__ import annotations

import argparse
import ast
import os
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import jupytext

from tests.book.chapters import ROOT, chapter_sources

PACKAGE = "mmlbook"
SITE_TESTS = "tests/book"
DETERMINISM = "tests/book/test_determinism.py"
BROWSER_PAGE_TESTS = ("test_no_javascript_errors", "test_equations_are_typeset", "test_images_load",
                      "test_no_serious_accessibility_violations")
# Files whose change affects every page but no chapter's code.
SITE_WIDE = ("_ext/", "_config.yml", "_toc.yml", "book/references.bib", "tests/browser/")


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True,
                          text=True).stdout


def base_commit(base: str | None) -> str:
    candidates = [base] if base else ["main", "origin/main", "HEAD"]
    for ref in candidates:
        try:
            return git("merge-base", ref, "HEAD").strip()
        except subprocess.CalledProcessError:
            continue
    raise SystemExit(f"make check: no base to compare with ({', '.join(candidates)})")


def changed_files(base: str) -> list[str]:
    """Paths that differ from ``base``: committed, staged, unstaged or new."""
    names = set(git("diff", "--name-only", base).split())
    names |= set(git("ls-files", "--others", "--exclude-standard").split())
    return sorted(names)


# --- which mmlbook modules a piece of code uses ------------------------------

def module_file(name: str) -> Path | None:
    path = ROOT / Path(*name.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def is_package(name: str) -> bool:
    file = module_file(name)
    return file is not None and file.name == "__init__.py"


def module_of(path: str) -> str | None:
    """``mmlbook/linalg/eigen.py`` -> ``mmlbook.linalg.eigen``."""
    parts = Path(path).with_suffix("").parts
    if not parts or parts[0] != PACKAGE or not path.endswith(".py"):
        return None
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(node: ast.ImportFrom, current: str) -> str:
    if not node.level:
        return node.module or ""
    package = current if is_package(current) else current.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


@lru_cache(maxsize=None)
def _imports(tree_source: str, current: str) -> tuple[tuple[str, str | None], ...]:
    """(module, name or None) for every import of mmlbook in the code."""
    found = []
    for node in ast.walk(ast.parse(tree_source)):
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names
                      if alias.name.split(".")[0] == PACKAGE]
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(node, current)
            if module.split(".")[0] == PACKAGE:
                found += [(module, alias.name) for alias in node.names]
    return tuple(found)


@lru_cache(maxsize=None)
def resolve(module: str, name: str | None) -> frozenset[str]:
    """The modules that ``from module import name`` (or ``import module``) runs for that name."""
    parents = {".".join(module.split(".")[:i]) for i in range(1, module.count(".") + 1)}
    if name is None or name == "*":
        return frozenset(parents | closure(module))
    if module_file(f"{module}.{name}"):
        return frozenset(parents | {module} | closure(f"{module}.{name}"))
    file = module_file(module)
    if file is not None and is_package(module):
        for source, imported in _imports(file.read_text(), module):
            if imported == name or _binds(file, source, name):
                return frozenset(parents | {module} | resolve(source, imported))
    return frozenset(parents | closure(module))


def _binds(file: Path, source: str, name: str) -> bool:
    """``from source import x as name`` in ``file``."""
    for node in ast.walk(ast.parse(file.read_text())):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.asname == name and alias.name != name:
                    return True
    return False


@lru_cache(maxsize=None)
def closure(module: str) -> frozenset[str]:
    """The module and every mmlbook module it uses, down to the names."""
    file = module_file(module)
    if file is None:
        return frozenset()
    used = {module}
    for source, name in _imports(file.read_text(), module):
        if source != module:
            used |= resolve(source, name)
    return frozenset(used)


def uses(*codes: str) -> frozenset[str]:
    """The mmlbook modules that running these pieces of code uses."""
    used: set[str] = set()
    for code in codes:
        try:
            imports = _imports(code, "__main__")
        except SyntaxError:
            continue  # not Python (a cell of another language): uses nothing of ours
        for source, name in imports:
            used |= resolve(source, name)
    return frozenset(used)


def chapter_code(source: Path) -> list[str]:
    """Each code cell of a chapter, magics and shell lines made ``pass``."""
    return ["\n".join(line[:len(line) - len(line.lstrip())] + "pass"
                      if line.lstrip().startswith(("%", "!")) else line
                      for line in cell.source.splitlines())
            for cell in jupytext.read(source).cells if cell.cell_type == "code"]


# --- the plan ----------------------------------------------------------------

def package_test_files() -> list[Path]:
    skip = {"book", "browser", "learner"}
    return sorted(p for p in (ROOT / "tests").rglob("test_*.py")
                  if not skip & set(p.relative_to(ROOT / "tests").parts[:-1]))


def plan(changed: list[str]) -> dict:
    modules = {m for m in map(module_of, changed) if m}
    everything = any(p == "pyproject.toml" or (p.startswith(f"{PACKAGE}/") and not p.endswith(".py"))
                     for p in changed)
    if everything:  # package data or metadata: every user of the package
        modules |= {module_of(str(p.relative_to(ROOT))) for p in (ROOT / PACKAGE).rglob("*.py")}

    tests = [str(p.relative_to(ROOT)) for p in package_test_files()
             if str(p.relative_to(ROOT)) in changed or uses(p.read_text()) & modules]

    chapters = [s for s in chapter_sources()
                if str(s.relative_to(ROOT)) in changed or (modules and uses(*chapter_code(s)) & modules)]
    site_wide = any(p.startswith(SITE_WIDE) for p in changed)
    book_tests = sorted(p for p in changed if p.startswith(("tests/book/", "tests/browser/"))
                        and Path(p).name.startswith("test_") and (ROOT / p).is_file())
    return {"modules": sorted(modules), "tests": tests, "chapters": chapters,
            "site_wide": site_wide, "book_tests": book_tests,
            "anything": bool(modules or tests or chapters or site_wide or book_tests
                             or any(p.startswith(("book/", "tests/")) for p in changed))}


def node_ids(chapters: list[Path], browser: bool) -> list[str]:
    ids = []
    for source in chapters:
        relative = source.relative_to(ROOT)
        ids.append(f"{DETERMINISM}::test_chapter_runs_and_gives_the_build_outputs[{relative}]")
        if browser:
            page = relative.with_suffix(".html").as_posix()
            ids += [f"tests/browser/test_pages.py::{test}[{page}]" for test in BROWSER_PAGE_TESTS]
            html = ROOT / "_build" / "html" / page
            if html.is_file() and 'class="mml-slider"' in html.read_text(encoding="utf-8"):
                ids.append(f"tests/browser/test_questions.py::test_slider_moves_the_figure[{page}]")
    return ids


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.check", description=__doc__.split("\n")[0])
    parser.add_argument("--base", default=os.environ.get("CHECK_BASE") or None)
    parser.add_argument("--dry-run", action="store_true", help="print the plan, run nothing")
    parser.add_argument("--no-browser", action="store_true", help="leave out the Chromium checks")
    parser.add_argument("pytest_args", nargs="*")
    args = parser.parse_args(argv)

    base = base_commit(args.base)
    changed = changed_files(base)
    what = plan(changed)
    print(f"make check: {len(changed)} files changed since {base[:10]}")
    print(f"  modules:  {', '.join(what['modules']) or '-'}")
    print(f"  tests:    {', '.join(what['tests']) or '-'}")
    print(f"  chapters: {', '.join(str(s.relative_to(ROOT)) for s in what['chapters']) or '-'}")
    if not what["anything"] and not what["site_wide"]:
        print("make check: nothing to check (no change to mmlbook/, book/, tests/ or the site)")
        return 0

    ids = [*what["tests"], *what["book_tests"]]
    ids += [f for f in site_test_files() if f not in ids]
    ids += node_ids([s for s in what["chapters"] if DETERMINISM not in ids],
                    browser=not args.no_browser)
    if what["site_wide"] and not args.no_browser:
        ids.append("tests/browser")
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *ids, *args.pytest_args]
    print("make check: " + " ".join(command[2:]), flush=True)
    if args.dry_run:
        return 0
    env = dict(os.environ)
    if not what["site_wide"] and not what["book_tests"]:
        # The per-chapter site checks for these chapters only (tests/book/conftest.py).
        env["MMLBOOK_CHECK_CHAPTERS"] = ",".join(
            s.relative_to(ROOT).with_suffix("").as_posix() for s in what["chapters"])
    return subprocess.run(command, cwd=ROOT, env=env).returncode


def site_test_files() -> list[str]:
    """The checks of the built site: every file of tests/book but the chapter executions."""
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / SITE_TESTS).glob("test_*.py")
                  if str(p.relative_to(ROOT)) != DETERMINISM)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
