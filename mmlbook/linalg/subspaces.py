"""The structure of :math:`A\\mathbf x = \\mathbf b`: reduced row echelon form,
null space, column space and the full set of solutions."""

from __future__ import annotations

from typing import Any

import numpy as np

from mmlbook._result import Result
from mmlbook._checks import checked, homogeneous, matrix, number, vector

RREF_TOL = 1e-10


def _gauss_jordan(A: np.ndarray, tol: float) -> tuple[np.ndarray, list[int]]:
    """Reduced row echelon form of a float matrix, and its pivot columns."""
    R = A.copy()
    m, n = R.shape
    small = tol * float(np.abs(R).max(initial=0.0))
    pivots, row = [], 0
    for col in range(n):
        if row == m:
            break
        best = row + int(np.argmax(np.abs(R[row:, col])))  # partial pivoting
        if abs(R[best, col]) <= small:
            R[row:, col] = 0.0                              # no pivot: a free column
            continue
        R[[row, best]] = R[[best, row]]
        R[row] /= R[row, col]                               # make the pivot 1
        for i in range(m):                                  # clear the column above and below
            if i != row:
                R[i] -= R[i, col] * R[row]
        R[np.abs(R) <= small] = 0.0
        pivots.append(col)
        row += 1
    return R, pivots


@checked(A=matrix, tol=number(low=0))
@homogeneous(A=0, returns=0)  # R does not depend on the scale of A
def rref(A: Any, *, tol: float = RREF_TOL) -> tuple[np.ndarray, list[int]]:
    r"""Reduced row echelon form of ``A`` and the indices of its pivot columns.

    Gauss-Jordan elimination with partial pivoting: for each column, swap the
    row with the largest entry into place, divide it by that pivot, and
    subtract multiples of it from *every* other row, above and below. The
    result :math:`R` has a leading 1 in each non-zero row, zeros everywhere
    else in a pivot column, and the same null space as :math:`A`,

    .. math:: A\mathbf x = \mathbf 0 \iff R\mathbf x = \mathbf 0 .

    Parameters
    ----------
    A : array_like, shape (m, n)
        Any finite matrix.
    tol : float, keyword-only
        An entry at most ``tol`` times the largest entry of ``A`` counts as zero.

    Returns
    -------
    R : ndarray, shape (m, n)
        The reduced row echelon form.
    pivots : list of int
        The pivot columns; their number is the rank of ``A``.

    Raises
    ------
    ValueError
        If ``A`` is not a non-empty finite 2-D array, or ``tol`` is negative.

    References
    ----------
    Strang, *Introduction to Linear Algebra*, 5th ed., section 3.2.

    Examples
    --------
    >>> R, pivots = rref([[1.0, 2.0, 1.0], [2.0, 4.0, 0.0]])
    >>> R, pivots
    (array([[1., 2., 0.],
           [0., 0., 1.]]), [0, 2])
    """
    return _gauss_jordan(A, tol)


def _special_solutions(R: np.ndarray, pivots: list[int]) -> np.ndarray:
    """One null-space vector per free column: that free variable 1, the other free ones 0."""
    n = R.shape[1]
    free = [j for j in range(n) if j not in pivots]
    N = np.zeros((n, len(free)))
    for k, f in enumerate(free):
        N[f, k] = 1.0
        N[pivots, k] = -R[: len(pivots), f] + 0.0   # each pivot variable balances the free one (+0.0 drops -0.0)
    return N


@checked(A=matrix, tol=number(low=0))
@homogeneous(A=0, returns=0)  # the null space does not depend on the scale of A
def null_space(A: Any, *, tol: float = RREF_TOL) -> np.ndarray:
    r"""A basis of the null space :math:`\{\mathbf x : A\mathbf x = \mathbf 0\}`, as columns.

    From the reduced row echelon form :math:`R` of :math:`A`: each free
    column :math:`f` gives one *special solution*, with :math:`x_f = 1`, the
    other free variables 0, and each pivot variable :math:`x_{p_i} = -r_{if}`.
    There are :math:`n - r` of them (rank-nullity). They are not orthonormal,
    unlike the basis :func:`scipy.linalg.null_space` returns from the SVD, but
    they span the same space.

    Parameters
    ----------
    A : array_like, shape (m, n)
        Any finite matrix.
    tol : float, keyword-only
        Zero tolerance, as in :func:`rref`.

    Returns
    -------
    ndarray, shape (n, n - r)
        The special solutions as columns (no columns when :math:`r = n`).

    Raises
    ------
    ValueError
        If ``A`` is not a non-empty finite 2-D array, or ``tol`` is negative.

    Examples
    --------
    >>> null_space([[1.0, 2.0], [2.0, 4.0]])
    array([[-2.],
           [ 1.]])
    """
    R, pivots = _gauss_jordan(A, tol)
    return _special_solutions(R, pivots)


@checked(A=matrix, tol=number(low=0))
@homogeneous(A=1)  # the pivot columns of c A are c times those of A
def column_space(A: Any, *, tol: float = RREF_TOL) -> np.ndarray:
    r"""A basis of the column space of ``A``: its pivot columns.

    The columns of :math:`A` in the pivot positions of its reduced row
    echelon form are linearly independent, and every other column is a
    combination of them (the coefficients are the entries of :math:`R` in
    that column), so they are a basis of :math:`\{A\mathbf x\}`.

    Parameters
    ----------
    A : array_like, shape (m, n)
        Any finite matrix.
    tol : float, keyword-only
        Zero tolerance, as in :func:`rref`.

    Returns
    -------
    ndarray, shape (m, r)
        The pivot columns of ``A`` (the original columns, not those of ``R``).

    Raises
    ------
    ValueError
        If ``A`` is not a non-empty finite 2-D array, or ``tol`` is negative.

    Examples
    --------
    >>> column_space([[1.0, 2.0, 1.0], [2.0, 4.0, 0.0]])
    array([[1., 1.],
           [2., 0.]])
    """
    _, pivots = _gauss_jordan(A, tol)
    return A[:, pivots]


@checked(A=matrix, b=vector(size="A"), tol=number(low=0))
@homogeneous(A=-1, b=1, returns={"x": 1}, normalise=True, underflow=True)  # x_p scales like b / A
def solution_set(A: Any, b: Any, *, tol: float = RREF_TOL) -> Result:
    r"""All solutions of :math:`A\mathbf x = \mathbf b`: :math:`\mathbf x_p + N\mathbf t`.

    Row reduce the augmented matrix :math:`[A \mid \mathbf b]`. If its last
    column holds a pivot, some row reads :math:`0 = 1` and there is no
    solution: :math:`\mathbf b` is not in the column space of :math:`A`.
    Otherwise the particular solution :math:`\mathbf x_p` sets the free
    variables to 0 and reads the pivot variables off the last column, and
    every solution is

    .. math:: \mathbf x = \mathbf x_p + N\mathbf t, \qquad \mathbf t \in \mathbb R^{n-r},

    with the columns of :math:`N` the null-space basis of :func:`null_space`.

    Parameters
    ----------
    A : array_like, shape (m, n)
        Any finite matrix.
    b : array_like, shape (m,)
        The right-hand side.
    tol : float, keyword-only
        Zero tolerance, as in :func:`rref`, relative to the largest entry of
        :math:`[A \mid \mathbf b]` once :math:`A` and :math:`\mathbf b` are
        each scaled by a power of two to largest entries near 1
        (``normalise=True``), so that the test does not depend on their units.

    Returns
    -------
    Result
        ``consistent`` (bool), ``x`` (the particular solution
        :math:`\mathbf x_p`, or ``None`` when there is none), ``null_space``
        (:math:`N`, shape (n, n - r)) and ``rank`` (:math:`r`).

    Raises
    ------
    ValueError
        If ``A`` is not a non-empty finite 2-D array, ``b`` is not a finite
        vector of length m, or ``tol`` is negative.

    Examples
    --------
    >>> s = solution_set([[1.0, 2.0], [2.0, 4.0]], [3.0, 6.0])
    >>> s.consistent, s.x, s.null_space.ravel()
    (True, array([3., 0.]), array([-2.,  1.]))
    """
    n = A.shape[1]
    R, pivots = _gauss_jordan(np.column_stack([A, b]), tol)
    consistent = n not in pivots
    pivots = [p for p in pivots if p < n]
    x = None
    if consistent:
        x = np.zeros(n)
        x[pivots] = R[: len(pivots), n]
    return Result(consistent=consistent, x=x, null_space=_special_solutions(R[:, :n], pivots),
                  rank=len(pivots))
