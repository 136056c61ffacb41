r"""Taylor series: power series, Maclaurin series and local approximations.

A smooth function is approximated near a point :math:`a` by the polynomial
whose derivatives at :math:`a` match its own,

.. math::
    f(x) \approx \sum_{k=0}^{n} \frac{f^{(k)}(a)}{k!} (x - a)^k ,

and a function of several variables by its value, gradient and Hessian,

.. math::
    f(\mathbf x) \approx f(\mathbf x_0) + \nabla f(\mathbf x_0)^\top \Delta\mathbf x
    + \tfrac12 \Delta\mathbf x^\top H(\mathbf x_0)\, \Delta\mathbf x ,
    \qquad \Delta\mathbf x = \mathbf x - \mathbf x_0 .
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from mmlbook._validation import as_float_array, as_vector, check_callable, check_number, check_positive_int
from mmlbook._validation import as_result
from mmlbook.calculus.differentiation import derivative, gradient, hessian

#: Radius of convergence of the Maclaurin series that :func:`maclaurin_series` knows.
RADIUS = {"exp": math.inf, "sin": math.inf, "cos": math.inf, "log1p": 1.0, "geometric": 1.0}


def taylor_coefficients(derivs_at_a: Any) -> np.ndarray:
    r"""Coefficients :math:`c_k = f^{(k)}(a) / k!` of a Taylor polynomial.

    Parameters
    ----------
    derivs_at_a : array_like, shape (n + 1,)
        The derivatives :math:`f(a), f'(a), f''(a), \dots, f^{(n)}(a)`.

    Returns
    -------
    ndarray, shape (n + 1,)
        The coefficients :math:`c_0, \dots, c_n`.

    Raises
    ------
    ValueError
        If ``derivs_at_a`` is not a non-empty finite 1-D array.

    Examples
    --------
    >>> taylor_coefficients([1.0, 1.0, 1.0, 1.0]).tolist()  # exp at 0
    [1.0, 1.0, 0.5, 0.16666666666666666]
    """
    d = as_vector(derivs_at_a, "derivs_at_a")
    factorials = np.array([math.factorial(k) for k in range(d.size)], dtype=float)
    return d / factorials


def taylor_approx(coeffs: Any, a: float, x: Any) -> float | np.ndarray:
    r"""Evaluate the power series :math:`\sum_k c_k (x - a)^k` (by Horner's rule).

    Parameters
    ----------
    coeffs : array_like, shape (n + 1,)
        Coefficients :math:`c_0, \dots, c_n`.
    a : float
        The centre of the series.
    x : float or array_like
        Where to evaluate.

    Returns
    -------
    float or ndarray
        The value(s), with the shape of ``x``.

    Raises
    ------
    ValueError
        If ``coeffs`` or ``x`` hold NaN or infinity, or ``a`` is not a finite number.

    Examples
    --------
    >>> taylor_approx([1.0, 2.0, 3.0], 1.0, 2.0)  # 1 + 2*1 + 3*1**2
    6.0
    """
    c = as_vector(coeffs, "coeffs")
    a = check_number(a, "a")
    x_arr = as_float_array(x, "x")
    with np.errstate(over="ignore", invalid="ignore"):
        t = x_arr - a
        value = np.zeros_like(t)
        for ck in c[::-1]:
            value = value * t + ck
    if not np.all(np.isfinite(value)):
        raise ValueError("x is too far from a: the series overflows the float range")
    return float(value) if value.ndim == 0 else value


def taylor_polynomial(derivs_at_a: Any, a: float) -> Callable[[Any], float | np.ndarray]:
    r"""The Taylor polynomial with the given derivatives at :math:`a`, as a function.

    .. math:: p_n(x) = \sum_{k=0}^{n} \frac{f^{(k)}(a)}{k!} (x - a)^k .

    Parameters
    ----------
    derivs_at_a : array_like, shape (n + 1,)
        :math:`f(a), f'(a), \dots, f^{(n)}(a)`.
    a : float
        The point of expansion.

    Returns
    -------
    callable
        ``p(x)``, vectorised over ``x``.

    Examples
    --------
    >>> p = taylor_polynomial([0.0, 1.0, 0.0, -1.0], 0.0)  # sin to third order
    >>> round(p(0.1), 10)
    0.0998333333
    """
    c = taylor_coefficients(derivs_at_a)
    a = check_number(a, "a")

    def p(x: Any) -> float | np.ndarray:
        return taylor_approx(c, a, x)

    return p


def maclaurin_series(name: str, order: int) -> np.ndarray:
    r"""Coefficients of a known Maclaurin series (Taylor series at 0) up to ``order``.

    ============  =====================================  ===========
    ``name``      series                                 radius
    ============  =====================================  ===========
    ``exp``       :math:`\sum x^k / k!`                  :math:`\infty`
    ``sin``       :math:`\sum (-1)^j x^{2j+1}/(2j+1)!`   :math:`\infty`
    ``cos``       :math:`\sum (-1)^j x^{2j}/(2j)!`       :math:`\infty`
    ``log1p``     :math:`\sum_{k\ge1} (-1)^{k+1} x^k/k`  1
    ``geometric`` :math:`1/(1-x) = \sum x^k`             1
    ============  =====================================  ===========

    Parameters
    ----------
    name : {"exp", "sin", "cos", "log1p", "geometric"}
        The function: ``log1p`` is :math:`\ln(1 + x)`, ``geometric`` is
        :math:`1/(1 - x)`.
    order : int
        The highest power, :math:`n \ge 0`.

    Returns
    -------
    ndarray, shape (order + 1,)
        The coefficients :math:`c_0, \dots, c_n`.

    Raises
    ------
    ValueError
        If ``name`` is unknown or ``order`` is not a non-negative integer.

    Examples
    --------
    >>> maclaurin_series("cos", 4).tolist()
    [1.0, 0.0, -0.5, 0.0, 0.041666666666666664]
    """
    if name not in RADIUS:
        raise ValueError(f"name must be one of {sorted(RADIUS)}, got {name!r}")
    n = check_positive_int(order, "order", minimum=0)
    k = np.arange(n + 1)
    fact = np.array([math.factorial(i) for i in k], dtype=float)
    if name == "exp":
        return 1.0 / fact
    if name == "sin":
        return np.where(k % 2 == 1, (-1.0) ** ((k - 1) // 2), 0.0) / fact
    if name == "cos":
        return np.where(k % 2 == 0, (-1.0) ** (k // 2), 0.0) / fact
    if name == "log1p":
        c = np.zeros(n + 1)
        c[1:] = (-1.0) ** (k[1:] + 1) / k[1:]
        return c
    return np.ones(n + 1)  # geometric


def linearise(f: Callable, x0: Any) -> Callable[[Any], float | np.ndarray]:
    r"""The first-order Taylor approximation (the tangent line or plane) of ``f`` at ``x0``.

    .. math:: f(\mathbf x) \approx f(\mathbf x_0) + \nabla f(\mathbf x_0)^\top (\mathbf x - \mathbf x_0).

    The derivative is found by central differences (``derivative`` or
    ``gradient`` from :mod:`mmlbook.calculus.differentiation`).

    Parameters
    ----------
    f : callable
        A function of one number, or of a vector of shape (n,), returning a number.
    x0 : float or array_like, shape (n,)
        The point of expansion.

    Returns
    -------
    callable
        The linearisation; for a scalar ``x0`` it is vectorised over its argument,
        for a vector ``x0`` it takes points of shape (n,) or (N, n).

    Raises
    ------
    ValueError
        If ``f`` is not callable or ``x0`` is not finite with at most one dimension.

    Examples
    --------
    >>> line = linearise(np.exp, 0.0)
    >>> round(float(line(0.1)), 8)
    1.1
    """
    check_callable(f, "f")
    x0_arr = as_float_array(x0, "x0", ndim=(0, 1))
    if x0_arr.ndim == 0:
        a = float(x0_arr)
        with np.errstate(all="ignore"):  # a non-finite f(x0) is reported by as_result
            fa = float(as_result(f(a), "f", shape=(), what="a number", at=f"x0 = {a:g}"))
        dfa = derivative(f, a)
        return lambda x: _finite_value(lambda: fa + dfa * (_points(x, None) - a))
    with np.errstate(all="ignore"):
        f0 = float(as_result(f(x0_arr), "f", shape=(), what="a number", at="x0"))
    g = gradient(f, x0_arr)
    return lambda x: _finite_value(lambda: (_points(x, x0_arr.size) - x0_arr) @ g + f0)


def _points(x: Any, n: int | None) -> np.ndarray:
    """Check the argument of a returned approximation: finite, and of shape (..., n) for a vector point."""
    arr = as_float_array(x, "x", allow_empty=n is None)
    if n is not None and (arr.ndim == 0 or arr.shape[-1] != n):
        raise ValueError(f"x must have shape ({n},) or (N, {n}), like x0, got shape {arr.shape}")
    return arr


def _finite_value(compute: Callable[[], Any]) -> Any:
    """``compute()``, with a range error instead of infinity when the approximation overflows."""
    with np.errstate(over="ignore", invalid="ignore"):
        value = compute()
    if not np.all(np.isfinite(value)):
        raise ValueError("x is too far from x0: the approximation overflows the float range")
    return value


def taylor2(f: Callable, x0: Any) -> Callable[[Any], float | np.ndarray]:
    r"""The second-order Taylor approximation of a function of several variables.

    .. math::
        f(\mathbf x) \approx f(\mathbf x_0) + \nabla f(\mathbf x_0)^\top \Delta\mathbf x
        + \tfrac12\, \Delta\mathbf x^\top H(\mathbf x_0)\, \Delta\mathbf x,
        \qquad \Delta\mathbf x = \mathbf x - \mathbf x_0 ,

    with the gradient and Hessian from ``gradient`` and ``hessian`` in
    :mod:`mmlbook.calculus.differentiation` (central differences).

    Parameters
    ----------
    f : callable
        ``f(x)`` takes an array of shape (n,) and returns a number.
    x0 : array_like, shape (n,)
        The point of expansion.

    Returns
    -------
    callable
        ``q(x)`` for a point of shape (n,) (returns a float) or a stack of
        points of shape (..., n) (returns an array of shape (...)).

    Raises
    ------
    ValueError
        If ``f`` is not callable or ``x0`` is not a finite 1-D array.

    Examples
    --------
    >>> q = taylor2(lambda v: v[0] ** 2 + v[0] * v[1], [1.0, 1.0])
    >>> round(q([2.0, 3.0]), 6)  # exact for a quadratic
    10.0
    """
    check_callable(f, "f")
    x0 = as_vector(x0, "x0")
    with np.errstate(all="ignore"):
        f0 = float(as_result(f(x0), "f", shape=(), what="a number", at="x0"))
    g = gradient(f, x0)
    H = hessian(f, x0)

    def q(x: Any) -> float | np.ndarray:
        dx = _points(x, x0.size) - x0
        value = _finite_value(lambda: f0 + dx @ g + 0.5 * np.einsum("...i,ij,...j->...", dx, H, dx))
        return float(value) if np.ndim(value) == 0 else value

    return q
