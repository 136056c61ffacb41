"""Reflect in a mirror given by any basis, by changing to an orthonormal one."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import scipy.linalg

from mmlbook._checks import Spec, checked, homogeneous, in_range, matrix, square
from mmlbook.exceptions import SingularMatrixError
from mmlbook.linalg.gram_schmidt import gram_schmidt


@checked(basis=square)
def reflection_matrix(basis: Any) -> np.ndarray:
    r"""The matrix that reflects in the mirror spanned by all but the last basis vector.

    The columns :math:`\mathbf b_1, \dots, \mathbf b_n` of ``basis`` need not
    be orthogonal or of unit length. The Gram-Schmidt process turns them
    into an orthonormal basis :math:`E` whose first :math:`n-1` vectors span
    the same mirror and whose last vector :math:`\mathbf e_n` is the mirror's
    unit normal. In that basis the reflection only negates the last
    coordinate, :math:`T_E = \operatorname{diag}(1, \dots, 1, -1)`, so in
    standard coordinates

    .. math:: T = E\, T_E\, E^{-1} = E\, T_E\, E^\top ,

    since :math:`E` is orthogonal and its inverse is its transpose.

    Parameters
    ----------
    basis : array_like, shape (n, n)
        Linearly independent column vectors; the first ``n - 1`` span the
        mirror (a line in 2-D, a plane in 3-D).

    Returns
    -------
    ndarray, shape (n, n)
        The reflection :math:`T`: orthogonal, symmetric, with determinant
        :math:`-1` and :math:`T^2 = I`.

    Raises
    ------
    ValueError
        If ``basis`` is not a finite, non-empty, square matrix.
    SingularMatrixError
        If the columns of ``basis`` are linearly dependent (Gram-Schmidt
        returns a zero column), so they describe no mirror and no normal.

    Examples
    --------
    >>> reflection_matrix([[1.0, 1.0], [0.0, 1.0]]).round(12) + 0.0  # mirror: the x-axis
    array([[ 1.,  0.],
           [ 0., -1.]])
    """
    E = gram_schmidt(basis)
    zero = np.flatnonzero(np.linalg.norm(E, axis=0) == 0)
    if zero.size:
        raise SingularMatrixError(
            f"basis must have linearly independent columns, but column {int(zero[0]) + 1} "
            "depends on the columns before it"
        )
    n = basis.shape[0]
    T_E = np.diag(np.r_[np.ones(n - 1), -1.0])
    return E @ T_E @ E.T  # E.T is the inverse of the orthonormal E


def _check_polygons(polygons: Any, name: str, args: dict) -> list[np.ndarray]:
    """Each polygon as a finite (d, k) array, d the number of columns of ``T``."""
    if isinstance(polygons, np.ndarray) or not isinstance(polygons, Sequence):
        raise ValueError(f"{name} must be a list of (d, k) arrays, got {type(polygons).__name__}")
    d = args["T"].shape[1]
    out = []
    for i, polygon in enumerate(polygons):
        P = matrix(polygon, f"{name}[{i}]", args)
        if P.shape[0] != d:
            raise ValueError(f"{name}[{i}] must have {d} rows (one per coordinate), got shape {P.shape}")
        out.append(P)
    return out


#: The spec of a list of polygons: finite (d, k) arrays, d the number of columns of ``T``.
polygon_list = Spec(_check_polygons)


@checked(T=matrix, polygons=polygon_list)
@in_range("T", "polygons")
def apply_to_polygons(T: Any, polygons: Sequence[Any]) -> list[np.ndarray]:
    r"""Apply the matrix ``T`` to every point of every polygon.

    A polygon is a (d, k) array whose columns are its k corner points, so
    transforming all of them at once is one matrix product,
    :math:`P \mapsto T P`.

    Parameters
    ----------
    T : array_like, shape (m, d)
        The transformation.
    polygons : sequence of array_like, each shape (d, k)
        The polygons, corners as columns.

    Returns
    -------
    list of ndarray, each shape (m, k)
        The transformed polygons, in the same order.

    Raises
    ------
    ValueError
        If ``T`` is not a finite matrix, ``polygons`` is not a sequence, or a
        polygon is not a finite (d, k) array matching ``T``.

    Examples
    --------
    >>> apply_to_polygons([[0.0, -1.0], [1.0, 0.0]], [[[1.0, 0.0], [0.0, 2.0]]])[0]
    array([[ 0., -2.],
           [ 1.,  0.]])
    """
    return [T @ P for P in polygons]


def _circle(centre: tuple[float, float], radius: float, k: int = 24) -> np.ndarray:
    angles = np.linspace(0, 2 * np.pi, k, endpoint=False)
    return np.array([centre[0] + radius * np.cos(angles), centre[1] + radius * np.sin(angles)])


def drawing() -> list[np.ndarray]:
    """A small drawing of a house and a tree, as polygons to transform.

    Returns
    -------
    list of ndarray, each shape (2, k)
        Polygons whose columns are the corner points, in drawing order:
        house wall, roof, door, window, chimney, tree trunk, tree crown and
        sun. Everything lies in the upper right of the plane, roughly in
        :math:`[0, 5] \\times [0, 4]`, so a mirror through the origin sends
        it somewhere clearly different.

    Examples
    --------
    >>> [P.shape for P in drawing()][:3]
    [(2, 4), (2, 3), (2, 4)]
    """
    wall = np.array([[0.5, 2.5, 2.5, 0.5], [0.5, 0.5, 2.0, 2.0]])
    roof = np.array([[0.3, 2.7, 1.5], [2.0, 2.0, 3.0]])
    door = np.array([[1.3, 1.7, 1.7, 1.3], [0.5, 0.5, 1.3, 1.3]])
    window = np.array([[0.75, 1.1, 1.1, 0.75], [1.3, 1.3, 1.65, 1.65]])
    chimney = np.array([[2.0, 2.3, 2.3, 2.0], [2.58, 2.33, 2.9, 2.9]])
    trunk = np.array([[3.5, 3.8, 3.8, 3.5], [0.5, 0.5, 1.5, 1.5]])
    crown = _circle((3.65, 2.1), 0.75)
    sun = _circle((4.5, 3.6), 0.35, k=16)
    return [wall, roof, door, window, chimney, trunk, crown, sun]


@checked(A=matrix)
@homogeneous(A=1, returns=(0, 1))  # Q does not depend on the scale of A, R scales with it
def householder_qr(A: Any) -> tuple[np.ndarray, np.ndarray]:
    r"""The QR factorisation :math:`A = QR` by Householder reflections.

    Column by column, a reflection sends the part of column :math:`j` on and
    below the diagonal, :math:`\mathbf x`, to a multiple of the first axis.
    Its mirror has the unit normal :math:`\mathbf n = \mathbf v / \lVert \mathbf v \rVert`,

    .. math::

        \mathbf v = \mathbf x + \operatorname{sign}(x_1)\,\lVert \mathbf x \rVert\, \hat{\mathbf e}_1,
        \qquad
        H = I - 2\,\mathbf n \mathbf n^\top,
        \qquad
        H\mathbf x = -\operatorname{sign}(x_1)\,\lVert \mathbf x \rVert\, \hat{\mathbf e}_1 ,

    the sign chosen so that no digits cancel in :math:`\mathbf v`. After
    :math:`k` reflections :math:`H_k \cdots H_1 A = R` is upper triangular,
    and :math:`Q = H_1 \cdots H_k` is orthogonal to machine precision,
    because every factor is.

    Parameters
    ----------
    A : array_like, shape (m, n)
        Any finite matrix.

    Returns
    -------
    Q : ndarray, shape (m, k)
        Orthonormal columns, :math:`k = \min(m, n)`.
    R : ndarray, shape (k, n)
        Upper triangular, with :math:`A = QR`. The signs follow LAPACK (and
        so :func:`numpy.linalg.qr`): the diagonal of :math:`R` may be
        negative; flipping the sign of a column of :math:`Q` and the same row
        of :math:`R` gives another valid factorisation.

    Raises
    ------
    ValueError
        If ``A`` is not a non-empty finite 2-D array.

    References
    ----------
    Trefethen and Bau, *Numerical Linear Algebra*, lecture 10.

    Examples
    --------
    >>> Q, R = householder_qr([[3.0, 1.0], [4.0, 2.0]])
    >>> R.round(10)
    array([[-5. , -2.2],
           [ 0. ,  0.4]])
    """
    return _householder_qr(A)


def _householder_qr(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    m, n = A.shape
    R, Q = A.copy(), np.eye(m)
    for j in range(min(m - 1, n)):
        x = R[j:, j]
        v = x.copy()
        v[0] += np.copysign(scipy.linalg.norm(x), x[0])  # x + sign(x1) |x| e1
        if not v.any():
            continue                                     # nothing to clear in this column
        v /= scipy.linalg.norm(v)                        # the mirror's unit normal n
        R[j:] -= 2 * np.outer(v, v @ R[j:])              # R <- H R, on rows j and below
        Q[:, j:] -= 2 * np.outer(Q[:, j:] @ v, v)        # Q <- Q H
        R[j + 1:, j] = 0.0
    k = min(m, n)
    return Q[:, :k], R[:k]
