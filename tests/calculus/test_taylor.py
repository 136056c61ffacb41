"""Tests of mmlbook.calculus.taylor: Taylor and Maclaurin series, linearisation, taylor2."""

import math

import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from mmlbook.calculus import (linearise, maclaurin_series, taylor2, taylor_approx, taylor_coefficients,
                              taylor_polynomial)

SYMPY = {
    "exp": sympy.exp,
    "sin": sympy.sin,
    "cos": sympy.cos,
    "log1p": lambda t: sympy.log(1 + t),
    "geometric": lambda t: 1 / (1 - t),
}
NUMPY = {"exp": np.exp, "sin": np.sin, "cos": np.cos, "log1p": np.log1p, "geometric": lambda t: 1 / (1 - t)}


@pytest.mark.parametrize("name", sorted(SYMPY))
def test_maclaurin_matches_sympy_series(name):
    t = sympy.Symbol("t")
    order = 9
    poly = sympy.series(SYMPY[name](t), t, 0, order + 1).removeO()
    expected = [float(poly.coeff(t, k)) for k in range(order + 1)]
    np.testing.assert_allclose(maclaurin_series(name, order), expected, rtol=1e-15, atol=0)


@pytest.mark.parametrize("name", sorted(NUMPY))
def test_series_converge_inside_radius(name):
    x = np.array([-0.5, -0.1, 0.2, 0.5])
    np.testing.assert_allclose(taylor_approx(maclaurin_series(name, 80), 0.0, x), NUMPY[name](x), rtol=1e-12)


@pytest.mark.parametrize("name", ["log1p", "geometric"])
def test_series_diverge_outside_radius(name):
    x = 1.5
    errors = [abs(taylor_approx(maclaurin_series(name, n), 0.0, x) - NUMPY[name](x)) for n in (5, 10, 20, 40)]
    assert all(b > a for a, b in zip(errors, errors[1:]))
    assert errors[-1] > 1e4


def test_coefficients_and_polynomial_against_sympy_at_a_point():
    t = sympy.Symbol("t")
    f = sympy.exp(t) * sympy.sin(t)
    a = 0.7
    derivs = [float(sympy.diff(f, t, k).subs(t, a)) for k in range(8)]
    p = taylor_polynomial(derivs, a)
    poly = sympy.series(f, t, a, 8).removeO()
    for x in (0.5, 0.7, 1.0):
        assert p(x) == pytest.approx(float(poly.subs(t, x)), rel=1e-12)
    np.testing.assert_allclose(taylor_coefficients([2.0, 6.0, 24.0]), [2.0, 6.0, 12.0])


@given(st.floats(-1.0, 1.0), st.floats(-0.2, 0.2))
def test_taylor_remainder_bound(a, h):
    """For exp, the error of the order-n polynomial is at most e^{|a|+|h|} |h|^{n+1}/(n+1)!."""
    n = 4
    derivs = np.full(n + 1, math.exp(a))
    err = abs(taylor_polynomial(derivs, a)(a + h) - math.exp(a + h))
    assert err <= math.exp(abs(a) + abs(h)) * abs(h) ** (n + 1) / math.factorial(n + 1) + 1e-14


def test_taylor_approx_vectorised_and_exact_on_polynomials():
    x = np.linspace(-2, 3, 7)
    np.testing.assert_allclose(taylor_approx([1.0, -2.0, 0.5], 1.0, x), 1 - 2 * (x - 1) + 0.5 * (x - 1) ** 2)
    assert isinstance(taylor_approx([1.0], 0.0, 2.0), float)


def test_linearise_scalar_and_vector():
    line = linearise(np.sin, 0.3)
    assert line(0.3) == pytest.approx(math.sin(0.3))
    assert line(0.4) == pytest.approx(math.sin(0.3) + 0.1 * math.cos(0.3), rel=1e-9)
    plane = linearise(lambda v: v[0] ** 2 * v[1], [1.0, 2.0])
    assert plane(np.array([1.1, 2.0])) == pytest.approx(2.0 + 0.1 * 4.0, rel=1e-8)


def test_taylor2_exact_on_quadratics_and_second_order_accurate():
    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    b = np.array([1.0, -1.0])
    quad = lambda v: 0.5 * v @ A @ v + b @ v + 4.0  # noqa: E731
    q = taylor2(quad, [0.3, -0.7])
    pts = np.array([[1.0, 2.0], [-3.0, 0.5], [0.0, 0.0]])
    np.testing.assert_allclose(q(pts), [quad(p) for p in pts], rtol=1e-6)
    f = lambda v: np.exp(v[0]) * np.cos(v[1])  # noqa: E731
    q = taylor2(f, [0.0, 0.0])
    errors = [abs(q([h, h]) - f(np.array([h, h]))) for h in (0.1, 0.05)]
    assert errors[0] / errors[1] == pytest.approx(8, rel=0.2)  # error falls like h^3


def test_bad_input():
    with pytest.raises(ValueError, match="name"):
        maclaurin_series("tan", 3)
    with pytest.raises(ValueError, match="order"):
        maclaurin_series("exp", -1)
    with pytest.raises(ValueError, match="order"):
        maclaurin_series("exp", 2.5)
    with pytest.raises(ValueError, match="derivs_at_a"):
        taylor_coefficients([1.0, np.nan])
    with pytest.raises(ValueError, match="coeffs"):
        taylor_approx([], 0.0, 1.0)
    with pytest.raises(ValueError, match="a must"):
        taylor_approx([1.0], np.inf, 1.0)
    with pytest.raises(ValueError, match="x must"):
        taylor_approx([1.0], 0.0, [1.0, np.nan])
    with pytest.raises(ValueError, match="a must"):
        taylor_polynomial([1.0], "zero")
    with pytest.raises(ValueError, match="f must be callable"):
        taylor2(3.0, [0.0])
    with pytest.raises(ValueError, match="x0"):
        taylor2(np.sum, [[0.0]])
    with pytest.raises(ValueError, match="f must be callable"):
        linearise(None, 0.0)
    with pytest.raises(ValueError, match="x0"):
        linearise(np.sin, np.nan)
