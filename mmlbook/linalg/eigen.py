"""Eigenvalues and eigenvectors: power iteration (and, with the eigenproblems
chapter, diagonalisation)."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from mmlbook._result import Result
from mmlbook._validation import as_matrix, as_vector, check_number, check_positive_int, check_square, check_finite
from mmlbook.exceptions import ConvergenceError


def power_iteration(M: Any, x0: Any = None, *, tol: float = 1e-10, max_iter: int = 1000,
                    norm: int = 2) -> Result:
    r"""Dominant eigenvalue and eigenvector of ``M`` by power iteration.

    Repeatedly apply the matrix and rescale,

    .. math:: \mathbf x_{k+1} = \frac{M \mathbf x_k}{\lVert M \mathbf x_k \rVert},

    until the change :math:`\lVert \mathbf x_{k+1} - \mathbf x_k \rVert_1`
    falls below ``tol``. The eigenvalue is the Rayleigh quotient
    :math:`\lambda = \mathbf x^\top M \mathbf x / \mathbf x^\top \mathbf x`.

    Parameters
    ----------
    M : array_like or scipy.sparse matrix, shape (n, n)
        A square matrix whose eigenvalue of largest modulus is real and
        strictly larger in modulus than the others.
    x0 : array_like, shape (n,), optional
        Starting vector; by default the uniform vector :math:`(1/n, \dots, 1/n)`.
    tol : float
        Stop when the L1 change between successive iterates is below ``tol``.
    max_iter : int
        Give up after this many iterations.
    norm : {1, 2}
        Rescale each iterate to unit L1 norm (natural for probabilities, as
        in PageRank) or unit Euclidean norm.

    Returns
    -------
    Result
        ``eigenvalue``, ``eigenvector`` (sign fixed so that its largest
        component is positive), ``x`` (same as ``eigenvector``), ``nit``,
        ``success``, ``path`` (every iterate, shape (nit + 1, n)) and
        ``changes`` (the L1 change at each iteration).

    Raises
    ------
    ValueError
        If ``M`` is not square or not finite, ``x0`` has the wrong length or
        is zero, or an option is out of range.
    ConvergenceError
        If the iterates have not settled after ``max_iter`` iterations.

    Examples
    --------
    >>> res = power_iteration([[2.0, 0.0], [0.0, 1.0]])
    >>> round(res.eigenvalue, 8), res.eigenvector.round(8).tolist()
    (2.0, [1.0, 0.0])
    """
    if sp.issparse(M):
        check_square(M.shape, "M")
        M = sp.csr_array(M, dtype=float)
        check_finite(M.data, "M")
    else:
        M = as_matrix(M, "M", square=True)
    n = M.shape[0]
    x = np.full(n, 1.0 / n) if x0 is None else as_vector(x0, "x0", size=n).copy()
    tol = check_number(tol, "tol", low=0.0, low_open=True)
    max_iter = check_positive_int(max_iter, "max_iter")
    if norm not in (1, 2):
        raise ValueError(f"norm must be 1 or 2, got {norm!r}")
    size = _norm_function(norm)
    if size(x) == 0:
        raise ValueError("x0 must not be the zero vector")
    x = x / size(x)

    path = [x]
    changes = []
    for nit in range(1, max_iter + 1):
        y = M @ x
        if size(y) == 0:
            raise ValueError("M maps the iterate to zero: its dominant eigenvalue is 0")
        y = y / size(y)
        change = float(np.abs(y - x).sum())
        x = y
        path.append(x)
        changes.append(change)
        if change < tol:
            break
    else:
        raise ConvergenceError("power_iteration", max_iter, changes[-1], tol)

    x = _fix_sign(x)
    eigenvalue = float(x @ (M @ x) / (x @ x))
    return Result(eigenvalue=eigenvalue, eigenvector=x, x=x, nit=nit, success=True,
                  path=np.array(path), changes=np.array(changes))


def _norm_function(norm: int):
    if norm == 1:
        return lambda v: float(np.abs(v).sum())
    return lambda v: float(np.linalg.norm(v))


def _fix_sign(v: np.ndarray) -> np.ndarray:
    """Flip ``v`` so that its largest-magnitude component is positive.

    An eigenvector is only defined up to sign; fixing it makes printed
    numbers identical from one build to the next.
    """
    i = int(np.argmax(np.abs(v)))
    return -v if v[i] < 0 else v
