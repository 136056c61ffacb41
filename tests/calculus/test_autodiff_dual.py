"""Tests of mmlbook.calculus.autodiff.Dual (forward mode): each operation, Value, finite differences, bad input."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmlbook.calculus import Dual, Value, jacobian
from mmlbook.calculus.autodiff import Dual as DualFromModule


def test_exported_from_the_package():
    assert Dual is DualFromModule


# Each operation with the derivative by hand, in x then in y.
OPERATIONS = [
    (lambda x, y: x + y, (1.5, -2.0), (1.0, 1.0)),
    (lambda x, y: x - y, (1.5, -2.0), (1.0, -1.0)),
    (lambda x, y: x * y, (1.5, -2.0), (-2.0, 1.5)),
    (lambda x, y: x / y, (1.5, -2.0), (-0.5, -1.5 / 4)),
    (lambda x, y: x ** 3 + y ** -2, (1.5, -2.0), (3 * 1.5**2, -2 * (-2.0) ** -3)),
    (lambda x, y: x.exp() * y, (0.3, 2.0), (math.exp(0.3) * 2, math.exp(0.3))),
    (lambda x, y: x.log() + y.tanh(), (2.0, 0.5), (0.5, 1 - math.tanh(0.5) ** 2)),
    (lambda x, y: x.sigmoid() - y, (0.7, 1.0), (math.exp(-0.7) / (1 + math.exp(-0.7)) ** 2, -1.0)),
    (lambda x, y: 3 - x + 2 * y - 1 / x, (2.0, 1.0), (-1 + 1 / 4, 2.0)),
    (lambda x, y: -x * y ** 0, (2.0, 1.0), (-1.0, 0.0)),
]


@pytest.mark.parametrize("f, xs, expected", OPERATIONS)
def test_each_operation(f, xs, expected):
    x, y = xs
    dx = f(Dual(x, 1.0), Dual(y, 0.0))
    dy = f(Dual(x, 0.0), Dual(y, 1.0))
    assert dx.value == pytest.approx(f(Value(x), Value(y)).data, rel=1e-15)
    np.testing.assert_allclose([dx.derivative, dy.derivative], expected, rtol=1e-12)


def test_sigmoid_is_stable_for_large_arguments():
    assert Dual(-800.0, 1.0).sigmoid().value == 0.0
    assert Dual(800.0, 1.0).sigmoid().derivative == 0.0


# Random expressions over three inputs, evaluated on Dual, Value or float alike.
UNARY = ["exp", "tanh", "sigmoid", "square", "neg", "logsq", "div"]
BINARY = ["+", "-", "*", "/"]


def expressions(depth):
    leaf = st.sampled_from(["x0", "x1", "x2", "c"])
    if depth == 0:
        return leaf
    sub = expressions(depth - 1)
    return st.one_of(leaf, st.tuples(st.sampled_from(UNARY), sub), st.tuples(st.sampled_from(BINARY), sub, sub))


def evaluate(tree, xs):
    if isinstance(tree, str):
        return 0.75 if tree == "c" else xs[int(tree[1])]
    op, *args = tree
    a = [evaluate(t, xs) for t in args]
    u = a[0]
    symbolic = hasattr(u, "exp")
    if op == "exp":
        return (u * 0.3).tanh().exp() if symbolic else math.exp(math.tanh(u * 0.3))
    if op in ("tanh", "sigmoid"):
        return getattr(u, op)() if symbolic else (math.tanh(u) if op == "tanh" else 1 / (1 + math.exp(-u)))
    if op == "square":
        return u ** 2
    if op == "neg":
        return -u
    if op == "logsq":
        return (u ** 2 + 1).log() if symbolic else math.log(u ** 2 + 1)
    if op == "div":
        return 1.0 / (u ** 2 + 0.5)
    v = a[1]
    if op == "+":
        return u + v
    if op == "-":
        return u - v
    if op == "*":
        return u * v
    safe = (v.tanh() + 2) if hasattr(v, "exp") else (math.tanh(v) + 2)   # in [1, 3]
    return u / safe


def _float(out):
    return out.value if isinstance(out, Dual) else out.data if isinstance(out, Value) else out


@settings(max_examples=150, deadline=None)
@given(expressions(4), st.lists(st.floats(-2, 2), min_size=3, max_size=3),
       st.lists(st.floats(-1, 1), min_size=3, max_size=3))
def test_jvp_equals_gradient_dot_direction(tree, xs, direction):
    """Forward mode gives J v; reverse mode gives the gradient; they agree, and with finite differences."""
    out = evaluate(tree, [Dual(x, d) for x, d in zip(xs, direction)])
    values = [Value(x) for x in xs]
    rev = evaluate(tree, values)
    if not isinstance(rev, Value):             # a constant expression
        return
    rev.backward()
    grad = np.array([v.grad for v in values])
    assert _float(out) == pytest.approx(rev.data, rel=1e-12, abs=1e-12)
    jvp = out.derivative if isinstance(out, Dual) else 0.0
    assert jvp == pytest.approx(grad @ direction, rel=1e-9, abs=1e-9)
    h = 1e-6
    up = _float(evaluate(tree, [x + h * d for x, d in zip(xs, direction)]))
    down = _float(evaluate(tree, [x - h * d for x, d in zip(xs, direction)]))
    assert jvp == pytest.approx((up - down) / (2 * h), rel=1e-5, abs=1e-6)


def test_one_forward_pass_gives_a_whole_jacobian_column():
    """For f: R -> R^3, one pass with derivative 1 gives every output's derivative."""
    t = Dual(0.4, 1.0)
    outputs = [t ** 2, (t * 2).exp(), t.tanh() * t]
    g = lambda s: np.array([s ** 2, np.exp(2 * s), np.tanh(s) * s])
    np.testing.assert_allclose([y.derivative for y in outputs], jacobian(g, 0.4).ravel(), rtol=1e-8)


def test_dual_and_value_mix_only_with_numbers():
    with pytest.raises(TypeError):
        Dual(1.0, 1.0) + Value(1.0)
    with pytest.raises(TypeError, match="exponent"):
        Dual(1.0, 1.0) ** Dual(2.0, 0.0)


@pytest.mark.parametrize("bad, error, match", [
    (("a", 1.0), TypeError, "value"),
    ((1.0, "a"), TypeError, "derivative"),
    ((float("nan"), 1.0), ValueError, "value must be finite"),
    ((1.0, float("inf")), ValueError, "derivative must be finite"),
    ((True, 1.0), TypeError, "value"),
])
def test_bad_construction(bad, error, match):
    with pytest.raises(error, match=match):
        Dual(*bad)


def test_bad_operations():
    with pytest.raises(ValueError, match="log needs a positive number"):
        Dual(-1.0, 1.0).log()
    with pytest.raises(ZeroDivisionError):
        Dual(1.0, 1.0) / Dual(0.0, 1.0)
    with pytest.raises(ZeroDivisionError):
        Dual(0.0, 1.0) ** -1
    with pytest.raises(ValueError, match="no finite derivative"):
        Dual(0.0, 1.0) ** 0.5
    with pytest.raises(ValueError, match="not real"):
        Dual(-2.0, 1.0) ** 0.5
    with pytest.raises(OverflowError):
        Dual(710.0, 1.0).exp()
    assert (Dual(0.0, 1.0) ** 2).derivative == 0.0
    assert (Dual(3.0, 1.0) ** 0).derivative == 0.0
