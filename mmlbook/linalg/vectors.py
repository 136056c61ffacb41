"""Vectors: modulus, dot-product projections, angles, changing basis and
linear independence."""

from __future__ import annotations

from typing import Any

import numpy as np

from mmlbook._checks import checked, homogeneous, in_range, matrix, nonzero, number, square, vector
from mmlbook.exceptions import SingularMatrixError
from mmlbook.linalg.elimination import PIVOT_TOL, rank, solve


@checked(r=vector)
@homogeneous(r=1)  # |c r| = |c| |r|: computed on r / 2^k, the result scaled back
def modulus(r: Any) -> float:
    r"""The modulus (length) of a vector.

    .. math:: |\mathbf r| = \sqrt{\mathbf r \cdot \mathbf r} = \sqrt{\textstyle\sum_i r_i^2}.

    Parameters
    ----------
    r : array_like, shape (n,)

    Returns
    -------
    float
        :math:`|\mathbf r|`.

    Raises
    ------
    ValueError
        If ``r`` is not a non-empty finite 1-D array.

    Examples
    --------
    >>> modulus([3.0, 4.0])
    5.0
    """
    return float(np.sqrt(r @ r))


@checked(r=nonzero(vector), s=vector(size="r"))
@homogeneous(r=0, s=1)  # linear in s, independent of the length of r
def scalar_projection(r: Any, s: Any) -> float:
    r"""The scalar projection of ``s`` onto ``r``: how far ``s`` goes along ``r``.

    .. math:: \frac{\mathbf r \cdot \mathbf s}{|\mathbf r|} = |\mathbf s| \cos\theta.

    Parameters
    ----------
    r : array_like, shape (n,)
        The direction projected onto; must not be zero.
    s : array_like, shape (n,)
        The vector being projected.

    Returns
    -------
    float
        The signed length of the shadow of ``s`` on the line of ``r``.

    Raises
    ------
    ValueError
        If either is not a finite 1-D array, their lengths differ, or ``r``
        is the zero vector.

    Examples
    --------
    >>> scalar_projection([2.0, 0.0], [3.0, 4.0])
    3.0
    """
    return float(r @ s / np.sqrt(r @ r))


@checked(r=nonzero(vector), s=vector(size="r"))
@homogeneous(r=0, s=1)  # linear in s, independent of the length of r
def vector_projection(r: Any, s: Any) -> np.ndarray:
    r"""The vector projection of ``s`` onto ``r``.

    .. math:: \frac{\mathbf r \cdot \mathbf s}{\mathbf r \cdot \mathbf r}\, \mathbf r.

    Parameters
    ----------
    r : array_like, shape (n,)
        The direction projected onto; must not be zero.
    s : array_like, shape (n,)
        The vector being projected.

    Returns
    -------
    ndarray, shape (n,)
        The vector along ``r`` whose length is the scalar projection.

    Raises
    ------
    ValueError
        If either is not a finite 1-D array, their lengths differ, or ``r``
        is the zero vector.

    Examples
    --------
    >>> vector_projection([2.0, 0.0], [3.0, 4.0])
    array([3., 0.])
    """
    return r * (r @ s) / (r @ r)


@checked(r=nonzero(vector), s=nonzero(vector(size="r")))
@homogeneous(r=0, s=0)  # the angle does not depend on the lengths
def angle_between(r: Any, s: Any) -> float:
    r"""The angle between two vectors, in radians, from the cosine rule.

    .. math:: \cos\theta = \frac{\mathbf r \cdot \mathbf s}{|\mathbf r|\,|\mathbf s|},
        \qquad 0 \le \theta \le \pi.

    Parameters
    ----------
    r, s : array_like, shape (n,)
        Non-zero vectors of the same length.

    Returns
    -------
    float
        :math:`\theta` in :math:`[0, \pi]`.

    Raises
    ------
    ValueError
        If either is not a finite 1-D array, their lengths differ, or either
        is the zero vector.

    Examples
    --------
    >>> round(angle_between([1.0, 0.0], [0.0, 2.0]), 6)
    1.570796
    """
    cos = (r @ s) / (np.sqrt(r @ r) * np.sqrt(s @ s))
    return float(np.arccos(np.clip(cos, -1.0, 1.0)))


@checked(basis=matrix, tol=number(low=0))
@homogeneous(basis=0, by_column=True, returns=0)  # orthogonality does not depend on the columns' lengths
def is_orthogonal_basis(basis: Any, *, tol: float = 1e-10) -> bool:
    r"""Whether the columns of ``basis`` are non-zero and mutually orthogonal.

    .. math:: \mathbf b_i \cdot \mathbf b_j = 0 \quad (i \ne j),

    tested as :math:`|\mathbf b_i \cdot \mathbf b_j| \le \mathrm{tol}\,|\mathbf b_i|\,|\mathbf b_j|`.

    Parameters
    ----------
    basis : array_like, shape (n, m)
        The vectors as columns.
    tol : float, keyword-only
        Tolerance on the cosine of the angle between two columns.

    Returns
    -------
    bool

    Raises
    ------
    ValueError
        If ``basis`` is not a non-empty finite 2-D array, or ``tol`` is negative.

    Examples
    --------
    >>> is_orthogonal_basis([[1.0, 1.0], [1.0, -1.0]])
    True
    """
    G = basis.T @ basis  # all the dot products b_i . b_j
    lengths = np.sqrt(np.diag(G))
    if np.any(lengths == 0):
        return False
    cosines = (G - np.diag(np.diag(G))) / np.outer(lengths, lengths)
    return bool(np.all(np.abs(cosines) <= tol))


@checked(basis=square, v=vector(size="basis"))
@in_range("v", "basis")
@homogeneous(basis=-1, by_column=True)  # c_i scales like 1 / b_i, column by column
def change_basis(v: Any, basis: Any) -> np.ndarray:
    r"""The coordinates of ``v`` in the basis whose vectors are the columns of ``basis``.

    We want the numbers :math:`c_i` with :math:`\mathbf v = \sum_i c_i \mathbf b_i`.
    When the basis vectors are orthogonal, dotting both sides with
    :math:`\mathbf b_i` picks out one coefficient, so each is a projection,

    .. math:: c_i = \frac{\mathbf v \cdot \mathbf b_i}{|\mathbf b_i|^2}.

    Otherwise the coefficients solve the linear system :math:`B\mathbf c = \mathbf v`,
    which is solved by Gaussian elimination (:func:`mmlbook.linalg.solve`).

    Parameters
    ----------
    v : array_like, shape (n,)
        The vector, in standard coordinates.
    basis : array_like, shape (n, n)
        The new basis vectors :math:`\mathbf b_1, \dots, \mathbf b_n` as columns.

    Returns
    -------
    ndarray, shape (n,)
        The coordinates :math:`\mathbf c` of ``v`` in the new basis.

    Raises
    ------
    ValueError
        If ``v`` or ``basis`` is not finite, ``basis`` is not square (``m``
        vectors cannot be a basis of an ``n``-dimensional space unless
        ``m == n``) or ``v`` does not have ``n`` entries.
    SingularMatrixError
        If the columns of ``basis`` are linearly dependent (including a zero
        column), so they are not a basis.

    Examples
    --------
    >>> change_basis([3.0, 1.0], [[1.0, 1.0], [1.0, -1.0]])
    array([2., 1.])
    """
    if is_orthogonal_basis(basis):
        return v @ basis / np.sum(basis * basis, axis=0)  # c_i = v . b_i / |b_i|^2
    try:
        return solve(basis, v)
    except SingularMatrixError:
        raise SingularMatrixError("basis is not a basis: its columns are linearly dependent "
                                  "(one is a combination of the others)") from None


@checked(vectors=matrix, tol=number(low=0))
def is_linearly_independent(vectors: Any, *, tol: float = PIVOT_TOL) -> bool:
    r"""Whether the columns of ``vectors`` are linearly independent.

    The columns are independent when no one of them is a combination of the
    others, that is when :math:`\sum_i c_i \mathbf b_i = \mathbf 0` only for
    :math:`c_i = 0`. Gaussian elimination finds a pivot in every column
    exactly then, so the test is :math:`\operatorname{rank} B = m`.

    Parameters
    ----------
    vectors : array_like, shape (n, m)
        The ``m`` vectors as columns.
    tol : float, keyword-only
        Pivot tolerance, relative to the largest entry (see
        :func:`mmlbook.linalg.row_echelon`).

    Returns
    -------
    bool

    Raises
    ------
    ValueError
        If ``vectors`` is not a non-empty finite 2-D array.

    Examples
    --------
    >>> is_linearly_independent([[1.0, 2.0], [2.0, 4.0]])
    False
    """
    return rank(vectors, tol=tol) == vectors.shape[1]
