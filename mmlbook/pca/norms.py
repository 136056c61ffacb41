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
    r"""The :math:`\ell_p` distance between every row of X and every row of Y (checked inputs), by scipy's cdist."""
    if p == 1:
        return cdist(X, Y, "cityblock")
    if p == np.inf:
        return cdist(X, Y, "chebyshev")
    return cdist(X, Y, "minkowski", p=p)
