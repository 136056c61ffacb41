r"""Inner products, and the lengths, distances and angles they define.

An inner product on :math:`\mathbb R^D` can be written with a symmetric
positive definite matrix :math:`A`,

.. math:: \langle \mathbf x, \mathbf y \rangle_A = \mathbf x^\top A \mathbf y ,

and :math:`A = I` gives the dot product. Every function here takes ``A=None``
for the dot product.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mmlbook._validation import as_matrix, as_vector
from mmlbook._validation import extreme_scale
from mmlbook._validation import pow2_scale, unscale

__all__ = ["angle", "distance", "inner_product", "is_positive_definite", "length"]


def is_positive_definite(A: Any) -> bool:
    r"""Whether ``A`` is symmetric positive definite, so that :math:`\mathbf x^\top A \mathbf y` is an inner product.

    :math:`A` is symmetric positive definite when :math:`A = A^\top` and
    :math:`\mathbf x^\top A \mathbf x > 0` for every :math:`\mathbf x \ne \mathbf 0`,
    equivalently when it is symmetric and all its eigenvalues are positive.

    Parameters
    ----------
    A : array_like, shape (D, D)

    Returns
    -------
    bool
        ``True`` if ``A`` is symmetric (to rounding) and its smallest
        eigenvalue exceeds :math:`D\,\varepsilon \max_i |\lambda_i|`, with
        :math:`\varepsilon` the machine epsilon; ``False`` otherwise.

    Raises
    ------
    ValueError
        If ``A`` is not a finite square matrix.

    Examples
    --------
    >>> is_positive_definite([[2.0, 1.0], [1.0, 2.0]]), is_positive_definite([[1.0, 2.0], [2.0, 1.0]])
    (True, False)
    """
    A = as_matrix(A, "A", square=True)
    A = A / extreme_scale(A)  # definiteness does not depend on the scale
    scale = float(np.abs(A).max())
    if scale == 0.0 or not np.allclose(A, A.T, rtol=1e-10, atol=1e-12 * scale):
        return False                                      # zero or not symmetric
    lam = np.linalg.eigvalsh((A + A.T) / 2)               # ascending eigenvalues
    return bool(lam[0] > A.shape[0] * np.finfo(float).eps * np.abs(lam).max())


def _check_A(A: Any, D: int) -> np.ndarray | None:
    if A is None:
        return None
    A = as_matrix(A, "A", square=True)
    if A.shape[0] != D:
        raise ValueError(f"A must have shape ({D}, {D}) to match the vectors, got {A.shape}")
    if not is_positive_definite(A):
        raise ValueError("A must be symmetric positive definite to define an inner product")
    return A


def _vectors(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    x = as_vector(x, "x")
    y = as_vector(y, "y", size=x.shape[0])
    return x, y


def _inner(x: np.ndarray, y: np.ndarray, A: np.ndarray | None) -> float:
    return float(x @ y) if A is None else float(x @ A @ y)


def inner_product(x: Any, y: Any, A: Any = None) -> float:
    r"""Inner product :math:`\langle \mathbf x, \mathbf y \rangle_A = \mathbf x^\top A \mathbf y`.

    Parameters
    ----------
    x, y : array_like, shape (D,)
        Two vectors of the same length.
    A : array_like, shape (D, D), optional
        Symmetric positive definite matrix; ``None`` (the default) is the
        identity, giving the dot product :math:`\mathbf x^\top \mathbf y`.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``x`` or ``y`` is not a finite vector, their lengths differ, or
        ``A`` is not a finite, symmetric positive definite ``(D, D)`` matrix.

    Examples
    --------
    >>> inner_product([1.0, 2.0], [3.0, 4.0])
    11.0
    >>> inner_product([1.0, 0.0], [0.0, 1.0], A=[[2.0, 1.0], [1.0, 2.0]])
    1.0
    """
    x, y = _vectors(x, y)
    A = _check_A(A, x.shape[0])                           # symmetric positive definite?
    x_scale, y_scale = pow2_scale(x), pow2_scale(y)       # work near 1: the product cannot overflow
    x, y = x / x_scale, y / y_scale
    if A is None:
        value = float(x @ y)                              # the dot product
    else:
        value = float(x @ A @ y)
    return unscale(unscale(value, x_scale, "x, y, A"), y_scale, "x, y, A")


def length(x: Any, A: Any = None) -> float:
    r"""Length (norm) induced by the inner product: :math:`\lVert\mathbf x\rVert_A = \sqrt{\mathbf x^\top A \mathbf x}`.

    Parameters
    ----------
    x : array_like, shape (D,)
    A : array_like, shape (D, D), optional
        Symmetric positive definite matrix; ``None`` for the Euclidean length.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``x`` is not a finite vector or ``A`` is not a finite, symmetric
        positive definite ``(D, D)`` matrix.

    Examples
    --------
    >>> length([3.0, 4.0])
    5.0
    """
    x = as_vector(x, "x")
    A = _check_A(A, x.shape[0])
    scale = pow2_scale(x)  # the length scales with x: work near 1
    x = x / scale
    return unscale(float(np.sqrt(max(_inner(x, x, A), 0.0))), scale, "x")


def distance(x: Any, y: Any, A: Any = None) -> float:
    r"""Distance induced by the inner product: :math:`d_A(\mathbf x, \mathbf y) = \lVert \mathbf x - \mathbf y \rVert_A`.

    Parameters
    ----------
    x, y : array_like, shape (D,)
    A : array_like, shape (D, D), optional
        Symmetric positive definite matrix; ``None`` for the Euclidean distance.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        As for :func:`inner_product`.

    Examples
    --------
    >>> distance([1.0, 1.0], [4.0, 5.0])
    5.0
    """
    x, y = _vectors(x, y)
    A = _check_A(A, x.shape[0])
    scale = max(pow2_scale(x), pow2_scale(y))  # the distance scales with x and y: work near 1
    d = x / scale - y / scale
    return unscale(float(np.sqrt(max(_inner(d, d, A), 0.0))), scale, "x and y")


def angle(x: Any, y: Any, A: Any = None) -> float:
    r"""Angle between two vectors under the inner product, in radians.

    .. math:: \cos\omega = \frac{\langle \mathbf x, \mathbf y \rangle_A}
              {\lVert \mathbf x \rVert_A \, \lVert \mathbf y \rVert_A},
              \qquad 0 \le \omega \le \pi .

    Numerically, ``arccos`` of the cosine loses accuracy for nearly parallel
    vectors (an angle of :math:`10^{-8}` has cosine :math:`1` in floating
    point), so the angle is computed from the unit vectors
    :math:`\mathbf u = \mathbf x / \lVert\mathbf x\rVert_A`,
    :math:`\mathbf v = \mathbf y / \lVert\mathbf y\rVert_A` as
    :math:`\omega = 2 \arctan\bigl(\lVert\mathbf u - \mathbf v\rVert_A /
    \lVert\mathbf u + \mathbf v\rVert_A\bigr)`, which is the same angle
    (the diagonals of the rhombus spanned by :math:`\mathbf u` and
    :math:`\mathbf v` meet at right angles) and accurate everywhere.

    Parameters
    ----------
    x, y : array_like, shape (D,)
        Non-zero vectors.
    A : array_like, shape (D, D), optional
        Symmetric positive definite matrix; ``None`` for the dot product.

    Returns
    -------
    float
        The angle :math:`\omega` in :math:`[0, \pi]`.

    Raises
    ------
    ValueError
        As for :func:`inner_product`, and if ``x`` or ``y`` is the zero vector
        (its angle to anything is undefined).

    Examples
    --------
    >>> round(angle([1.0, 0.0], [1.0, 1.0]), 6) == round(np.pi / 4, 6)
    True
    """
    x, y = _vectors(x, y)
    A = _check_A(A, x.shape[0])
    x, y = x / pow2_scale(x), y / pow2_scale(y)  # the angle does not depend on the lengths
    A = None if A is None else A / pow2_scale(A)  # nor on the scale of A
    nx = np.sqrt(max(_inner(x, x, A), 0.0))
    ny = np.sqrt(max(_inner(y, y, A), 0.0))
    if nx == 0.0:
        raise ValueError("x must not be the zero vector: its angle is undefined")
    if ny == 0.0:
        raise ValueError("y must not be the zero vector: its angle is undefined")
    u, v = x / nx, y / ny
    du, sv = u - v, u + v
    return float(2.0 * np.arctan2(np.sqrt(max(_inner(du, du, A), 0.0)),
                                  np.sqrt(max(_inner(sv, sv, A), 0.0))))
