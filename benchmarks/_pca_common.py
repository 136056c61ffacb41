"""What the two PCA tasks share: timing ``fit`` and comparing reconstructions."""

from __future__ import annotations

import numpy as np

from benchmarks import Row, Unavailable, alternate


def import_pca():
    try:
        from mmlbook.pca import PCA
    except ImportError as exc:
        raise Unavailable(f"mmlbook.pca.PCA: {exc}") from None
    return PCA


def reconstruct(model, X: np.ndarray) -> np.ndarray:
    return model.inverse_transform(model.transform(X))


def compare(task: str, case: str, X: np.ndarray, mml, ref, label: str, *, runs: int,
            warmup: bool, target: str | None, extra_detail: str = "") -> Row:
    """Time ``mml().fit``-style callables alternately; check reconstructions with ``np.allclose``.

    ``mml`` and ``ref`` build and fit an estimator and return it. The target,
    when given, is "ratio <= 1.0".
    """
    timing, m, r = alternate(mml, ref, runs=runs, warmup=warmup)
    Xm, Xr = reconstruct(m, X), reconstruct(r, X)
    agree = bool(np.allclose(Xm, Xr))
    diff = float(np.abs(Xm - Xr).max())
    scale = float(np.abs(X).max())
    detail = (f"fit timed; reconstructions allclose: max |X_mmlbook - X_ref| = {diff:.1e} "
              f"(data up to {scale:.3g})")
    if extra_detail:
        detail += "; " + extra_detail
    return Row.timed(task, case, label, timing,
                     target=target or "", met=(timing.ratio <= 1.0) if target else None,
                     agree=agree, detail=detail)
