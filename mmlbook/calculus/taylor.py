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

import scipy.special

from mmlbook._checks import array, checked, choice, function, in_range, integer, number, vector
from mmlbook.calculus.differentiation import derivative, gradient, hessian

#: Radius of convergence of the Maclaurin series that :func:`maclaurin_series` knows.
RADIUS = {"exp": math.inf, "sin": math.inf, "cos": math.inf, "log1p": 1.0, "geometric": 1.0}


def _over_factorial(d: np.ndarray) -> np.ndarray:
    """``d[k] / k!`` for k = 0, 1, ..., exact while k! is a float (k <= 170), by logarithms beyond."""
    k = np.arange(d.size)
    out = d / np.array([float(math.factorial(i)) for i in range(min(d.size, 171))] + [np.inf] * (d.size - 171))
    big = k > 170
    if np.any(big):
        with np.errstate(divide="ignore", under="ignore"):  # log 0 = -inf gives 0; tiny results are 0
            out[big] = np.sign(d[big]) * np.exp(np.log(np.abs(d[big])) - scipy.special.gammaln(k[big] + 1))
    return out


def _points_near(x0: np.ndarray) -> Callable:
    """The check of the points ``x`` at which an approximation around ``x0`` is evaluated."""
    def check(x: Any, name: str, args: dict) -> np.ndarray:
        arr = array(x, name, args, allow_empty=x0.ndim == 0)
        n = x0.size
        if x0.ndim and (arr.ndim == 0 or arr.shape[-1] != n):
            raise ValueError(f"{name} must have shape ({n},) or (N, {n}), like x0, got shape {arr.shape}")
        return arr
    return check


@checked(derivs_at_a=vector)
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
    return _over_factorial(derivs_at_a)  # c_k = f^(k)(a) / k!


@checked(coeffs=vector, a=number, x=array)
@in_range(message="x is too far from a: the series overflows the float range")
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
    t = x - a
    value = np.zeros_like(t)
    for c_k in coeffs[::-1]:  # Horner: c_0 + t (c_1 + t (c_2 + ...))
        value = value * t + c_k
    return float(value) if value.ndim == 0 else value


@checked(derivs_at_a=vector, a=number)
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

    def p(x: Any) -> float | np.ndarray:
        return taylor_approx(c, a, x)

    return p


@checked(name=choice(*RADIUS), order=integer(low=0))
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
    k = np.arange(order + 1)
    if name == "exp":
        return _over_factorial(np.ones(order + 1))
    if name == "sin":
        return _over_factorial(np.where(k % 2 == 1, (-1.0) ** ((k - 1) // 2), 0.0))
    if name == "cos":
        return _over_factorial(np.where(k % 2 == 0, (-1.0) ** (k // 2), 0.0))
    if name == "log1p":
        c = np.zeros(order + 1)
        c[1:] = (-1.0) ** (k[1:] + 1) / k[1:]
        return c
    return np.ones(order + 1)


@checked(f=function(returns="number"), x0=array(ndim=(0, 1)))
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
    f0 = f(x0)
    slope = derivative(f, x0) if x0.ndim == 0 else gradient(f, x0)

    @checked(x=_points_near(x0))
    @in_range(message="x is too far from x0: the approximation overflows the float range")
    def tangent(x: Any) -> float | np.ndarray:
        return f0 + slope * (x - x0) if x0.ndim == 0 else f0 + (x - x0) @ slope

    return tangent


@checked(f=function(returns="number"), x0=vector)
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
    f0, g, H = f(x0), gradient(f, x0), hessian(f, x0)

    @checked(x=_points_near(x0))
    @in_range(message="x is too far from x0: the approximation overflows the float range")
    def q(x: Any) -> float | np.ndarray:
        dx = x - x0
        value = f0 + dx @ g + 0.5 * np.einsum("...i,ij,...j->...", dx, H, dx)
        return float(value) if np.ndim(value) == 0 else value

    return q
