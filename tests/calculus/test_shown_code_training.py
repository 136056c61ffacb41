"""The code that the backpropagation and gradient-descent chapters show fits on one screen.

Each chapter shows the algorithm's core with ``show_source``; the core must be
at most 25 lines without its docstring. That the public functions run exactly
these cores is tested beside each module (``test_neural_network``,
``test_optimize``).
"""

import pytest

import mmlbook.calculus.neural_network as nn
import mmlbook.calculus.optimize as optimize
from mmlbook.calculus import Value, newton_minimize
from mmlbook.display import source

#: Every function that backpropagation.md and gradient-descent.md show with ``show_source``.
SHOWN = [nn._activations, nn._backward, nn._train, Value.__mul__, Value.sigmoid, Value.backward,
         optimize._gradient_descent, newton_minimize, optimize._hybrid_step, optimize._hybrid_minimize]


@pytest.mark.parametrize("function", SHOWN, ids=lambda f: f.__qualname__)
def test_shown_function_fits_one_screen(function):
    lines = source(function).strip().splitlines()
    assert len(lines) <= 25, f"{function.__qualname__} shows {len(lines)} lines"


def test_the_list_is_what_the_chapters_show():
    import re
    from pathlib import Path

    book = Path(__file__).resolve().parents[2] / "book" / "calculus"
    shown = set()
    for chapter in ("backpropagation.md", "gradient-descent.md"):
        shown |= set(re.findall(r"show_source\(([\w.]+)\)", (book / chapter).read_text()))
    names = {"nn._activations", "nn._backward", "nn._train", "Value.__mul__", "Value.sigmoid",
             "Value.backward", "optimize._gradient_descent", "newton_minimize", "optimize._hybrid_step",
             "optimize._hybrid_minimize"}
    assert shown == names
