"""Tests of mmlbook.calculus.autodiff.Value: each operation, finite differences, backprop, bad input."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmlbook.calculus import Value, backprop, cost, init_network
from mmlbook.calculus.autodiff import Value as ValueFromModule


def central_difference(f, xs, h=1e-6):
    """Partial derivatives of a function of floats by central differences."""
    out = []
    for i in range(len(xs)):
        up, down = list(xs), list(xs)
        up[i] += h
        down[i] -= h
        out.append((f(*up) - f(*down)) / (2 * h))
    return np.array(out)


def grads_by_value(f, xs):
    vs = [Value(x) for x in xs]
    out = f(*vs)
    out.backward()
    return out.data, np.array([v.grad for v in vs])


def test_exported_from_the_package():
    assert Value is ValueFromModule


# Each operation against its derivative by hand and by central differences.
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
]


@pytest.mark.parametrize("f, xs, expected", OPERATIONS)
def test_each_operation(f, xs, expected):
    _, grads = grads_by_value(f, xs)
    np.testing.assert_allclose(grads, expected, rtol=1e-12)
    np.testing.assert_allclose(grads, central_difference(lambda *a: f(*map(Value, a)).data, xs), rtol=1e-6)


def test_sigmoid_is_stable_for_large_arguments():
    assert Value(-800.0).sigmoid().data == 0.0
    assert Value(800.0).sigmoid().data == 1.0


def test_a_value_used_twice_collects_both_contributions():
    x = Value(3.0)
    f = x * x + x      # f' = 2x + 1
    f.backward()
    assert x.grad == 7.0


def test_backward_twice_gives_the_same_gradients():
    x, y = Value(0.5), Value(-1.5)
    f = (x * y).tanh() + x.exp()
    f.backward()
    first = (x.grad, y.grad)
    f.backward()
    assert (x.grad, y.grad) == first


def test_a_deep_chain_does_not_hit_the_recursion_limit():
    x = Value(0.5)
    y = x
    for _ in range(5000):
        y = y * 1.0 + 0.0
    y.backward()
    assert x.grad == 1.0


# Random expressions: a tree of operations over three inputs, in a safe range.
UNARY = ["exp", "tanh", "sigmoid", "square", "neg", "logsq"]
BINARY = ["+", "-", "*", "/"]


def expressions(depth):
    leaf = st.sampled_from(["x0", "x1", "x2", "c"])
    if depth == 0:
        return leaf
    sub = expressions(depth - 1)
    return st.one_of(leaf, st.tuples(st.sampled_from(UNARY), sub),
                     st.tuples(st.sampled_from(BINARY), sub, sub))


def evaluate(tree, xs):
    """Evaluate the tree on Values or floats alike; divisions by 1 + e^u keep it finite."""
    if isinstance(tree, str):
        return 0.75 if tree == "c" else xs[int(tree[1])]
    op, *args = tree
    a = [evaluate(t, xs) for t in args]
    u = a[0]
    if op == "exp":
        return (u * 0.3).tanh().exp() if isinstance(u, Value) else math.exp(math.tanh(u * 0.3))
    if op in ("tanh", "sigmoid"):
        return getattr(u, op)() if isinstance(u, Value) else (
            math.tanh(u) if op == "tanh" else 1 / (1 + math.exp(-u)))
    if op == "square":
        return u ** 2
    if op == "neg":
        return -u
    if op == "logsq":
        return (u ** 2 + 1).log() if isinstance(u, Value) else math.log(u ** 2 + 1)
    v = a[1]
    if op == "+":
        return u + v
    if op == "-":
        return u - v
    if op == "*":
        return u * v
    safe = (v.tanh() + 2) if isinstance(v, Value) else (math.tanh(v) + 2)   # in [1, 3]
    return u / safe


@settings(max_examples=150, deadline=None)
@given(expressions(4), st.lists(st.floats(-2, 2), min_size=3, max_size=3))
def test_random_expressions_against_finite_differences(tree, xs):
    values = [Value(x) for x in xs]
    out = evaluate(tree, values)
    if not isinstance(out, Value):        # a constant expression
        return
    out.backward()
    fd = central_difference(lambda *a: evaluate(tree, list(a)), xs)
    assert out.data == pytest.approx(evaluate(tree, xs), rel=1e-12, abs=1e-12)
    np.testing.assert_allclose([v.grad for v in values], fd, rtol=1e-5, atol=1e-6)


def value_cost(network, X, Y):
    """The cost of the network built from Values; returns the cost and the Value parameters."""
    params = [(np.array([[Value(w) for w in row] for row in W], dtype=object),
               np.array([Value(v) for v in b], dtype=object)) for W, b in network]
    A = X
    for W, b in params:
        A = np.vectorize(lambda z: z.sigmoid(), otypes=[object])(A @ W.T + b)
    C = ((A - Y) ** 2).sum() / len(X)
    return C, params


@settings(max_examples=20, deadline=None)
@given(st.sampled_from([[1, 3, 2], [2, 2], [3, 4, 2, 1]]), st.integers(1, 5), st.integers(0, 1000))
def test_value_reproduces_backprop(sizes, n, seed):
    rng = np.random.default_rng(seed)
    network = init_network(sizes, rng=rng)
    X, Y = rng.uniform(-1, 1, (n, sizes[0])), rng.uniform(0.1, 0.9, (n, sizes[-1]))
    C, params = value_cost(network, X, Y)
    C.backward()
    assert C.data == pytest.approx(cost(network, X, Y), rel=1e-12)
    for (W, b), (dW, db) in zip(params, backprop(network, X, Y)):
        np.testing.assert_allclose(np.vectorize(lambda v: v.grad)(W), dW, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose([v.grad for v in b], db, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("bad, error, match", [
    ("1.0", TypeError, "data must be a real number"),
    (True, TypeError, "data must be a real number"),
    (float("nan"), ValueError, "data must be finite"),
    (float("inf"), ValueError, "data must be finite"),
])
def test_bad_data(bad, error, match):
    with pytest.raises(error, match=match):
        Value(bad)


def test_bad_operations():
    with pytest.raises(TypeError, match="the other operand must be a real number"):
        Value(1.0) + "2"
    with pytest.raises(TypeError, match="exponent must be a number"):
        Value(2.0) ** Value(2.0)
    with pytest.raises(ValueError, match="log needs a positive number"):
        Value(0.0).log()
    with pytest.raises(ValueError, match="not real"):
        Value(-2.0) ** 0.5
    with pytest.raises(ZeroDivisionError, match="division by a Value equal to 0"):
        Value(1.0) / Value(0.0)
    with pytest.raises(ZeroDivisionError, match="negative power"):
        Value(0.0) ** -1
    with pytest.raises(ZeroDivisionError):
        1.0 / Value(0.0)


def test_powers_at_zero():
    x = Value(0.0)
    y = x ** 0 + x ** 1 + x ** 2 + x ** 1.5
    y.backward()
    assert (y.data, x.grad) == (1.0, 1.0)
    with pytest.raises(ValueError, match="no finite derivative at x = 0"):
        Value(0.0) ** 0.5


def test_overflow_of_a_power_or_a_derivative_is_reported():
    """No bare OverflowError from float arithmetic, and never an infinite local derivative."""
    with pytest.raises(OverflowError, match=r"1e-320\*\*-1 or its derivative is too large"):
        Value(1e-320) ** -1
    with pytest.raises(OverflowError, match="or its derivative is too large"):
        Value(1e200) ** 2
    with pytest.raises(OverflowError, match="or its derivative is too large"):
        Value(1e-200) ** -1.5               # the value 1e300 fits, its derivative -1.5e500 does not
    with pytest.raises(OverflowError, match="derivative 1/x of log at x = 5e-324"):
        Value(5e-324).log()
    x = Value(1e-300)                        # 1/x = 1e300 fits: the derivative is kept
    y = x.log()
    y.backward()
    assert x.grad == pytest.approx(1e300)


def test_backward_sets_gradients_it_does_not_add_them():
    """Unlike micrograd and PyTorch: a second output's backward replaces the first's gradients."""
    x = Value(2.0)
    f, g = x * 3.0, x * x
    f.backward()
    g.backward()
    assert x.grad == 4.0                     # dg/dx, not df/dx + dg/dx = 7
    (f + g).backward()
    assert x.grad == 7.0


def test_exp_overflow_is_reported():
    with pytest.raises(OverflowError, match="too large"):
        Value(800.0).exp()
    assert math.isfinite(Value(709.0).exp().data)

