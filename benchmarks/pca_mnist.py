"""PCA of the full MNIST (70,000 x 784): mmlbook.pca.PCA against scikit-learn.

The 60,000 training and 10,000 test images, as one float64 matrix of
70,000 rows and 784 pixels (grey levels 0-255, not scaled). For each number
of components M (50, and 154, which keeps 95 % of the variance of MNIST),
``mmlbook.pca.PCA(M)`` (``solver="auto"``, which picks ``"eig"`` when N >= D)
is timed against scikit-learn's ``PCA(M)`` with each exact solver,
``svd_solver="covariance_eigh"`` and ``svd_solver="full"``, alternately.
Only ``fit`` is timed. Target: no slower than the faster of the two
(ratio <= 1.0). Agreement: the reconstructions
``inverse_transform(transform(X))`` are ``np.allclose``.

The full MNIST is read from mmlbook's data cache (``MMLBOOK_DATA`` or the
per-user cache folder) and never downloaded by the benchmark; without it the
task explains how to fill the cache and is skipped. ``--quick`` uses the
2 x 2,000 images shipped inside the package instead.
"""

from __future__ import annotations

import numpy as np

from benchmarks import Row, Unavailable
from benchmarks._pca_common import compare, import_pca

NAME = "pca-mnist"
TITLE = "PCA of the full MNIST (70,000 x 784): mmlbook.pca.PCA vs scikit-learn PCA"

COMPONENTS = (50, 154)


def load(quick: bool) -> np.ndarray:
    try:
        from mmlbook.datasets import load_mnist, mnist_cache_dir
    except ImportError as exc:
        raise Unavailable(f"mmlbook.datasets: {exc}") from None
    if quick:
        parts = [load_mnist(split, n=2000)[0] for split in ("train", "test")]
    else:
        try:
            parts = [load_mnist(split, download=False)[0] for split in ("train", "test")]
        except FileNotFoundError:
            folder = mnist_cache_dir()
            raise Unavailable(
                f"the full MNIST is not in the cache folder {folder}. Fill it once with "
                f"`python -c \"from mmlbook.datasets import load_mnist; load_mnist('train'); "
                f"load_mnist('test')\"` (with network access and MMLBOOK_OFFLINE unset; downloads 11 MB, checksums verified), or copy "
                f"train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
                f"t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz into {folder}, or set "
                f"MMLBOOK_DATA to a folder whose mnist/ subfolder holds them") from None
    images = np.concatenate(parts)
    return images.reshape(images.shape[0], -1).astype(np.float64)


def run(quick: bool, log) -> list[Row]:
    PCA = import_pca()
    from sklearn.decomposition import PCA as SkPCA

    X = load(quick)
    N, D = X.shape
    runs_fast, runs_slow = (3, 2) if quick else (5, 3)
    rows = []
    for M in COMPONENTS:
        case = f"MNIST {N:,} x {D}, M = {M}"

        def mml(M=M):
            return PCA(M).fit(X)

        pair = []
        for solver, runs, warmup in (("covariance_eigh", runs_fast, True), ("full", runs_slow, False)):
            log(f"M = {M}: mmlbook vs scikit-learn svd_solver={solver!r}, {runs} alternating runs ...")
            pair.append(compare(NAME, case, X, mml,
                                lambda M=M, solver=solver: SkPCA(M, svd_solver=solver).fit(X),
                                f"sklearn PCA(svd_solver={solver!r})", runs=runs, warmup=warmup,
                                target=None))
        fastest = min(pair, key=lambda row: row.reference_s)
        fastest.target = "ratio <= 1.0"
        fastest.met = fastest.ratio <= 1.0
        fastest.detail += "; the faster exact scikit-learn solver here"
        rows += pair
    return rows

