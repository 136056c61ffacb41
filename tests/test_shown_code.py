"""The code a chapter shows is the mathematics, on one screen.

Every function or method a chapter shows with ``show_source(name)`` is found
here from the chapters themselves (the name is resolved with the chapter's own
``import`` statements), and its body, the lines under the ``def`` without the
docstring, must

* fit on one screen: at most ``MAX_LINES`` lines;
* contain no input conversion, validation or range bookkeeping: no call to a
  helper of :mod:`mmlbook._validation` or :mod:`mmlbook._checks`, to
  ``np.errstate``, or to a private helper of the same module that calls one of
  those. Such checks are declared above the function (``@checked``,
  ``@homogeneous``, ``@in_range``) or live in a public wrapper, and the chapter
  shows the inner function.

Iteration limits and convergence tests that belong to the algorithm (a
``ConvergenceError`` after ``max_iter``) stay in the body.
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from pathlib import Path

import pytest

from mmlbook import _checks, _validation
from mmlbook.display import source

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 25
SHOW = re.compile(r"show_source\(([\w.]+)\)")

#: Helpers whose call in a shown body is bookkeeping, not mathematics.
GUARDS = {name for module in (_validation, _checks) for name, obj in vars(module).items()
          if inspect.isfunction(obj) or isinstance(obj, _checks.Spec)} - {"scaled_norm"}
GUARD_MODULES = {"_validation", "_checks", "v"}


def _chapter_imports(text: str) -> dict:
    """Run a chapter's import statements (only those) and return the names they bind."""
    namespace: dict = {}
    for block in re.findall(r"```\{code-cell\}[^\n]*\n(.*?)```", text, flags=re.S):
        lines = [line for line in block.splitlines() if not line.startswith(("%", "!", ":"))]
        try:
            tree = ast.parse("\n".join(lines))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                exec(compile(ast.Module([node], []), "<chapter>", "exec"), namespace)
    return namespace


def shown_functions() -> dict[str, object]:
    """Every ``chapter: name`` a chapter shows, resolved to the function."""
    found = {}
    for chapter in sorted((ROOT / "book").rglob("*.md")):
        text = chapter.read_text()
        names = SHOW.findall(text)
        if not names:
            continue
        namespace = _chapter_imports(text)
        for name in names:
            found[f"{chapter.stem}: {name}"] = eval(name, namespace)
    return found


SHOWN = shown_functions()


def _body(function) -> ast.FunctionDef:
    node = ast.parse(source(function)).body[0]
    assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)), function
    return node


def _guard_calls(tree: ast.AST, module) -> list[str]:
    """The guard helpers ``tree`` calls, directly or through a private helper of ``module``."""
    calls = []
    declared = {id(n) for fn in ast.walk(tree) if isinstance(fn, ast.FunctionDef)  # a nested function's
                for d in fn.decorator_list for n in ast.walk(d)}                   # decorators declare
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or id(node) in declared:
            continue
        func = node.func
        if isinstance(func, ast.Attribute):  # np.errstate; np.array is not the spec `array`
            name = func.attr if func.attr == "errstate" or getattr(func.value, "id", "") in GUARD_MODULES else None
        else:
            name = func.id if isinstance(func, ast.Name) else None
        if name == "errstate" or name in GUARDS:
            calls.append(name)
        elif name and name.startswith("_") and inspect.isfunction(getattr(module, name, None)):
            helper = getattr(module, name)
            if helper.__module__ == module.__name__:
                inner = _guard_calls(ast.parse(textwrap.dedent(inspect.getsource(helper))), None)
                calls.extend(f"{name} -> {c}" for c in inner)
    return calls


def test_the_chapters_show_code():
    assert len(SHOWN) >= 70, sorted(SHOWN)


@pytest.mark.parametrize("key", sorted(SHOWN))
def test_shown_body_is_the_mathematics(key):
    function = inspect.unwrap(SHOWN[key])
    node = _body(SHOWN[key])
    body_lines = node.end_lineno - node.body[0].lineno + 1
    assert body_lines <= MAX_LINES, f"{key}: the body is {body_lines} lines, more than one screen ({MAX_LINES})"
    module = inspect.getmodule(function)
    guards = _guard_calls(ast.Module(node.body, []), module)
    assert not guards, f"{key}: the body calls {', '.join(guards)}; declare the checks above it"
