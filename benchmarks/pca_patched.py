r"""A patched ``mmlbook.pca.PCA.fit`` for the ``"eig"`` solver, to measure a proposed fix.

The benchmark times it beside the package's estimator when the package misses
its target on MNIST; the book does not use it. Forming
:math:`S = X_c^\top X_c / N` (one ``syrk``, about 0.8 s for MNIST on one core)
is the work that cannot be avoided; the package adds full passes over the
70,000 x 784 data (440 MB) that scikit-learn does not make:

1. ``X`` is checked for NaN and infinity three times (``fit``, ``center`` and
   ``pca_eig`` each call ``as_matrix``); the patch checks it once.
2. The centred copy :math:`X_c = X - \mathbf 1\boldsymbol\mu^\top` (a new
   440 MB array) is not formed: :math:`S = (X^\top X - N\boldsymbol\mu\boldsymbol\mu^\top)/N`,
   as scikit-learn's ``covariance_eigh`` does.
3. The total variance is the trace of :math:`S`, which is at hand, instead of
   ``np.vdot(Xc, Xc)``, one more pass over the data.

Each change is marked ``# PATCH``. Other solvers fall back to the package.
"""

from __future__ import annotations

import numpy as np

from mmlbook._validation import as_matrix, check_positive_int
from mmlbook.pca import PCA as _PCA
from mmlbook.pca import pca as _module


#: Keep the centred copy (skip patch 2, which costs accuracy when the mean is large next to the
#: spread of the data: the relative error of S grows like (|mu| / sigma)^2).
CENTRED_COPY = False


class PCA(_PCA):
    def fit(self, X):
        X = as_matrix(X, "X")  # PATCH 1: the only pass that checks X
        N, D = X.shape
        solver = self.solver if self.solver != "auto" else ("gram" if N < D else "eig")
        if solver != "eig" or N < 2:
            return super().fit(X)
        M = min(N, D) if self.n_components is None else check_positive_int(self.n_components,
                                                                              "n_components")
        if M > min(N, D):
            raise ValueError(f"n_components must be between 1 and min(N, D) = {min(N, D)}, got {M}")
        if CENTRED_COPY:  # patches 1 and 3 only
            mu = X.mean(axis=0)
            Xc = X - mu
            S = Xc.T @ Xc / N
        else:
            mu = X.mean(axis=0)
            S = X.T @ X  # PATCH 2: no centred copy of X
            S -= N * np.outer(mu, mu)
            S /= N
        eigenvalues, B = _module._top_eigenpairs(S, M)
        total_variance = float(np.trace(S))  # PATCH 3: no extra pass over X

        self.mean_ = mu
        self.components_ = B.T
        self.explained_variance_ = np.clip(eigenvalues, 0.0, None)
        self.explained_variance_ratio_ = (self.explained_variance_ / total_variance
                                          if total_variance > 0 else np.zeros(M))
        self.n_components_ = M
        self.n_samples_, self.n_features_in_ = N, D
        self.solver_ = solver
        return self
