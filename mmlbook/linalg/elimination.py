"""Gaussian elimination: row echelon form, solving linear systems, the inverse
by Gauss-Jordan elimination, determinants and recognising singular matrices.

Every function here is a readable loop over pivots, as the chapter on solving
linear systems works it by hand; the row operations inside the loop act on
whole rows at once. The tests check each one against :mod:`numpy.linalg`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mmlbook._checks import Spec, checked, homogeneous, in_range, matrix, number, square
from mmlbook._validation import as_float_array, check_same_length
from mmlbook.exceptions import SingularMatrixError

#: Default pivot tolerance, relative to the largest entry of the matrix.
PIVOT_TOL = 1e-12


def _threshold(A: np.ndarray, tol: float) -> float:
    """The size below which a pivot counts as zero: ``tol`` times the largest entry."""
    return tol * float(np.abs(A).max(initial=0.0))


def _eliminate(M: np.ndarray, n_cols: int, tol: float) -> tuple[np.ndarray, list[int], int]:
    """Forward elimination with partial pivoting on the first ``n_cols`` columns.

    Works on a copy of ``M`` (which may be an augmented matrix ``[A | b]``) and
    returns the row echelon form, the pivot columns, and the number of row
    swaps made. Entries that elimination sends to zero are set to exactly zero.
    """
    U = M.copy()
    m = U.shape[0]
    small = _threshold(M[:, :n_cols], tol)
    pivots: list[int] = []
    swaps = 0
    r = 0  # the row that the next pivot goes in
    for c in range(n_cols):
        if r == m:
            break
        # Partial pivoting: the largest entry on or below row r in column c.
        p = r + int(np.argmax(np.abs(U[r:, c])))
        if abs(U[p, c]) <= small:
            U[r:, c] = 0.0  # no usable pivot in this column
            continue
        if p != r:
            U[[r, p]] = U[[p, r]]
            swaps += 1
        for i in range(r + 1, m):
            factor = U[i, c] / U[r, c]
            U[i] -= factor * U[r]
            U[i, c] = 0.0
        pivots.append(c)
        r += 1
    return U, pivots, swaps


def _check_rhs(x: Any, name: str, args: dict, of: str = "A") -> np.ndarray:
    b = as_float_array(x, name, ndim=(1, 2))
    check_same_length(args[of], of, b, name)
    return b


#: The spec of a right-hand side: a finite vector or matrix with as many rows as the matrix ``of``.
rhs = Spec(_check_rhs)


@checked(A=matrix, tol=number(low=0))
@homogeneous(A=1)  # U scales with A
def row_echelon(A: Any, *, tol: float = PIVOT_TOL) -> np.ndarray:
    r"""Row echelon form of ``A`` by Gaussian elimination with partial pivoting.

    For each column in turn, the row with the largest entry (in absolute
    value) on or below the current row is swapped into place, and multiples
    of it are subtracted from the rows below,

    .. math:: R_i \leftarrow R_i - \frac{u_{ic}}{u_{rc}} R_r, \qquad i > r,

    so that every entry below the pivot :math:`u_{rc}` becomes zero. A column
    whose candidates are all (nearly) zero has no pivot and is skipped.

    Parameters
    ----------
    A : array_like, shape (m, n)
        Any finite matrix, square or not.
    tol : float, keyword-only
        A candidate pivot counts as zero when its absolute value is at most
        ``tol`` times the largest absolute entry of ``A``.

    Returns
    -------
    ndarray, shape (m, n)
        The row echelon form :math:`U`: below every pivot, and to the left of
        it, all entries are zero. ``A`` is left unchanged.

    Raises
    ------
    ValueError
        If ``A`` is not a non-empty finite 2-D array, or ``tol`` is negative.

    Examples
    --------
    >>> row_echelon([[0.0, 1.0], [2.0, 4.0]])
    array([[2., 4.],
           [0., 1.]])
    """
    U, _, _ = _eliminate(A, A.shape[1], tol)
    return U


@checked(A=matrix, tol=number(low=0))
@homogeneous(A=0, returns=0)  # the rank does not depend on the scale
def rank(A: Any, *, tol: float = PIVOT_TOL) -> int:
    r"""The rank of ``A``: the number of pivots in its row echelon form.

    Parameters
    ----------
    A : array_like, shape (m, n)
        Any finite matrix.
    tol : float, keyword-only
        Pivot tolerance, relative to the largest entry, as in :func:`row_echelon`.

    Returns
    -------
    int
        The number of linearly independent columns (equally, rows) of ``A``.

    Raises
    ------
    ValueError
        If ``A`` is not a non-empty finite 2-D array, or ``tol`` is negative.

    Examples
    --------
    >>> rank([[1.0, 2.0], [2.0, 4.0]])
    1
    """
    _, pivots, _ = _eliminate(A, A.shape[1], tol)
    return len(pivots)


@checked(U=square, y=rhs(of="U"))
@in_range("U", "y")  # a solution beyond the float range is said
def back_substitution(U: Any, y: Any) -> np.ndarray:
    r"""Solve the upper triangular system :math:`U\mathbf x = \mathbf y`.

    Work from the last row up; each row has one new unknown,

    .. math:: x_i = \frac{1}{u_{ii}} \Big( y_i - \sum_{j > i} u_{ij} x_j \Big).

    Parameters
    ----------
    U : array_like, shape (n, n)
        Upper triangular: every entry below the diagonal must be exactly zero.
    y : array_like, shape (n,) or (n, k)
        Right-hand side; with ``k`` columns, ``k`` systems are solved at once.

    Returns
    -------
    ndarray, shape (n,) or (n, k)
        The solution :math:`\mathbf x`, shaped like ``y``.

    Raises
    ------
    ValueError
        If ``U`` is not square, not upper triangular, or not finite, or ``y``
        does not have ``n`` rows.
    SingularMatrixError
        If a diagonal entry of ``U`` is zero.

    Examples
    --------
    >>> back_substitution([[2.0, 1.0], [0.0, 4.0]], [4.0, 8.0])
    array([1., 2.])
    """
    if np.any(np.tril(U, -1) != 0):
        i, j = (int(k) for k in np.argwhere(np.tril(U, -1) != 0)[0])
        raise ValueError(f"U must be upper triangular, got U[{i}, {j}] = {U[i, j]:g}")
    zero = np.flatnonzero(np.diag(U) == 0)
    if zero.size:
        raise SingularMatrixError(f"U is singular: diagonal entry U[{zero[0]}, {zero[0]}] is zero")
    return _back_substitute(U, y)


def _back_substitute(U: np.ndarray, y: np.ndarray) -> np.ndarray:
    n = U.shape[0]
    x = np.zeros_like(y)
    for i in range(n - 1, -1, -1):
        x[i] = (y[i] - U[i, i + 1:] @ x[i + 1:]) / U[i, i]
    return x


@checked(A=square, b=rhs, tol=number(low=0))
@in_range("A", "b")
@homogeneous(A=-1, b=1)  # x = A^-1 b
def solve(A: Any, b: Any, *, tol: float = PIVOT_TOL) -> np.ndarray:
    r"""Solve :math:`A\mathbf x = \mathbf b` by Gaussian elimination and back substitution.

    Eliminate with partial pivoting on the augmented matrix
    :math:`[A \mid \mathbf b]` to reach :math:`[U \mid \mathbf y]` with
    :math:`U` upper triangular, then solve :math:`U\mathbf x = \mathbf y` from
    the bottom up (:func:`back_substitution`).

    Parameters
    ----------
    A : array_like, shape (n, n)
        A square, non-singular matrix.
    b : array_like, shape (n,) or (n, k)
        Right-hand side; with ``k`` columns, ``k`` systems share one elimination.
    tol : float, keyword-only
        Pivot tolerance, relative to the largest entry of ``A``.

    Returns
    -------
    ndarray, shape (n,) or (n, k)
        The solution, shaped like ``b``.

    Raises
    ------
    ValueError
        If ``A`` is empty, not square or not finite, or ``b`` has the wrong
        number of rows, dimensions, or non-finite entries.
    SingularMatrixError
        If ``A`` is singular; the message names the first column with no pivot.

    Examples
    --------
    >>> solve([[2.0, 3.0], [10.0, 1.0]], [8.0, 12.0])
    array([1., 2.])
    """
    n = A.shape[0]
    augmented = np.column_stack([A, b])
    U, pivots, _ = _eliminate(augmented, n, tol)
    _raise_if_singular(pivots, n, "A")
    y = U[:, n:]
    x = _back_substitute(U[:, :n], y)
    return x.reshape(b.shape)


def _raise_if_singular(pivots: list[int], n: int, name: str) -> None:
    if len(pivots) < n:
        missing = next(c for c in range(n) if c not in pivots)
        raise SingularMatrixError(
            f"{name} is singular: column {missing + 1} has no pivot "
            "(no row swap can fix the zero on the diagonal)"
        )


@checked(A=square, tol=number(low=0))
@in_range("A")
@homogeneous(A=-1)  # (c A)^-1 = A^-1 / c
def inverse(A: Any, *, tol: float = PIVOT_TOL) -> np.ndarray:
    r"""The inverse of ``A`` by Gauss-Jordan elimination.

    Row-reduce the augmented matrix :math:`[A \mid I]`. The forward pass is
    the elimination loop that every function here shares (partial pivoting,
    clearing each column below its pivot), which reaches :math:`[U \mid Y]`;
    the upward pass then divides each pivot row by its pivot and clears the
    column above it. When the left block has become :math:`I`, the right
    block is :math:`A^{-1}`,

    .. math:: [A \mid I] \;\longrightarrow\; [I \mid A^{-1}].

    Parameters
    ----------
    A : array_like, shape (n, n)
        A square, non-singular matrix.
    tol : float, keyword-only
        Pivot tolerance, relative to the largest entry of ``A``.

    Returns
    -------
    ndarray, shape (n, n)
        :math:`A^{-1}`.

    Raises
    ------
    ValueError
        If ``A`` is empty, not square or not finite.
    SingularMatrixError
        If ``A`` is singular; the message names the first column with no pivot.

    Examples
    --------
    >>> inverse([[2.0, 0.0], [0.0, 4.0]])
    array([[0.5 , 0.  ],
           [0.  , 0.25]])
    """
    n = A.shape[0]
    M, pivots, _ = _eliminate(np.column_stack([A, np.eye(n)]), n, tol)  # [A | I] -> [U | Y]
    _raise_if_singular(pivots, n, "A")
    for c in range(n - 1, -1, -1):          # upward: pivots to 1, clear above them
        M[c] /= M[c, c]
        M[:c] -= np.outer(M[:c, c], M[c])
    return M[:, n:]


@checked(A=square, tol=number(low=0))
@in_range("A")  # det(c A) = c^n det A may overflow: that is said
def determinant(A: Any, *, tol: float = PIVOT_TOL) -> float:
    r"""The determinant of ``A`` from Gaussian elimination.

    Subtracting a multiple of one row from another leaves the determinant
    unchanged and each row swap flips its sign, so with :math:`s` swaps and
    pivots :math:`u_{11}, \dots, u_{nn}`,

    .. math:: \det A = (-1)^{s} \prod_{i=1}^{n} u_{ii}.

    A column with no pivot gives :math:`\det A = 0` exactly. What counts as
    no pivot is the rule of :func:`is_singular` with the same ``tol``, so
    ``determinant(A, tol=t) == 0.0`` exactly when ``is_singular(A, tol=t)``.
    With ``tol=0`` only an exactly zero column of candidates counts, and a
    matrix that is singular up to rounding gets a tiny non-zero determinant,
    as from :func:`numpy.linalg.det`.

    Parameters
    ----------
    A : array_like, shape (n, n)
        A square finite matrix.
    tol : float, keyword-only
        A pivot counts as zero when it is at most ``tol`` times the largest
        absolute entry of ``A``, as in :func:`is_singular`.

    Returns
    -------
    float
        :math:`\det A`.

    Raises
    ------
    ValueError
        If ``A`` is empty, not square or not finite, or ``tol`` is negative.

    Examples
    --------
    >>> determinant([[0.0, 1.0], [1.0, 0.0]])
    -1.0
    """
    n = A.shape[0]
    U, pivots, swaps = _eliminate(A, n, tol)
    if len(pivots) < n:
        return 0.0
    return float((-1) ** swaps * np.prod(np.diag(U)))


@checked(A=square, tol=number(low=0))
def is_singular(A: Any, *, tol: float = PIVOT_TOL) -> bool:
    r"""Whether the square matrix ``A`` is singular (has no inverse).

    Reduce ``A`` to row echelon form. If some column has a zero pivot that no
    row swap can replace with a non-zero one, the rows are linearly dependent
    and :math:`\det A = 0`.

    Parameters
    ----------
    A : array_like, shape (n, n)
        A square finite matrix.
    tol : float, keyword-only
        A pivot counts as zero when it is at most ``tol`` times the largest
        absolute entry of ``A``.

    Returns
    -------
    bool
        ``True`` if ``A`` is singular, ``False`` if it is invertible.

    Raises
    ------
    ValueError
        If ``A`` is empty, not square or not finite, or ``tol`` is negative.

    Examples
    --------
    >>> is_singular([[1.0, 2.0], [2.0, 4.0]])
    True
    >>> is_singular([[0.0, 1.0], [1.0, 0.0]])
    False
    """
    n = A.shape[0]
    _, pivots, _ = _eliminate(A, n, tol)
    return len(pivots) < n
