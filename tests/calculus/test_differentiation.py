"""Tests for mmlbook.calculus.differentiation: numeric derivatives against exact ones."""

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from mmlbook.calculus import derivative, gradient, hessian, jacobian

finite = st.floats(min_value=-5.0, max_value=5.0, allow_nan=False, allow_infinity=False)
coefficients = st.lists(finite, min_size=1, max_size=6)


# --- derivative: one variable ---------------------------------------------------------

@settings(max_examples=50, deadline=None)
@given(coefficients, finite)
def test_derivative_of_polynomial(coeffs, x):
    p = np.polynomial.Polynomial(coeffs)
    exact = p.deriv()(x)
    scale = 1.0 + np.sum(np.abs(coeffs)) * 5.0 ** len(coeffs)
    assert abs(derivative(p, x) - exact) <= 1e-8 * scale


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["sin", "cos", "exp", "log1p_sq"]), finite, st.floats(0.1, 3.0))
def test_derivative_of_elementary_functions(name, x, a):
    funcs = {
        "sin": (lambda u: np.sin(a * u), lambda u: a * np.cos(a * u)),
        "cos": (lambda u: np.cos(a * u), lambda u: -a * np.sin(a * u)),
        "exp": (lambda u: np.exp(a * u), lambda u: a * np.exp(a * u)),
        "log1p_sq": (lambda u: np.log1p(u**2), lambda u: 2 * u / (1 + u**2)),
    }
    f, df = funcs[name]
    assert np.isclose(derivative(f, x), df(x), rtol=1e-7, atol=1e-7)


def test_derivative_is_vectorised_over_points():
    x = np.linspace(-2, 2, 9)
    d = derivative(np.sin, x)
    assert d.shape == x.shape
    assert np.allclose(d, np.cos(x), atol=1e-9)
    grid = np.arange(6.0).reshape(2, 3)
    assert np.allclose(derivative(np.exp, grid), np.exp(grid), rtol=1e-8)


def test_derivative_returns_float_for_scalar():
    assert isinstance(derivative(np.sin, 1.0), float)


def test_derivative_with_explicit_step():
    # For a quadratic the central difference is exact for any step.
    assert np.isclose(derivative(lambda x: 3 * x**2 - x, 2.0, h=0.5), 11.0)


def test_default_step_beats_naive_steps():
    x = 1.0
    best = abs(derivative(np.exp, x) - np.e)
    assert best < abs(derivative(np.exp, x, h=1e-2) - np.e)
    assert best < abs(derivative(np.exp, x, h=1e-12) - np.e)


def test_derivative_against_sympy():
    t = sp.symbols("t")
    expr = sp.sin(t) * sp.exp(-t**2) / (1 + t**2)
    f = sp.lambdify(t, expr, "numpy")
    df = sp.lambdify(t, sp.diff(expr, t), "numpy")
    x = np.linspace(-2, 2, 21)
    assert np.allclose(derivative(f, x), df(x), atol=1e-9)


# --- gradient, jacobian, hessian -----------------------------------------------------

x, y, z = sp.symbols("x y z")
SYMBOLIC = [
    x**2 * y + sp.sin(z),
    sp.exp(x * y) - z**3 + x,
    sp.cos(x) * sp.cos(y) * sp.exp(-z**2 / 4),
]


@pytest.mark.parametrize("expr", SYMBOLIC)
def test_gradient_and_hessian_against_sympy(expr):
    variables = (x, y, z)
    f = sp.lambdify([variables], expr, "numpy")
    grad = sp.lambdify([variables], [sp.diff(expr, v) for v in variables], "numpy")
    hess = sp.lambdify([variables], sp.hessian(expr, variables), "numpy")
    rng = np.random.default_rng(0)
    for point in rng.uniform(-1, 1, size=(5, 3)):
        assert np.allclose(gradient(f, point), grad(point), rtol=1e-7, atol=1e-8)
        H = hessian(f, point)
        assert np.allclose(H, np.array(hess(point), dtype=float), rtol=1e-4, atol=1e-5)
        assert np.array_equal(H, H.T)


def test_jacobian_against_sympy():
    variables = sp.Matrix([x, y, z])
    F = sp.Matrix([x * y * z, x**2 - sp.sin(y), sp.exp(z) * x])
    f = sp.lambdify([list(variables)], list(F), "numpy")
    J = sp.lambdify([list(variables)], F.jacobian(variables), "numpy")
    point = np.array([0.3, -1.2, 0.7])
    result = jacobian(lambda v: np.array(f(v)), point)
    assert result.shape == (3, 3)
    assert np.allclose(result, np.array(J(point), dtype=float), rtol=1e-7, atol=1e-8)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_jacobian_of_linear_map_is_the_matrix(m, n, seed):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(m, n))
    point = rng.normal(size=n)
    J = jacobian(lambda v: A @ v, point)
    assert J.shape == (m, n)
    assert np.allclose(J, A, atol=1e-8)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_hessian_of_quadratic_form(n, seed):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(n, n))
    b = rng.normal(size=n)
    point = rng.normal(size=n)
    H = hessian(lambda v: v @ A @ v + b @ v, point)
    assert H.shape == (n, n)
    assert np.allclose(H, A + A.T, atol=1e-5)


def test_gradient_is_the_one_row_jacobian():
    def f(v):
        return np.sin(v[0]) * v[1] ** 2
    point = np.array([0.4, 1.5])
    assert np.allclose(jacobian(f, point), gradient(f, point)[None, :])


def test_jacobian_of_function_of_a_number():
    J = jacobian(lambda t: np.array([np.cos(t), np.sin(t), t**2]), 0.5)
    assert J.shape == (3, 1)
    assert np.allclose(J[:, 0], [-np.sin(0.5), np.cos(0.5), 1.0])


# --- bad input ----------------------------------------------------------------------

@pytest.mark.parametrize("func", [gradient, jacobian, hessian])
def test_f_must_be_callable_multivariate(func):
    with pytest.raises(ValueError, match="f must be callable"):
        func(3.0, [1.0, 2.0])


def test_f_must_be_callable():
    with pytest.raises(ValueError, match="f must be callable"):
        derivative("sin", 1.0)


@pytest.mark.parametrize("func", [derivative, gradient, jacobian, hessian])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_x_must_be_finite(func, bad):
    with pytest.raises(ValueError, match="x must be finite"):
        func(lambda v: np.sum(v), np.array([1.0, bad]))


@pytest.mark.parametrize("func", [gradient, hessian])
def test_x_must_be_a_vector(func):
    with pytest.raises(ValueError, match="x must have 1 dimension"):
        func(lambda v: np.sum(v), np.ones((2, 2)))


def test_jacobian_x_must_be_a_vector():
    with pytest.raises(ValueError, match="x must have"):
        jacobian(lambda v: v, np.ones((2, 2)))


@pytest.mark.parametrize("func", [gradient, hessian])
def test_scalar_f_must_return_one_number(func):
    with pytest.raises(ValueError, match="f must return a number"):
        func(lambda v: v * 2, [1.0, 2.0])


def test_jacobian_f_must_return_a_vector():
    with pytest.raises(ValueError, match="f must return a number or a 1-D array"):
        jacobian(lambda v: np.outer(v, v), [1.0, 2.0])


def test_derivative_f_must_keep_shape():
    with pytest.raises(ValueError, match=r"f must return an array of shape .* \(the shape of x\)"):
        derivative(lambda v: np.array([1.0, 2.0]), 1.0)


@pytest.mark.parametrize("func", [derivative, gradient, jacobian, hessian])
def test_f_returning_nan(func):
    with pytest.raises(ValueError, match="f must return finite values"):
        func(lambda v: np.sum(v) * np.nan, np.array([1.0, 2.0]) if func is not derivative else 1.0)


def test_f_returning_non_numbers():
    with pytest.raises(ValueError, match="f must return numbers"):
        gradient(lambda v: "hello", [1.0])


@pytest.mark.parametrize("h", [0.0, -1e-3, np.nan])
def test_h_must_be_positive_and_finite(h):
    with pytest.raises(ValueError, match="h must be"):
        derivative(np.sin, 1.0, h=h)


def test_h_must_match_x():
    with pytest.raises(ValueError, match="h must be a number or have the shape of x"):
        derivative(np.sin, 1.0, h=[1e-3, 1e-4])
    x = np.array([0.5, 1.0])
    assert np.allclose(derivative(np.sin, x, h=[1e-3, 1e-4]), np.cos(x))
