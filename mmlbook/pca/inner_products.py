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

from mmlbook._checks import checked, homogeneous, nonzero, square, vector

__all__ = ["angle", "distance", "inner_product", "is_positive_definite", "length"]


@checked(A=square)
@homogeneous(A=0, returns=0)  # definiteness does not depend on the scale of A
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
    if not np.any(A) or not np.allclose(A, A.T, rtol=1e-10, atol=1e-12 * np.abs(A).max()):
        return False                                      # zero or not symmetric
    lam = np.linalg.eigvalsh((A + A.T) / 2)               # ascending eigenvalues
    return bool(lam[0] > A.shape[0] * np.finfo(float).eps * np.abs(lam).max())


def gram_matrix(A: Any, name: str, args: dict) -> np.ndarray | None:
    """The check of ``A``: ``None`` (the dot product) or a symmetric positive definite D × D matrix."""
    if A is None:
        return None
    A = square(A, name, args)
    D = args["x"].shape[0]
    if A.shape[0] != D:
        raise ValueError(f"{name} must have shape ({D}, {D}) to match the vectors, got {A.shape}")
    if not is_positive_definite(A):
        raise ValueError(f"{name} must be symmetric positive definite to define an inner product")
    return A


def _inner(x: np.ndarray, y: np.ndarray, A: np.ndarray | None) -> float:
    return float(x @ y) if A is None else float(x @ A @ y)


@checked(x=vector, y=vector(size="x"), A=gram_matrix)
@homogeneous(x=1, y=1, A=1)
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
    if A is None:
        return float(x @ y)  # the dot product
    return float(x @ A @ y)


@checked(x=vector, A=gram_matrix)
@homogeneous(x=1, A=0.5)  # the length of c x is |c| times the length of x
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
    return float(np.sqrt(max(_inner(x, x, A), 0.0)))  # max: a rounding error must not make it negative


@checked(x=vector, y=vector(size="x"), A=gram_matrix)
@homogeneous(x=1, y=1, A=0.5, jointly=("x", "y"))
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
    d = x - y
    return float(np.sqrt(max(_inner(d, d, A), 0.0)))


@checked(x=nonzero(vector), y=nonzero(vector(size="x")), A=gram_matrix)
@homogeneous(x=0, y=0, A=0, returns=0)  # the angle does not depend on the lengths
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
    u, v = x / length(x, A), y / length(y, A)
    return float(2.0 * np.arctan2(length(u - v, A), length(u + v, A)))
