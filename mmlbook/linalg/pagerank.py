"""PageRank: the link matrix of a network of pages and the ranks of its pages."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from mmlbook._checks import Spec, checked, homogeneous, integer, number, seed
from mmlbook._validation import as_matrix, check_finite, check_square
from mmlbook.exceptions import ConvergenceError


def _check_adjacency(adjacency: Any, name: str = "adjacency", args: Any = None) -> np.ndarray | sp.csr_array:
    """Validate an adjacency matrix without ever making a sparse one dense."""
    if sp.issparse(adjacency):
        check_square(adjacency.shape, "adjacency")
        A = sp.csr_array(adjacency)
        if A.dtype != np.float64:
            A = A.astype(np.float64)
        if not A.has_canonical_format:
            A = A.copy()  # summing duplicate links must not rewrite the caller's matrix
            A.sum_duplicates()
        values = A.data
    else:
        A = as_matrix(adjacency, "adjacency", square=True, allow_empty=True)
        values = A
    if A.shape[0] == 0:
        raise ValueError("adjacency must describe at least one page, got shape (0, 0)")
    check_finite(values, "adjacency")
    if values.size and values.min() < 0:
        raise ValueError(f"adjacency must be non-negative, got {values.min():g}")
    return A


#: The spec of a web's link weights: a square, non-empty, finite, non-negative matrix, dense or sparse.
adjacency_matrix = Spec(_check_adjacency)


def _out_weights(A) -> np.ndarray:
    """Total weight of the links out of each page (row sums)."""
    return np.asarray(A.sum(axis=1)).ravel()


def _transition_rows(A, out: np.ndarray):
    """Divide each row of ``A`` by its page's out-weight (dangling rows stay zero).

    For a sparse matrix only the stored values are scaled, in one pass, and
    the result shares ``A``'s index arrays: the transpose of it is then a
    free view, so a million-page network is never copied.
    """
    inverse_out = np.divide(1.0, out, out=np.zeros_like(out), where=out != 0)
    if sp.issparse(A):
        links_per_row = np.diff(A.indptr)
        return sp.csr_array((A.data * np.repeat(inverse_out, links_per_row), A.indices, A.indptr),
                            shape=A.shape)
    return A * inverse_out[:, None]


@checked(adjacency=adjacency_matrix)
@homogeneous(adjacency=0, returns=0)  # L does not depend on the scale of the weights
def link_matrix(adjacency: Any) -> np.ndarray | sp.csr_array:
    r"""The column-stochastic link matrix :math:`L` of a network of pages.

    Column :math:`j` holds the probabilities that a random surfer on page
    :math:`j` follows a link to each page:

    .. math:: L_{ij} = \frac{A_{ji}}{\sum_k A_{jk}}.

    A page with no outgoing links (a *dangling* page) is treated as linking
    to every page, so its column is :math:`1/n` throughout.

    Parameters
    ----------
    adjacency : array_like or scipy.sparse matrix, shape (n, n)
        ``adjacency[i, j] != 0`` means page ``i`` links to page ``j``; values
        are non-negative link weights.

    Returns
    -------
    ndarray or scipy.sparse array, shape (n, n)
        :math:`L`, whose columns each sum to 1; sparse when the input is.
        (For sparse input the dangling columns are left empty, since filling
        them would make the matrix dense; :func:`pagerank` adds their
        contribution separately.)

    Raises
    ------
    ValueError
        If ``adjacency`` is not square, is empty, or has negative or
        non-finite entries.

    Examples
    --------
    >>> link_matrix([[0, 1], [1, 1]])
    array([[0. , 0.5],
           [1. , 0.5]])
    """
    A = adjacency
    out = _out_weights(A)
    L = _transition_rows(A, out).T
    if not sp.issparse(A):
        L[:, out == 0] = 1.0 / A.shape[0]
    return L


@checked(adjacency=adjacency_matrix, damping=number(low=0, high=1), tol=number(low=0, low_open=True),
         max_iter=integer(low=1))
@homogeneous(adjacency=0, returns=0)  # the ranks do not depend on the scale of the weights
def pagerank(adjacency: Any, damping: float = 0.85, *, tol: float = 1e-10,
             max_iter: int = 1000) -> np.ndarray:
    r"""PageRank of every page in a network, by power iteration.

    The random surfer follows a link with probability :math:`d` (the
    damping factor) and jumps to a page chosen uniformly at random otherwise,
    so the ranks :math:`\mathbf r` are the eigenvector with eigenvalue 1 of

    .. math:: M = d\,L + \frac{1-d}{n}\,J,

    where :math:`L` is the :func:`link_matrix` and :math:`J` the matrix of
    ones. Starting from the uniform vector, iterate
    :math:`\mathbf r \leftarrow M \mathbf r` without ever forming :math:`M`
    (for sparse input, not even :math:`L` densely).

    Parameters
    ----------
    adjacency : array_like or scipy.sparse matrix, shape (n, n)
        ``adjacency[i, j] != 0`` means page ``i`` links to page ``j``; values
        are non-negative weights. Pages with no outgoing links are treated as
        linking to every page.
    damping : float
        The damping factor :math:`d` in :math:`[0, 1]`.
    tol : float
        Stop when the L1 change of the rank vector falls below ``n * tol``
        (the convention of :func:`networkx.pagerank`).
    max_iter : int
        Give up after this many iterations.

    Returns
    -------
    ndarray, shape (n,)
        The ranks, non-negative and summing to 1.

    Raises
    ------
    ValueError
        If ``adjacency`` is not square, is empty, or has negative or
        non-finite entries; if ``damping`` is outside :math:`[0, 1]`; if
        ``tol`` or ``max_iter`` are not positive.
    ConvergenceError
        If the ranks have not settled after ``max_iter`` iterations.

    References
    ----------
    L. Page, S. Brin, R. Motwani and T. Winograd, "The PageRank citation
    ranking: bringing order to the web", Stanford InfoLab, 1999.

    Examples
    --------
    >>> pagerank([[0, 1], [1, 0]]).round(6).tolist()
    [0.5, 0.5]
    """
    A, d, n = adjacency, damping, adjacency.shape[0]
    out = _out_weights(A)
    dangling = np.flatnonzero(out == 0)
    # L without its dangling columns; for sparse input a view of A's links, so
    # each iteration is one pass over the links and nothing is copied.
    L = _transition_rows(A, out).T
    if not sp.issparse(L):
        L = sp.csr_array(L)

    r = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        r_last = r
        # A dangling page spreads its rank over all pages, as does the
        # (1 - d) chance of a random jump; both are the same for every page.
        spread = d * r_last[dangling].sum() / n + (1.0 - d) / n
        r = d * (L @ r_last) + spread
        change = float(np.abs(r - r_last).sum())
        if change < n * tol:
            return r / r.sum()
    raise ConvergenceError("pagerank", max_iter, change, n * tol)


@checked(n=integer(low=2), links_per_page=number(low=0, low_open=True), rng=seed)
def random_internet(n: int, *, links_per_page: float = 4.0, rng: Any = None) -> np.ndarray:
    r"""A random network of ``n`` pages whose popularity is uneven, like the web's.

    Page :math:`j` is linked to with probability proportional to a weight
    :math:`w_j \propto 1/(j + 1)` (a Zipf law), so a few pages attract most
    links; each page makes on average ``links_per_page`` links and never
    links to itself.

    Parameters
    ----------
    n : int
        Number of pages (at least 2).
    links_per_page : float
        Mean number of outgoing links per page.
    rng : int or numpy.random.Generator, optional
        Seed or generator, for reproducible networks.

    Returns
    -------
    ndarray of int, shape (n, n)
        The 0/1 adjacency matrix: ``A[i, j] = 1`` if page ``i`` links to page ``j``.
    """
    popularity = 1.0 / np.arange(1, n + 1)
    popularity = rng.permutation(popularity)  # popular pages anywhere, not just first
    with np.errstate(over="ignore"):  # a huge links_per_page: every probability is 1
        p = np.minimum(1.0, links_per_page * popularity / popularity.sum() * n / (n - 1))
    A = (rng.random((n, n)) < p[None, :]).astype(int)
    np.fill_diagonal(A, 0)
    return A
