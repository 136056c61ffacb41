"""The Gram-Schmidt process: an orthonormal basis from the columns of a matrix."""

from __future__ import annotations

from typing import Any

import numpy as np

from mmlbook._checks import checked, homogeneous, matrix, number


@checked(A=matrix(allow_empty=True), tol=number(low=0))
@homogeneous(A=0, by_column=True, returns=0)  # E depends on the directions of the columns, not their lengths
def gram_schmidt(A: Any, tol: float = 1e-12) -> np.ndarray:
    r"""Orthonormalise the columns of ``A`` by the Gram-Schmidt process.

    Column by column, subtract from :math:`\mathbf a_i` its projections onto
    the unit vectors already found, then normalise what is left:

    .. math::

        \mathbf v_i = \mathbf a_i - \sum_{j<i} (\mathbf e_j \cdot \mathbf a_i)\, \mathbf e_j,
        \qquad
        \mathbf e_i = \frac{\mathbf v_i}{\lVert \mathbf v_i \rVert}.

    If :math:`\mathbf a_i` depends linearly on the columns before it, the
    remainder :math:`\mathbf v_i` is zero and :math:`\mathbf e_i` is set to
    the zero vector. In floating point the remainder of a dependent column
    is tiny rather than exactly zero, so the rule is: column ``i`` becomes a
    zero column when :math:`\lVert \mathbf v_i \rVert \le \text{tol}\,
    \lVert \mathbf a_i \rVert` (this includes a column of zeros).

    Parameters
    ----------
    A : array_like, shape (n, m)
        The vectors to orthonormalise, as columns. May be empty.
    tol : float
        Relative tolerance of the rule above, ``>= 0``.

    Returns
    -------
    ndarray, shape (n, m)
        A new array (``A`` is left alone) whose non-zero columns are
        orthonormal and, taken in order, span the same spaces as the first
        columns of ``A``.

    Raises
    ------
    ValueError
        If ``A`` is not a finite 2-D array of numbers or ``tol`` is negative.

    Notes
    -----
    The projections are subtracted one at a time from the updated remainder
    (the *modified* Gram-Schmidt process), which in floating point keeps the
    columns closer to orthogonal than subtracting them all from
    :math:`\mathbf a_i` at once; in exact arithmetic the two agree.

    Examples
    --------
    >>> gram_schmidt([[3.0, 1.0, 6.0], [4.0, 2.0, 8.0]]).round(3)
    array([[ 0.6, -0.8,  0. ],
           [ 0.8,  0.6,  0. ]])
    """
    E = np.zeros_like(A)
    for i in range(A.shape[1]):
        v = A[:, i].copy()
        for j in range(i):
            v = v - (E[:, j] @ v) * E[:, j]
        if np.linalg.norm(v) > tol * np.linalg.norm(A[:, i]):
            E[:, i] = v / np.linalg.norm(v)
    return E


def dimensions(A: Any, tol: float = 1e-12) -> int:
    r"""The dimension of the space spanned by the columns of ``A``.

    It is the number of non-zero columns that :func:`gram_schmidt` returns:
    each column that adds a new direction contributes one unit vector.

    Parameters
    ----------
    A : array_like, shape (n, m)
        The vectors, as columns. May be empty.
    tol : float
        Relative tolerance passed to :func:`gram_schmidt`.

    Returns
    -------
    int
        The dimension, between 0 and ``min(n, m)``; for exact data it is the
        rank of ``A``.

    Raises
    ------
    ValueError
        As :func:`gram_schmidt`.

    Examples
    --------
    >>> dimensions([[1.0, 2.0, 0.0], [1.0, 2.0, 1.0]])
    2
    """
    E = gram_schmidt(A, tol)
    return int(np.count_nonzero(np.linalg.norm(E, axis=0)))
