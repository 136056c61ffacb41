r"""Numerical differentiation: derivatives, gradients, Jacobians and Hessians.

Every function here replaces the limit in the definition of a derivative by a
small but finite step :math:`h` and uses *central* differences, whose
truncation error falls like :math:`h^2` rather than :math:`h`. The default
steps balance that truncation error against the round-off error of floating
point, which grows like :math:`\varepsilon/h` (see the chapter *Measure
change with derivatives*).
"""

from __future__ import annotations

import functools
from typing import Any, Callable

import numpy as np

from mmlbook._checks import array, checked, function, in_range, optional, vector
from mmlbook._validation import FLOAT_MAX

#: Machine epsilon of float64, :math:`2^{-52}`.
EPS = float(np.finfo(float).eps)

#: Relative step for first derivatives by central differences, :math:`\varepsilon^{1/3}`.
FIRST_STEP = EPS ** (1 / 3)

#: Relative step for second derivatives by central differences, :math:`\varepsilon^{1/4}`.
SECOND_STEP = EPS ** (1 / 4)


def _steps(x: np.ndarray, relative: float) -> np.ndarray:
    """Step sizes ``relative * max(1, |x|)``, elementwise, exactly representable.

    Rounding ``x + h`` and subtracting ``x`` again gives the step the
    computer really takes, which removes one source of error.
    """
    h = relative * np.maximum(1.0, np.abs(x))
    return (x + h) - x


def _step(h: Any, name: str, args: dict) -> np.ndarray:
    """The check of a step ``h``: positive, small enough that x ± h and 2h are floats, one or one per point."""
    h = array(h, name, args)
    if np.any(h <= 0) or np.any(h > FLOAT_MAX / 4):
        raise ValueError(f"{name} must be positive and at most {FLOAT_MAX / 4:.3g}, got {h!r}")
    if h.shape not in ((), args["x"].shape):
        raise ValueError(f"{name} must be a number or have the shape of x {args['x'].shape}, got shape {h.shape}")
    return h


@checked(f=function(returns="x"), x=array, h=optional(_step))
def derivative(f: Callable, x: Any, *, h: float | None = None) -> float | np.ndarray:
    r"""The derivative :math:`f'(x)` of a function of one variable, by central differences.

    .. math:: f'(x) \approx \frac{f(x + h) - f(x - h)}{2h}.

    The error of this formula is :math:`\tfrac{h^2}{6} f'''(x)` from
    truncating the Taylor series plus about :math:`\varepsilon |f(x)| / h`
    from rounding, smallest near :math:`h \approx \varepsilon^{1/3}`.

    Parameters
    ----------
    f : callable
        A function of one real variable. If ``x`` is an array, ``f`` must
        work elementwise on arrays (as numpy functions do).
    x : float or array_like
        The point, or an array of points, at which to differentiate.
    h : float or array_like, optional
        The step, one for all points or one per point. By default
        :math:`\varepsilon^{1/3}\max(1, |x|)` for each point, where
        :math:`\varepsilon` is machine epsilon.

    Returns
    -------
    float or ndarray
        :math:`f'(x)`, with the shape of ``x``.

    Raises
    ------
    ValueError
        If ``f`` is not callable, ``x`` holds NaN or infinity, ``h`` is not a
        positive finite number, or ``f`` returns non-finite values or an array
        whose shape differs from ``x``.

    Examples
    --------
    >>> round(derivative(np.sin, 0.0), 8)
    1.0
    >>> derivative(lambda x: x**2, [1.0, 2.0]).round(6).tolist()
    [2.0, 4.0]
    """
    if h is None:
        h = _steps(x, FIRST_STEP)  # ε^(1/3) max(1, |x|)
    result = (f(x + h) - f(x - h)) / (2.0 * h)
    return float(result) if result.ndim == 0 else result


@checked(f=function(returns="number"), x=vector)
def gradient(f: Callable, x: Any) -> np.ndarray:
    r"""The gradient :math:`\nabla f(\mathbf x)` of a scalar function of a vector.

    Each component is a central difference along one coordinate axis,

    .. math::
        \frac{\partial f}{\partial x_i} \approx
        \frac{f(\mathbf x + h_i \mathbf e_i) - f(\mathbf x - h_i \mathbf e_i)}{2 h_i},
        \qquad h_i = \varepsilon^{1/3}\max(1, |x_i|).

    Parameters
    ----------
    f : callable
        ``f(x)`` takes an array of shape (n,) and returns a number.
    x : array_like, shape (n,)
        The point.

    Returns
    -------
    ndarray, shape (n,)
        The gradient (as a row of partial derivatives laid out flat).

    Raises
    ------
    ValueError
        If ``f`` is not callable, ``x`` is not a finite 1-D array, or ``f``
        returns something other than one finite number.

    Examples
    --------
    >>> gradient(lambda v: v[0]**2 + 3 * v[1], [1.0, 5.0]).round(6).tolist()
    [2.0, 3.0]
    """
    h = _steps(x, FIRST_STEP)
    grad = np.empty_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h[i]
        grad[i] = (f(x + e) - f(x - e)) / (2.0 * h[i])
    return grad


def _vectors_in_and_out(jacobian_body: Callable) -> Callable:
    """Let the Jacobian's body see vectors only.

    A plain number ``x`` is a point in one dimension (``f`` is then called
    with numbers), and a number returned by ``f`` is a vector of length one.
    """
    @functools.wraps(jacobian_body)
    def wrapper(f: Callable, x: np.ndarray) -> np.ndarray:
        if x.ndim == 0:
            return jacobian_body(lambda v: np.atleast_1d(f(float(v[0]))), x.reshape(1))
        return jacobian_body(lambda v: np.atleast_1d(f(v)), x)

    return wrapper


@checked(f=function(returns="array", ndim=(0, 1), same_shape=True), x=array(ndim=(0, 1)))
@_vectors_in_and_out
def jacobian(f: Callable, x: Any) -> np.ndarray:
    r"""The Jacobian matrix :math:`J_{ij} = \partial f_i / \partial x_j` of a vector function.

    Column :math:`j` is a central difference along coordinate :math:`j`,

    .. math::
        J_{:, j} \approx
        \frac{\mathbf f(\mathbf x + h_j \mathbf e_j) - \mathbf f(\mathbf x - h_j \mathbf e_j)}{2 h_j},
        \qquad h_j = \varepsilon^{1/3}\max(1, |x_j|).

    Parameters
    ----------
    f : callable
        ``f(x)`` takes an array of shape (n,) and returns an array of shape
        (m,). A function returning one number counts as :math:`m = 1`.
    x : float or array_like, shape (n,)
        The point. A plain number is a point in one dimension: ``f`` is then
        called with numbers and the Jacobian has one column.

    Returns
    -------
    ndarray, shape (m, n)
        The Jacobian: row :math:`i` is the gradient of :math:`f_i`.

    Raises
    ------
    ValueError
        If ``f`` is not callable, ``x`` is not finite or has more than one
        dimension, or ``f`` returns non-finite values or an array of more than
        one dimension (or of a shape that changes from point to point).

    Examples
    --------
    >>> jacobian(lambda v: np.array([v[0] * v[1], v[0] + v[1]]), [2.0, 3.0]).round(6).tolist()
    [[3.0, 2.0], [1.0, 1.0]]
    """
    f0 = f(x)
    h = _steps(x, FIRST_STEP)
    J = np.empty((f0.size, x.size))
    for j in range(x.size):
        e = np.zeros_like(x)
        e[j] = h[j]
        J[:, j] = (f(x + e) - f(x - e)) / (2.0 * h[j])
    return J


@checked(f=function(returns="number"), x=vector)
@in_range(message="f returned values whose second differences are not finite: "
                  "the Hessian at x is beyond the float range")
def hessian(f: Callable, x: Any) -> np.ndarray:
    r"""The Hessian matrix :math:`H_{ij} = \partial^2 f / \partial x_i \partial x_j`.

    Central second differences with steps :math:`h_i = \varepsilon^{1/4}\max(1, |x_i|)`:

    .. math::
        H_{ii} &\approx \frac{f(\mathbf x + h_i\mathbf e_i) - 2 f(\mathbf x)
                 + f(\mathbf x - h_i\mathbf e_i)}{h_i^2}, \\
        H_{ij} &\approx \frac{f(\mathbf x + h_i\mathbf e_i + h_j\mathbf e_j)
                 - f(\mathbf x + h_i\mathbf e_i - h_j\mathbf e_j)
                 - f(\mathbf x - h_i\mathbf e_i + h_j\mathbf e_j)
                 + f(\mathbf x - h_i\mathbf e_i - h_j\mathbf e_j)}{4 h_i h_j}.

    The off-diagonal formula is symmetric in :math:`i` and :math:`j`, and the
    result is exactly symmetric.

    Parameters
    ----------
    f : callable
        ``f(x)`` takes an array of shape (n,) and returns a number.
    x : array_like, shape (n,)
        The point.

    Returns
    -------
    ndarray, shape (n, n)
        The (symmetric) Hessian.

    Raises
    ------
    ValueError
        If ``f`` is not callable, ``x`` is not a finite 1-D array, or ``f``
        returns something other than one finite number.

    Examples
    --------
    >>> hessian(lambda v: v[0]**2 * v[1], [1.0, 2.0]).round(4).tolist()
    [[4.0, 2.0], [2.0, 0.0]]
    """
    n = x.size
    h = _steps(x, SECOND_STEP)
    E = np.diag(h)
    f0 = f(x)
    H = np.empty((n, n))
    for i in range(n):
        H[i, i] = (f(x + E[i]) - 2.0 * f0 + f(x - E[i])) / h[i] ** 2
        for j in range(i + 1, n):
            H[i, j] = H[j, i] = (
                f(x + E[i] + E[j]) - f(x + E[i] - E[j])
                - f(x - E[i] + E[j]) + f(x - E[i] - E[j])
            ) / (4.0 * h[i] * h[j])
    return H


