"""The structure of :math:`A\\mathbf x = \\mathbf b`: reduced row echelon form,
null space, column space and the full set of solutions."""

from __future__ import annotations

from typing import Any

import numpy as np

from mmlbook._result import Result
from mmlbook._validation import as_matrix, as_vector, check_number, extreme_scale, pow2_scale, unscale

RREF_TOL = 1e-10


def _check_tol(tol: Any) -> float:
    return check_number(tol, "tol", low=0.0)


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
    A = as_matrix(A, "A")
    return _gauss_jordan(A / extreme_scale(A), _check_tol(tol))  # R does not depend on the scale of A


def _special_solutions(R: np.ndarray, pivots: list[int]) -> np.ndarray:
    """One null-space vector per free column: that free variable 1, the other free ones 0."""
    n = R.shape[1]
    free = [j for j in range(n) if j not in pivots]
    N = np.zeros((n, len(free)))
    for k, f in enumerate(free):
        N[f, k] = 1.0
        N[pivots, k] = -R[: len(pivots), f] + 0.0   # each pivot variable balances the free one (+0.0 drops -0.0)
    return N


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
    A = as_matrix(A, "A")
    R, pivots = _gauss_jordan(A / extreme_scale(A), _check_tol(tol))  # scale-free: work near 1
    return _special_solutions(R, pivots)


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
    A = as_matrix(A, "A")
    _, pivots = _gauss_jordan(A / extreme_scale(A), _check_tol(tol))  # scale-free: work near 1
    return A[:, pivots]


def _unscale_solution(x: np.ndarray, sb: float, sa: float) -> np.ndarray:
    """``x * sb / sa``, or a ``ValueError`` if that over- or underflows (never a silent infinity or zero)."""
    with np.errstate(under="ignore"):
        out = unscale(unscale(x, sb, "A and b"), 1.0 / sa, "A and b")
    if np.any((out == 0) & (x != 0)):
        raise ValueError("A and b out of range: the solution is below the smallest float (about 2.2e-308)")
    return out


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
        :math:`[A \mid \mathbf b]`.

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
    A = as_matrix(A, "A")
    b = as_vector(b, "b", size=A.shape[0])
    tol = _check_tol(tol)
    n = A.shape[1]
    sa, sb = pow2_scale(A), pow2_scale(b)  # work near 1 (exact: powers of two); x scales like b / A
    R, pivots = _gauss_jordan(np.column_stack([A / sa, b / sb]), tol)
    consistent = n not in pivots
    pivots = [p for p in pivots if p < n]
    x = None
    if consistent:
        x = np.zeros(n)
        x[pivots] = _unscale_solution(R[: len(pivots), n], sb, sa)
    return Result(consistent=consistent, x=x, null_space=_special_solutions(R[:, :n], pivots),
                  rank=len(pivots))
