"""The teaching code against the libraries: no target, just the honest ratio.

- ``mmlbook.linalg.solve`` (Gaussian elimination, a Python loop over rows)
  against ``numpy.linalg.solve`` (LAPACK ``gesv``);
- ``mmlbook.linalg.gram_schmidt`` (modified Gram-Schmidt, a Python loop over
  pairs of columns) against ``numpy.linalg.qr`` and ``scipy.linalg.qr``
  (Householder, LAPACK ``geqrf``/``orgqr``), comparing Q up to column signs;
- ``mmlbook.calculus.neural_network`` (``init_network`` and ``train``, full-batch
  gradient descent with momentum) against scikit-learn's ``MLPRegressor`` with
  the same layer sizes, logistic activation, ``solver="sgd"`` with one batch
  of all samples, the same momentum and number of epochs, and no early
  stopping. The two networks differ in their output layer (mmlbook: sigmoid;
  scikit-learn: identity) and in the scale of the loss, so their weights are
  not comparable; the final training costs are reported instead.
"""

from __future__ import annotations

import warnings

import numpy as np

from benchmarks import Row, Unavailable, alternate

NAME = "teaching"
TITLE = "Teaching code: elimination, Gram-Schmidt, a small neural network vs numpy/scipy/scikit-learn"

SEED = 7
SKLEARN_RATE = 0.1
#: Small matrices: a BLAS thread pool only adds latency (and on a busy machine, much of it).
BLAS_THREADS = 1


def _solve_rows(quick: bool, log) -> list[Row]:
    from mmlbook.linalg import solve

    rows = []
    for n in ((50, 100) if quick else (100, 300)):
        rng = np.random.default_rng(SEED + n)
        A = rng.normal(size=(n, n)) + np.sqrt(n) * np.eye(n)
        b = rng.normal(size=n)
        log(f"solve, n = {n} ...")
        timing, x_m, x_r = alternate(lambda: solve(A, b), lambda: np.linalg.solve(A, b),
                                     runs=3 if quick else 7)
        err = float(np.abs(x_m - x_r).max())
        rows.append(Row.timed(NAME, f"solve A x = b, A {n}x{n} random, well conditioned",
                              "numpy.linalg.solve", timing, agree=bool(np.allclose(x_m, x_r)),
                              detail=f"mmlbook.linalg.solve; max |x - x_numpy| = {err:.1e}; BLAS on 1 thread"))
    return rows


def _same_q(Q, Q_ref) -> tuple[bool, float]:
    signs = np.sign(np.einsum("ij,ij->j", Q, Q_ref))
    signs[signs == 0] = 1.0
    err = float(np.abs(Q - Q_ref * signs).max())
    return err < 1e-8, err


def _gram_schmidt_rows(quick: bool, log) -> list[Row]:
    import scipy.linalg

    from mmlbook.linalg import gram_schmidt

    rows = []
    for n, m in (((200, 50),) if quick else ((500, 100), (1000, 300))):
        rng = np.random.default_rng(SEED + m)
        A = rng.normal(size=(n, m))
        case = f"orthonormal basis of the columns of a random {n}x{m} matrix"
        runs = 3 if quick else 5
        log(f"gram_schmidt, {n}x{m} ...")
        refs = [("numpy.linalg.qr (Q, reduced)", lambda: np.linalg.qr(A, mode="reduced")[0]),
                ("scipy.linalg.qr (Q, economic)", lambda: scipy.linalg.qr(A, mode="economic")[0])]
        for label, ref in refs:
            timing, Q_m, Q_r = alternate(lambda: gram_schmidt(A), ref, runs=runs)
            ok, err = _same_q(Q_m, Q_r)
            rows.append(Row.timed(NAME, case, label, timing, agree=ok,
                                  detail=f"mmlbook.linalg.gram_schmidt; max |Q - Q_ref| = {err:.1e} "
                                         "after matching column signs; BLAS on 1 thread"))
    return rows


def _network_rows(quick: bool, log) -> list[Row]:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPRegressor

    from mmlbook.calculus.neural_network import cost, heart_curve, init_network, train

    sizes = [1, 6, 7, 2]
    N, epochs = (200, 300) if quick else (500, 1500)
    eta, momentum = 5.0, 0.9
    t = np.linspace(0.0, 1.0, N)
    X, Y = t[:, None], heart_curve(t)
    network = init_network(sizes, rng=0)

    def mml():
        return train(network, X, Y, learning_rate=eta, epochs=epochs, momentum=momentum)

    def ref():
        # The step sizes cannot match: with its linear output layer scikit-learn diverges at
        # mmlbook's eta (even after the factor 2 between the losses), so it gets the rate that
        # trained it best in a sweep (0.05, 0.1, 0.3, 1, 2).
        model = MLPRegressor(hidden_layer_sizes=tuple(sizes[1:-1]), activation="logistic",
                             solver="sgd", batch_size=N, learning_rate="constant",
                             learning_rate_init=SKLEARN_RATE,
                             momentum=momentum, nesterovs_momentum=False, alpha=0.0,
                             max_iter=epochs, tol=0.0, n_iter_no_change=epochs + 1,
                             shuffle=False, random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            return model.fit(X, Y)

    log(f"neural network {sizes}, {N} samples, {epochs} epochs ...")
    timing, res, model = alternate(mml, ref, runs=2 if quick else 5)
    c_m = float(res.cost[-1])
    c_s = float(np.sum((model.predict(X) - Y) ** 2) / N)
    c_0 = float(cost(network, X, Y))
    return [Row.timed(NAME, f"train a {sizes} network on the heart curve, {N} samples, "
                            f"{epochs} full-batch epochs, momentum {momentum}",
                      "sklearn MLPRegressor(logistic, sgd, batch = all)", timing,
                      detail=f"mmlbook init_network + train; training cost sum |f - y|^2 / N: "
                             f"mmlbook {c_0:.3g} -> {c_m:.3g} (eta {eta}), scikit-learn -> {c_s:.3g} "
                             f"(rate {SKLEARN_RATE}; linear output layer, so not compared); "
                             f"BLAS on 1 thread")]


def run(quick: bool, log) -> list[Row]:
    rows, missing = [], []
    for part, fn in (("mmlbook.linalg.solve", _solve_rows),
                     ("mmlbook.linalg.gram_schmidt", _gram_schmidt_rows),
                     ("mmlbook.calculus.neural_network", _network_rows)):
        try:
            rows += fn(quick, log)
        except ImportError as exc:
            missing.append(f"{part}: {exc}")
            log(f"not available: {part}: {exc}")
    if not rows:
        raise Unavailable("; ".join(missing))
    return rows
