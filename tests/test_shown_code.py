"""The code a chapter shows is the mathematics, on one screen.

Every function or method a chapter shows with ``show_source(name)`` is found
here from the chapters themselves (the name is resolved with the chapter's own
``import`` statements), and its body, the lines under the ``def`` without the
docstring, must

* fit on one screen: at most ``MAX_LINES`` lines;
* contain no input conversion, validation or range bookkeeping: no call to a
  helper of :mod:`mmlbook._validation` or :mod:`mmlbook._checks`, to
  ``np.errstate``, or to a function named ``check_...``/``validate_...``
  (``_check_...``: a check by its own name); no ``raise ValueError`` or
  ``raise TypeError``, the exceptions of bad input; no call to a private helper
  of the same module that does one of those; and, in the body itself, no test
  of finiteness (``np.isfinite``, ``np.isnan``, ``np.isinf``, ``math.isfinite``,
  ..., ``np.all(np.isfinite(x))`` included). Such checks are declared above the
  function (``@checked``, ``@homogeneous``, ``@in_range``, or a spec of the
  module's own) or live in a public wrapper, and the chapter shows the inner
  function.

What the algorithm finds out while computing stays in the body, raised as an
error of its own kind: a ``ConvergenceError`` after ``max_iter``, a
``SingularMatrixError`` or other ``numpy.linalg.LinAlgError`` subclass, a
``ZeroDerivativeError``. A divergence or conditioning test is written as the
comparison it is, which is also false for infinity and NaN:
``if not cond <= cond_max`` rather than ``if not np.isfinite(cond) or cond > cond_max``.
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
import types
from pathlib import Path

import numpy as np
import pytest

from mmlbook import _checks, _validation
from mmlbook.display import source

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 25
SHOW = re.compile(r"show_source\(([\w.]+)\)")

#: Helpers whose call in a shown body is bookkeeping, not mathematics.
GUARDS = {name for module in (_validation, _checks) for name, obj in vars(module).items()
          if inspect.isfunction(obj) or isinstance(obj, _checks.Spec)}
GUARD_MODULES = {"_validation", "_checks", "v"}
#: A function named so is a check, whatever module it is in (``_check_noise``).
CHECK_NAME = re.compile(r"_*(check|validate)_")
#: The exceptions of bad input: raised by the declared checks, never by a shown body.
INPUT_ERRORS = {"ValueError", "TypeError"}
#: Tests of finiteness. On an input they are checks (declared: the specs accept
#: finite numbers only); on a computed value a comparison says it, NaN included.
FINITENESS = {"isfinite", "isnan", "isinf", "isposinf", "isneginf"}


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


def _called_name(call: ast.Call) -> str | None:
    """The name a call is made by: ``f`` for ``f(...)``, ``isfinite`` for ``np.isfinite(...)``."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None


def _raised_name(node: ast.Raise) -> str | None:
    """The class a ``raise`` statement raises: ``ValueError`` for ``raise ValueError("...")``."""
    exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    if isinstance(exc, ast.Attribute):
        return exc.attr
    return exc.id if isinstance(exc, ast.Name) else None


def _guard_calls(tree: ast.AST, module, shown: bool = True) -> list[str]:
    """The checks ``tree`` makes, directly or through a private helper of ``module``.

    A guard helper called, a function named as a check, a ``raise ValueError``
    or ``raise TypeError``, and (in the ``shown`` body itself) a test of finiteness.
    """
    found = []
    declared = {id(n) for fn in ast.walk(tree) if isinstance(fn, ast.FunctionDef)  # a nested function's
                for d in fn.decorator_list for n in ast.walk(d)}                   # decorators declare
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None and _raised_name(node) in INPUT_ERRORS:
            found.append(f"raise {_raised_name(node)}")
        if not isinstance(node, ast.Call) or id(node) in declared:
            continue
        func, name = node.func, _called_name(node)
        if isinstance(func, ast.Attribute) and name != "errstate" and name not in FINITENESS \
                and getattr(func.value, "id", "") not in GUARD_MODULES:
            name = None  # np.array is not the spec `array`, a method .check() not a check
        if name == "errstate" or name in GUARDS or (name and CHECK_NAME.match(name)):
            found.append(name)
        elif name in FINITENESS:
            if shown:
                found.append(ast.unparse(func))
        elif name and name.startswith("_") and inspect.isfunction(getattr(module, name, None)):
            helper = getattr(module, name)
            if helper.__module__ == module.__name__:
                inner = _guard_calls(ast.parse(textwrap.dedent(inspect.getsource(helper))), None, shown=False)
                found.extend(f"{name} -> {c}" for c in inner)
    return found


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
    assert not guards, (f"{key}: the body checks ({', '.join(guards)}); declare input checks above it, "
                        f"raise what the algorithm finds as its own error, write a divergence test as a comparison")


@pytest.mark.parametrize("body, found", [
    ("if not np.all(np.isfinite(x)):\n    raise ValueError('x must be finite')", ["raise ValueError", "np.isfinite"]),
    ("if math.isnan(t) or numpy.isinf(t):\n    raise TypeError", ["raise TypeError", "math.isnan", "numpy.isinf"]),
    ("_check_noise(lam, M)\ncheck_square(A.shape, 'A')", ["_check_noise", "check_square"]),
    ("with np.errstate(over='ignore'):\n    y = as_vector(x, 'x')", ["errstate", "as_vector"]),
    ("x = _helper(x)", ["_helper -> raise ValueError"]),         # one level down, in the same module
    ("x = _finite_helper(x)", []),                                # finiteness of a computed value, not shown
    ("if not cond <= cond_max:\n    raise SingularMatrixError(cond)", []),
    ("if not abs(x) / scale <= 1e150:\n    raise ConvergenceError('f', k, r)", []),
    ("y = np.array(x)\nz = obj.check_x()\nraise", []),
])
def test_what_counts_as_checking(body, found):
    module = types.ModuleType("fake")  # stands for the shown function's module, with its private helpers

    def _helper(x):
        raise ValueError("x is bad")

    def _finite_helper(x):
        return x if np.isfinite(x) else 0.0

    for helper in (_helper, _finite_helper):
        helper.__module__ = "fake"
        setattr(module, helper.__name__, helper)
    assert _guard_calls(ast.parse(body), module) == found
