r"""Norms beyond the Euclidean one: the :math:`\ell_p` norms and the distances they measure.

.. math:: \lVert\mathbf x\rVert_p = \Bigl(\sum_{d=1}^D |x_d|^p\Bigr)^{1/p} \quad (1 \le p < \infty),
          \qquad \lVert\mathbf x\rVert_\infty = \max_d |x_d| .
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.spatial.distance import cdist

from mmlbook._checks import checked, homogeneous, vector

__all__ = ["lp_norm"]


def norm_order(p: Any, name: str, args: dict) -> float:
    """The check of a norm's order: a real number ``1 <= p <= inf`` (below 1 the triangle inequality fails)."""
    if isinstance(p, bool) or not isinstance(p, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a number between 1 and inf, got {p!r:.60}")
    try:
        p = float(p)
    except OverflowError:  # an integer beyond the float range: as good as inf, but say so
        raise ValueError(f"{name} must be at most about 1.8e308 (or inf), got an integer of "
                         f"{int(p).bit_length()} bits") from None
    if not p >= 1:  # also NaN
        raise ValueError(f"{name} must be >= 1 (below 1 it is not a norm), got {p}")
    return p


@checked(x=vector, p=norm_order)
@homogeneous(x=1)  # a norm is absolutely homogeneous: ||c x|| = |c| ||x||
def lp_norm(x: Any, p: float = 2) -> float:
    r"""The :math:`\ell_p` norm of a vector.

    .. math:: \lVert\mathbf x\rVert_p = \Bigl(\sum_{d=1}^D |x_d|^p\Bigr)^{1/p}, \qquad
              \lVert\mathbf x\rVert_\infty = \max_d |x_d| .

    Parameters
    ----------
    x : array_like, shape (D,)
    p : float
        The order, ``1 <= p <= inf``: 1 (sum of absolute values), 2
        (Euclidean length), ``numpy.inf`` (largest absolute value).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``x`` is not a finite vector or ``p`` is below 1 or not a number.

    Examples
    --------
    >>> [lp_norm([3.0, -4.0], p) for p in (1, 2, np.inf)]
    [7.0, 5.0, 4.0]
    """
    m = np.max(np.abs(x))                  # the largest |x_d|, which is ||x||_inf
    if p == np.inf or m == 0:
        return float(m)
    return float(m * np.sum((np.abs(x) / m) ** p) ** (1 / p))   # terms <= 1: no overflow for any p


def distances_p(X: np.ndarray, Y: np.ndarray, p: float) -> np.ndarray:
    r"""The :math:`\ell_p` distance between every row of X and every row of Y (checked inputs).

    By scipy's cdist, on X and Y divided by their largest entry so that no power
    :math:`|x_d - y_d|^p` overflows; for p above 30, where small differences to
    the power p would underflow, each pair's differences are divided by their
    largest (the :math:`\ell_\infty` distance), as ``lp_norm`` does.
    """
    if p == 1:
        return cdist(X, Y, "cityblock")
    if p == np.inf:
        return cdist(X, Y, "chebyshev")
    s = max(float(np.max(np.abs(X), initial=0.0)), float(np.max(np.abs(Y), initial=0.0)))
    if s == 0.0:
        return np.zeros((len(X), len(Y)))
    X, Y = X / s, Y / s                                  # every |x_d - y_d| <= 2
    if p <= 30:
        return s * cdist(X, Y, "minkowski", p=p)
    largest = cdist(X, Y, "chebyshev")
    out = np.empty_like(largest)
    for i, x in enumerate(X):
        m = largest[i]
        ratio = np.abs(Y - x) / np.where(m > 0, m, 1.0)[:, None]   # entries <= 1
        out[i] = m * np.sum(ratio**p, axis=1) ** (1 / p)
    return s * out
