r"""Numerical differentiation: derivatives, gradients, Jacobians and Hessians.

Every function here replaces the limit in the definition of a derivative by a
small but finite step :math:`h` and uses *central* differences, whose
truncation error falls like :math:`h^2` rather than :math:`h`. The default
steps balance that truncation error against the round-off error of floating
point, which grows like :math:`\varepsilon/h` (see the chapter *Measure
change with derivatives*).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from mmlbook._validation import FLOAT_MAX, as_float_array, check_callable
from mmlbook._validation import as_result

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


def _call(f: Callable, x: Any, *, shape: tuple[int, ...] | None, what: str) -> np.ndarray:
    """Call ``f(x)`` and check it returned finite numbers of the expected shape."""
    with np.errstate(all="ignore"):  # a non-finite value is reported below, not warned about
        value = as_result(f(x), "f", finite=False)
    if shape is not None and value.shape != shape:
        raise ValueError(f"f must return {what}, got shape {value.shape} at x={x!r}")
    if not np.all(np.isfinite(value)):
        raise ValueError(f"f must return finite values, got {value!r} at x={x!r}")
    return value


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
    check_callable(f, "f")
    x_arr = as_float_array(x, "x")
    if h is None:
        step = _steps(x_arr, FIRST_STEP)
    else:
        step = as_float_array(h, "h")
        if np.any(step <= 0) or np.any(step > FLOAT_MAX / 4):  # x +- h and 2 h must be floats
            raise ValueError(f"h must be positive and at most {FLOAT_MAX / 4:.3g}, got {h!r}")
        if step.shape not in ((), x_arr.shape):
            raise ValueError(f"h must be a number or have the shape of x {x_arr.shape}, got shape {step.shape}")
    forward = _call(f, x_arr + step, shape=x_arr.shape, what=f"values of the same shape as x {x_arr.shape}")
    backward = _call(f, x_arr - step, shape=x_arr.shape, what=f"values of the same shape as x {x_arr.shape}")
    result = (forward - backward) / (2.0 * step)
    return float(result) if result.ndim == 0 else result


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
    check_callable(f, "f")
    x = as_float_array(x, "x", ndim=1)
    h = _steps(x, FIRST_STEP)
    grad = np.empty_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h[i]
        forward = _call(f, x + e, shape=(), what="a single number")
        backward = _call(f, x - e, shape=(), what="a single number")
        grad[i] = (forward - backward) / (2.0 * h[i])
    return grad


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
    check_callable(f, "f")
    x = as_float_array(x, "x", ndim=(0, 1))
    if x.ndim == 0:
        def g(v: np.ndarray) -> Any:
            return f(float(v[0]))

        return jacobian(g, x.reshape(1))
    f0 = _call(f, x.copy(), shape=None, what="")
    if f0.ndim > 1:
        raise ValueError(f"f must return a number or a 1-D array, got shape {f0.shape}")
    m = max(f0.size, 1)
    out_shape = f0.shape
    h = _steps(x, FIRST_STEP)
    J = np.empty((m, x.size))
    for j in range(x.size):
        e = np.zeros_like(x)
        e[j] = h[j]
        what = f"an array of shape {out_shape}, as it did at the first point"
        forward = _call(f, x + e, shape=out_shape, what=what)
        backward = _call(f, x - e, shape=out_shape, what=what)
        J[:, j] = ((forward - backward) / (2.0 * h[j])).reshape(m)
    return J


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
    check_callable(f, "f")
    x = as_float_array(x, "x", ndim=1)
    n = x.size
    h = _steps(x, SECOND_STEP)
    E = np.diag(h)

    def value(v: np.ndarray) -> float:
        return float(_call(f, v, shape=(), what="a single number"))

    f0 = value(x.copy())
    H = np.empty((n, n))
    for i in range(n):
        H[i, i] = (value(x + E[i]) - 2.0 * f0 + value(x - E[i])) / h[i] ** 2
        for j in range(i + 1, n):
            H[i, j] = H[j, i] = (
                value(x + E[i] + E[j]) - value(x + E[i] - E[j])
                - value(x - E[i] + E[j]) + value(x - E[i] - E[j])
            ) / (4.0 * h[i] * h[j])
    _check_hessian(H)
    return H


def _check_hessian(H: np.ndarray) -> None:
    """A Hessian with NaN or infinity: f's second differences overflowed (or f is not finite nearby)."""
    if not np.all(np.isfinite(H)):
        raise ValueError("f returned values whose second differences are not finite: "
                         "the Hessian at x is beyond the float range")
