"""PageRank of a large random web: mmlbook.linalg.pagerank against networkx.

The input is a seeded random directed graph (1,000,000 pages and 10,000,000
distinct links; 200,000 and 2,000,000 with ``--quick``) as a
``scipy.sparse.csr_array`` adjacency matrix, with 5 % of the pages dangling
(no outgoing links) and link targets drawn from a Zipf-like popularity, so a
few pages collect many links.

Two references, at the same damping (0.85) and tolerance:

1. :func:`networkx_scipy_pagerank`, networkx's own power iteration
   (``networkx.algorithms.link_analysis.pagerank_alg._pagerank_scipy``)
   copied here without its graph-to-matrix conversion, run on the same CSR
   matrix. Timed alternately with mmlbook. Target: mmlbook no slower
   (ratio <= 1.0).
2. ``networkx.pagerank`` on a ``networkx.DiGraph`` of the same links (building
   the graph is not timed; the call converts it to a sparse matrix, which is
   timed, as a user of networkx pays it). Slow and memory-hungry (a few GB at
   full size), so it is timed once, not alternately. Target: mmlbook faster.

Agreement: the L1 distance between the rank vectors must be below the
stopping threshold ``n * tol`` (networkx's convention, which mmlbook follows).
"""

from __future__ import annotations

import numpy as np
import scipy as sp
import scipy.sparse

from benchmarks import Row, Unavailable, alternate, once

NAME = "pagerank"
TITLE = "PageRank, 1M pages / 10M links: mmlbook.linalg.pagerank vs networkx"

DAMPING = 0.85
TOL = 1e-10       # mmlbook's default: stop when the L1 change < n * tol
MAX_ITER = 1000
SEED = 20240601
DANGLING_FRACTION = 0.05


def random_web(n: int, m: int, *, seed: int = SEED, dangling_fraction: float = DANGLING_FRACTION
               ) -> sp.sparse.csr_array:
    """A seeded random directed graph: n pages, exactly m distinct links, CSR adjacency.

    ``A[i, j] = 1`` when page i links to page j. A fraction of the pages make
    no links (dangling); the others link out uniformly at random; targets
    follow a Zipf-like popularity ``w_j ~ 1 / rank_j**0.8``. No self-links.
    """
    rng = np.random.default_rng(seed)
    dangling = rng.random(n) < dangling_fraction
    linkers = np.flatnonzero(~dangling)
    popularity = rng.permutation(1.0 / np.arange(1, n + 1) ** 0.8)
    cdf = np.cumsum(popularity)
    cdf /= cdf[-1]
    keys = np.empty(0, dtype=np.int64)
    while keys.size < m:
        extra = int((m - keys.size) * 1.1) + 1000
        src = linkers[rng.integers(0, linkers.size, extra)]
        dst = np.minimum(np.searchsorted(cdf, rng.random(extra)), n - 1)
        ok = src != dst
        keys = np.unique(np.concatenate([keys, src[ok].astype(np.int64) * n + dst[ok]]))
    keys = np.sort(rng.choice(keys, size=m, replace=False))
    src, dst = np.divmod(keys, n)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    index_dtype = np.int32 if max(n, m) < 2**31 else np.int64
    A = sp.sparse.csr_array((np.ones(m), dst.astype(index_dtype), indptr.astype(index_dtype)),
                            shape=(n, n))
    A.has_sorted_indices = True
    return A


def networkx_scipy_pagerank(A, alpha: float = 0.85, max_iter: int = 100, tol: float = 1.0e-6):
    """networkx's scipy PageRank iteration, run directly on a sparse adjacency matrix.

    A copy of ``networkx.algorithms.link_analysis.pagerank_alg._pagerank_scipy``
    (networkx 3.4) without the conversion of a graph to the matrix ``A``
    (row i holds the links out of page i), with uniform personalization and
    uniform dangling weights (networkx's defaults). Returns the rank vector.
    """
    import networkx as nx

    N = A.shape[0]
    S = A.sum(axis=1)
    S[S != 0] = 1.0 / S[S != 0]
    Q = sp.sparse.csr_array(sp.sparse.spdiags(S.T, 0, *A.shape))
    A = Q @ A

    x = np.repeat(1.0 / N, N)
    p = np.repeat(1.0 / N, N)
    dangling_weights = p
    is_dangling = np.where(S == 0)[0]

    for _ in range(max_iter):
        xlast = x
        x = alpha * (x @ A + sum(x[is_dangling]) * dangling_weights) + (1 - alpha) * p
        err = np.absolute(x - xlast).sum()
        if err < N * tol:
            return x
    raise nx.PowerIterationFailedConvergence(max_iter)


def _agreement(r, ref, n: int) -> tuple[bool, str]:
    l1 = float(np.abs(np.asarray(r) - np.asarray(ref)).sum())
    return l1 <= n * TOL, f"L1 distance {l1:.1e} (threshold n*tol = {n * TOL:.0e})"


def run(quick: bool, log) -> list[Row]:
    try:
        from mmlbook.linalg import pagerank
    except ImportError as exc:
        raise Unavailable(f"mmlbook.linalg.pagerank: {exc}") from None
    try:
        import networkx as nx
    except ImportError as exc:
        raise Unavailable(f"networkx: {exc}") from None

    n, m = (200_000, 2_000_000) if quick else (1_000_000, 10_000_000)
    runs = 3 if quick else 5
    log(f"building a random web of {n:,} pages and {m:,} links ...")
    A = random_web(n, m)
    n_dangling = int(np.count_nonzero(np.diff(A.indptr) == 0))
    case = f"{n:,} pages, {m:,} links, {n_dangling:,} dangling; d={DAMPING}, tol={TOL:g}"

    def mml():
        return pagerank(A, DAMPING, tol=TOL, max_iter=MAX_ITER)

    def ref():
        return networkx_scipy_pagerank(A, DAMPING, max_iter=MAX_ITER, tol=TOL)

    log(f"mmlbook vs networkx's scipy iteration, {runs} alternating runs ...")
    timing, r_mml, r_ref = alternate(mml, ref, runs=runs)
    agree, how = _agreement(r_mml, r_ref, n)
    iterations = _count_iterations(A)
    rows = [Row.timed(NAME, case, "networkx scipy iteration on the same CSR matrix", timing,
                      target="ratio <= 1.0", met=timing.ratio <= 1.0, agree=agree,
                      detail=f"{how}; {iterations} iterations")]


    log("networkx.pagerank on a DiGraph of the same links (built untimed, called once) ...")
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    src = np.repeat(np.arange(n), np.diff(A.indptr))
    G.add_edges_from(zip(src.tolist(), A.indices.tolist()))
    del src
    t_nx, ranks = once(lambda: nx.pagerank(G, alpha=DAMPING, max_iter=MAX_ITER, tol=TOL))
    del G
    r_nx = np.fromiter((ranks[i] for i in range(n)), dtype=float, count=n)
    del ranks
    agree, how = _agreement(r_mml, r_nx, n)
    t_m = timing.mmlbook_s  # the median of the alternating runs above
    rows.append(Row(NAME, case, "networkx.pagerank(DiGraph), timed once", t_m, t_nx,
                    t_m / t_nx, 1, target="ratio < 1.0", met=t_m < t_nx, agree=agree,
                    detail=f"{how}; networkx timed once, not alternating (its call converts "
                           f"the graph to a matrix, included); mmlbook time is the median above"))
    return rows


def _count_iterations(A) -> int:
    """How many power-iteration steps the tolerance takes (for the report)."""
    n = A.shape[0]
    out = np.asarray(A.sum(axis=1)).ravel()
    dangling = out == 0
    L = sp.sparse.csr_array((sp.sparse.diags_array(np.divide(1.0, out, out=np.zeros(n),
                                                             where=~dangling)) @ A).T)
    r = np.full(n, 1.0 / n)
    for k in range(1, MAX_ITER + 1):
        new = DAMPING * (L @ r) + DAMPING * r[dangling].sum() / n + (1 - DAMPING) / n
        change = np.abs(new - r).sum()
        r = new
        if change < n * TOL:
            return k
    return MAX_ITER
