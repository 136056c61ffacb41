r"""A patched copy of ``mmlbook.linalg.pagerank``, to measure a proposed fix.

The benchmark runs it beside the package's function when the package misses
its target; it is not used by the book. It differs from
``mmlbook/linalg/pagerank.py`` in three places, each marked ``# PATCH``:

1. The adjacency matrix is validated once (the package validates it a second
   time inside ``link_matrix``), and duplicates are summed on a copy only when
   the matrix is not already canonical (the package calls ``sum_duplicates``
   on an array that shares memory with the caller's matrix).
2. :math:`L` is not built as a new CSR matrix. The rows of :math:`A` are
   scaled by :math:`1/\text{out-degree}` with one pass over the stored values,
   ``A.data * np.repeat(inverse_out, np.diff(A.indptr))``, and ``L = P.T``
   is a free CSC *view* of the scaled matrix. The package instead multiplies by
   a sparse diagonal matrix (``csr_matmat``) and converts the transpose from
   CSC to CSR (``csc_tocsr``), two full passes that copy the 10M links.
3. The loop takes the dangling pages by index (a short integer array) instead
   of by a boolean mask over all n pages, and updates ``r`` in place.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from mmlbook.exceptions import ConvergenceError
from mmlbook.linalg.pagerank import _check_adjacency as _check_dense
from mmlbook._validation import check_finite, check_number, check_positive_int, check_square


def _check_adjacency(adjacency):
    if not sp.issparse(adjacency):
        return _check_dense(adjacency)
    check_square(adjacency.shape, "adjacency")
    A = sp.csr_array(adjacency)
    if A.dtype != np.float64:
        A = A.astype(np.float64)
    if not A.has_canonical_format:  # PATCH 1: never touch the caller's arrays
        A = A.copy()
        A.sum_duplicates()
    if A.shape[0] == 0:
        raise ValueError("adjacency must describe at least one page, got shape (0, 0)")
    check_finite(A.data, "adjacency")
    if A.data.size and A.data.min() < 0:
        raise ValueError(f"adjacency must be non-negative, got {A.data.min():g}")
    return A


def pagerank(adjacency, damping: float = 0.85, *, tol: float = 1e-10,
             max_iter: int = 1000) -> np.ndarray:
    """As ``mmlbook.linalg.pagerank``, with the patches described in the module docstring."""
    A = _check_adjacency(adjacency)  # PATCH 1: validated once
    d = check_number(damping, "damping", low=0.0, high=1.0)
    tol = check_number(tol, "tol", low=0.0, low_open=True)
    max_iter = check_positive_int(max_iter, "max_iter")

    n = A.shape[0]
    out = np.asarray(A.sum(axis=1)).ravel()
    dangling = np.flatnonzero(out == 0)  # PATCH 3: indices, not a mask
    inverse_out = np.divide(1.0, out, out=np.zeros(n), where=out != 0)
    if sp.issparse(A):
        # PATCH 2: P = diag(1/out) A by scaling the stored values; L = P^T is a view.
        P = sp.csr_array((A.data * np.repeat(inverse_out, np.diff(A.indptr)), A.indices, A.indptr),
                         shape=A.shape)
        L = P.T
    else:
        L = sp.csr_array((A * inverse_out[:, None]).T)

    r = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        r_last = r
        spread = d * r_last[dangling].sum() / n + (1.0 - d) / n
        r = L @ r_last  # PATCH 3: in place below, no temporaries
        r *= d
        r += spread
        change = float(np.abs(r - r_last).sum())
        if change < n * tol:
            return r / r.sum()
    raise ConvergenceError("pagerank", max_iter, change, n * tol)
