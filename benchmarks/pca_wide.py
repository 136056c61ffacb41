"""PCA with fewer samples than dimensions (N < D): the Gram-matrix solver.

A seeded random data set of N = 1,000 samples in D = 20,000 dimensions
(500 x 5,000 with ``--quick``): a rank-20 signal with decreasing strengths
plus isotropic noise. ``mmlbook.pca.PCA(M, solver="gram")`` (eigenvectors of
the N x N matrix :math:`X_c X_c^\top / N`) is timed against scikit-learn's
``PCA(M, svd_solver="full")`` (the SVD of the N x D centred data), for
M = 20 (the signal) and M = 100 (signal and some noise). Only ``fit`` is
timed. Target: faster than the full SVD (ratio < 1.0). Agreement: the
reconstructions are ``np.allclose``.

scikit-learn's ``svd_solver="covariance_eigh"`` does not apply here: it
would form the D x D covariance (3.2 GB at D = 20,000) and decompose it at a
cost of order D^3; scikit-learn's own ``"auto"`` never chooses it when D > N.
"""

from __future__ import annotations

import numpy as np

from benchmarks import Row
from benchmarks._pca_common import compare, import_pca

NAME = "pca-wide"
TITLE = "PCA with N < D (1,000 x 20,000): mmlbook PCA(solver='gram') vs scikit-learn full SVD"

SEED = 11
RANK = 20
COMPONENTS = (20, 100)


def low_rank_plus_noise(N: int, D: int, *, rank: int = RANK, noise: float = 1.0, seed: int = SEED
                        ) -> np.ndarray:
    rng = np.random.default_rng(seed)
    strengths = 10.0 * 0.85 ** np.arange(rank)  # decreasing, well separated
    U = rng.normal(size=(N, rank)) * strengths
    V = np.linalg.qr(rng.normal(size=(D, rank)))[0].T * np.sqrt(D)
    return 5.0 + U @ V / np.sqrt(rank) + noise * rng.normal(size=(N, D))


def run(quick: bool, log) -> list[Row]:
    PCA = import_pca()
    from sklearn.decomposition import PCA as SkPCA

    N, D = (500, 5_000) if quick else (1_000, 20_000)
    X = low_rank_plus_noise(N, D)
    rows = []
    for M in COMPONENTS:
        case = f"random rank-{RANK} signal + noise, {N:,} x {D:,}, M = {M}"
        log(f"M = {M}: mmlbook gram vs scikit-learn full SVD ...")
        rows.append(compare(NAME, case, X,
                            lambda M=M: PCA(M, solver="gram").fit(X),
                            lambda M=M: SkPCA(M, svd_solver="full").fit(X),
                            "sklearn PCA(svd_solver='full')", runs=3 if quick else 5, warmup=True,
                            target="ratio < 1.0",
                            extra_detail="covariance_eigh not run: it would decompose the D x D "
                                         "covariance"))
        rows[-1].met = rows[-1].ratio < 1.0
    return rows
