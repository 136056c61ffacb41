r"""The Cholesky factorisation :math:`A = LL^\top`, the test of positive definiteness."""

from __future__ import annotations

from typing import Any

import numpy as np

from mmlbook._checks import checked, in_range
from mmlbook.exceptions import NotPositiveDefiniteError
from mmlbook.linalg.spectral import symmetric

__all__ = ["cholesky"]


@checked(A=symmetric)
@in_range("A")
def cholesky(A: Any) -> np.ndarray:
    r"""Factor a symmetric positive definite matrix as :math:`A = LL^\top`, or show it is not one.

    Column by column, with :math:`L` lower triangular,

    .. math:: \ell_{jj} = \sqrt{a_{jj} - \textstyle\sum_{k<j} \ell_{jk}^2}, \qquad
              \ell_{ij} = \Big(a_{ij} - \textstyle\sum_{k<j} \ell_{ik}\ell_{jk}\Big) / \ell_{jj}
              \quad (i > j).

    The number under the square root is the :math:`j`-th pivot of Gaussian
    elimination on :math:`A`; a symmetric matrix is positive definite exactly
    when every pivot is positive, so the factorisation succeeds exactly for
    positive definite matrices, at a third of the cost of elimination and with
    no eigenvalue computed.

    Parameters
    ----------
    A : array_like, shape (n, n)
        A finite symmetric matrix.

    Returns
    -------
    L : ndarray, shape (n, n)
        Lower triangular with positive diagonal, :math:`A = LL^\top`.

    Raises
    ------
    ValueError
        If ``A`` is not a finite symmetric matrix, or its factor is beyond the float range.
    NotPositiveDefiniteError
        If a pivot is not positive: ``A`` is not positive definite. A subclass
        of :class:`numpy.linalg.LinAlgError`, like numpy's own error; its
        ``index`` and ``pivot`` say which pivot failed and its value.

    References
    ----------
    Strang, *Introduction to Linear Algebra*, section 6.5; Trefethen and Bau,
    *Numerical Linear Algebra*, lecture 23.

    Examples
    --------
    >>> cholesky([[4.0, 2.0], [2.0, 5.0]])
    array([[2., 0.],
           [1., 2.]])
    """
    n = A.shape[0]
    L = np.zeros_like(A)
    for j in range(n):
        pivot = A[j, j] - L[j, :j] @ L[j, :j]              # a_jj - sum of l_jk^2
        if not pivot > 0:
            raise NotPositiveDefiniteError(j + 1, pivot)
        L[j, j] = np.sqrt(pivot)
        L[j + 1:, j] = (A[j + 1:, j] - L[j + 1:, :j] @ L[j, :j]) / L[j, j]
    return L
